// The page's three views (search, compare, library): the URL's `view` parameter says which is
// shown. The tabs are links, so a view can be shared and Back returns to the previous one; each
// view renders itself on the "policyqa:view" event, sent on load, on a tab and on Back/Forward.
"use strict";

(() => {
  const VIEWS = { "": "search-view", compare: "compare-view", library: "library-view" };

  function currentView() {
    const view = new URLSearchParams(window.location.search).get("view") || "";
    return Object.hasOwn(VIEWS, view) ? view : "";
  }

  function show() {
    const view = currentView();
    for (const [name, id] of Object.entries(VIEWS)) {
      document.getElementById(id).hidden = name !== view;
    }
    for (const tab of document.querySelectorAll(".views a")) {
      if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    window.dispatchEvent(new CustomEvent("policyqa:view", { detail: { view } }));
  }

  for (const tab of document.querySelectorAll(".views a")) {
    tab.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      if (tab.dataset.view === currentView()) return;
      history.pushState(null, "", tab.getAttribute("href"));
      window.dispatchEvent(new PopStateEvent("popstate")); // app.js closes an open document
    });
  }
  window.addEventListener("popstate", show);
  window.policyqaViews = { show, currentView };
  show();
})();
