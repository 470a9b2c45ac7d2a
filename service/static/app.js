// The analyst page: search passages or ask a question over policyqa's public API, and read
// passages and citations in their documents. Plain script, no dependencies, no build step.
// Text from the API is only ever inserted as text nodes (never as HTML).
"use strict";

(() => {
  const PAGE_SIZE = 10;
  const RETRY_MS = 1000; // while the index loads the API answers 503
  const STOP_WORDS = new Set(
    ("a an and are as at be been by can could did do does for from has have how i in into is it " +
      "its me my not of on or our so that the their them there these they this those to us was " +
      "we were what when where which who why will with would about tell any some")
      .split(" ")
  );

  const el = (id) => document.getElementById(id);
  const form = el("search-form");
  const input = el("q");
  const countrySelect = el("country");
  const sectionSelect = el("section");
  const submitButton = el("submit");
  const status = el("status");
  const results = el("results");
  const more = el("more");
  const intro = el("intro");
  const answer = el("answer");
  const answerText = el("answer-text");
  const citationList = el("citations");
  const docView = el("doc-view");
  const docTitle = el("doc-title");
  const docMeta = el("doc-meta");
  const docText = el("doc-text");

  const documents = new Map(); // doc_id -> metadata from /v1/documents
  const texts = new Map(); // doc_id -> promise of the document's text
  const spans = new Map(); // "doc:start:end" -> {section, page} of passages and citations shown
  let shownQuery = null; // the query whose results are on screen, as a string key
  let pageSize = PAGE_SIZE;
  let opener = null; // the element that opened the document view, focused again on close
  let request = 0; // id of the latest query, so that a slow older answer is ignored

  // --- the URL holds the state ---------------------------------------------------------------

  // the parameters of this script; any other (the comparison's, the library's) is kept as is
  const OWN_PARAMS = new Set(["q", "mode", "country", "section", "doc", "start", "end"]);

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const number = (name) => {
      const value = Number.parseInt(params.get(name) || "", 10);
      return Number.isFinite(value) && value >= 0 ? value : null;
    };
    return {
      q: (params.get("q") || "").trim(),
      mode: params.get("mode") === "ask" ? "ask" : "search",
      country: params.get("country") || "",
      section: params.get("section") || "",
      doc: params.get("doc") || "",
      start: number("start"),
      end: number("end"),
      extra: [...params].filter(([name]) => !OWN_PARAMS.has(name)),
    };
  }

  function urlFor(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.mode === "ask") params.set("mode", "ask");
    if (state.country) params.set("country", state.country);
    if (state.section) params.set("section", state.section);
    for (const [name, value] of state.extra || []) params.append(name, value);
    if (state.doc) {
      params.set("doc", state.doc);
      if (state.start !== null && state.end !== null) {
        params.set("start", String(state.start));
        params.set("end", String(state.end));
      }
    }
    const query = params.toString();
    return query ? `/?${query}` : "/";
  }

  function formState() {
    return {
      q: input.value.trim(),
      mode: form.elements.mode.value === "ask" ? "ask" : "search",
      country: countrySelect.value,
      section: sectionSelect.value,
      doc: "",
      start: null,
      end: null,
      extra: [], // a search leaves the other views
    };
  }

  const queryKey = (s) => JSON.stringify([s.q, s.mode, s.country, s.section]);

  // --- the API -------------------------------------------------------------------------------

  async function api(path, options) {
    for (;;) {
      const response = await fetch(path, options);
      let body = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (response.ok) return body;
      const detail = body && typeof body.detail === "string" ? body.detail : `HTTP ${response.status}`;
      if (response.status === 503 && /loading/.test(detail)) {
        setStatus("The index is loading; the search runs as soon as it is ready…");
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      throw new Error(detail);
    }
  }

  function documentText(docId) {
    if (!texts.has(docId)) {
      const pending = api(`/v1/documents/${encodeURIComponent(docId)}`).then((d) => d.text);
      pending.catch(() => texts.delete(docId));
      texts.set(docId, pending);
    }
    return texts.get(docId);
  }

  // --- highlighting ---------------------------------------------------------------------------

  function stem(word) {
    for (const suffix of ["ations", "ation", "ings", "ing", "ies", "es", "ed", "s"]) {
      if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
        return word.slice(0, -suffix.length);
      }
    }
    return word;
  }

  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  // A pattern matching the words of the query and their inflections ("instrument" and
  // "INSTRUMENTS" for "instruments"), or null when the query has no content words.
  function termPattern(query) {
    const words = (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).filter(
      (word) => word.length > 1 && !STOP_WORDS.has(word)
    );
    const stems = [...new Set(words.map(stem))].sort((a, b) => b.length - a.length);
    if (!stems.length) return null;
    const alternatives = stems.map(escapeRegExp).join("|");
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})[\\p{L}\\p{N}]*`, "giu");
  }

  // Append `text` to `parent`, wrapping matches of `pattern` in <mark class="hit">.
  function appendHighlighted(parent, text, pattern) {
    if (!pattern) {
      parent.append(text);
      return;
    }
    let last = 0;
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) parent.append(text.slice(last, match.index));
      const mark = document.createElement("mark");
      mark.className = "hit";
      mark.textContent = match[0];
      parent.append(mark);
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function where(item) {
    const parts = [];
    if (item.country) parts.push(item.country);
    if (item.section) parts.push(item.section);
    if (item.page !== null && item.page !== undefined) parts.push(`page ${item.page}`);
    return parts.join(" · ");
  }

  // --- filters --------------------------------------------------------------------------------

  function setOptions(select, values, allLabel, chosen) {
    const wanted = [...values];
    if (chosen && !wanted.includes(chosen)) wanted.push(chosen);
    const current = [...select.options].slice(1).map((option) => option.value);
    if (current.join("\n") !== wanted.join("\n")) {
      select.replaceChildren(new Option(allLabel, ""));
      for (const value of wanted) select.append(new Option(value, value));
    }
    select.value = chosen || "";
  }

  async function loadDocuments() {
    try {
      const body = await api("/v1/documents");
      for (const item of body.documents) documents.set(item.doc_id, item);
    } catch (error) {
      setStatus(`Cannot list the documents: ${error.message}`, true);
    }
    const countries = [...new Set([...documents.values()].map((d) => d.country).filter(Boolean))];
    countries.sort((a, b) => a.localeCompare(b));
    setOptions(countrySelect, countries, "All countries", readUrl().country);
  }

  function showSectionFacets(facets, chosen) {
    const sections = Object.keys((facets && facets.section) || {}).filter((s) => s !== "(none)");
    sections.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    setOptions(sectionSelect, sections, "All sections", chosen);
  }

  // --- running a query ------------------------------------------------------------------------

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  function searchUrl(state, k, withSection) {
    const params = new URLSearchParams({ q: state.q, k: String(k) });
    if (state.country) params.set("country", state.country);
    if (withSection && state.section) params.set("section", state.section);
    return `/v1/search?${params}`;
  }

  async function runQuery(state) {
    const id = ++request;
    shownQuery = queryKey(state);
    results.replaceChildren();
    answer.hidden = true;
    more.hidden = true;
    intro.hidden = Boolean(state.q);
    if (!state.q) {
      setStatus("");
      return;
    }
    setStatus(state.mode === "ask" ? "Answering…" : "Searching…");
    // the button stays enabled: a disabled default button would block Enter, and a newer query
    // simply supersedes this one (its late answer is ignored)
    document.body.setAttribute("aria-busy", "true");
    try {
      if (state.mode === "ask") {
        await runAsk(state, id);
      } else {
        await runSearch(state, id);
      }
    } catch (error) {
      if (id === request) setStatus(`Error: ${error.message}`, true);
    } finally {
      if (id === request) document.body.removeAttribute("aria-busy");
    }
  }

  async function runSearch(state, id) {
    // facets come from the search without the section filter, so every section stays offered
    const [found, unfiltered] = await Promise.all([
      api(searchUrl(state, pageSize, true)),
      state.section ? api(searchUrl(state, 1, false)) : null,
    ]);
    if (id !== request) return;
    showSectionFacets((unfiltered || found).facets, state.section);
    const pattern = termPattern(state.q);
    for (const passage of found.results) results.append(resultItem(passage, state, pattern));
    const count = found.results.length;
    const scope = [state.country, state.section].filter(Boolean).join(" · ");
    setStatus(
      count
        ? `${count} passage${count === 1 ? "" : "s"} for “${state.q}”${scope ? ` in ${scope}` : ""}` +
            ` · ${Math.round(found.timings_ms.total || sum(found.timings_ms))} ms`
        : `No passage matches “${state.q}”${scope ? ` in ${scope}` : ""}.`
    );
    more.hidden = count < pageSize || pageSize >= 100;
  }

  const sum = (timings) => Object.values(timings).reduce((a, b) => a + b, 0);

  function resultItem(passage, state, pattern) {
    spans.set(`${passage.doc_id}:${passage.start}:${passage.end}`, passage);
    const item = node("li", "result");
    const heading = node("h3", "result-title");
    const link = docLink(state, passage, passage.title);
    link.setAttribute(
      "aria-label",
      `${passage.title}, ${passage.section}${passage.page ? `, page ${passage.page}` : ""}: open the passage in its document`
    );
    heading.append(link);
    const text = node("p", "result-text");
    appendHighlighted(text, passage.text, pattern);
    item.append(heading, node("p", "where", where(passage)), text);
    item.addEventListener("click", (event) => {
      // the whole card opens the passage, unless the reader is selecting text in it
      if (event.target === link || String(window.getSelection())) return;
      link.click();
    });
    return item;
  }

  function docLink(state, span, label) {
    const target = { ...state, doc: span.doc_id, start: span.start, end: span.end };
    const link = node("a", "doc-link", label);
    link.href = urlFor(target);
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      setOpener(link);
      history.pushState({ openedHere: true }, "", link.href);
      openDocument(target);
    });
    return link;
  }

  async function runAsk(state, id) {
    const filters = {};
    if (state.country) filters.country = state.country;
    if (state.section) filters.section = state.section;
    const [reply, facets] = await Promise.all([
      api("/v1/ask", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: state.q, top_k: 5, filters }),
      }),
      api(searchUrl(state, 1, false)),
    ]);
    if (id !== request) return;
    showSectionFacets(facets.facets, state.section);
    const byId = new Map(reply.citations.map((citation) => [citation.id, citation]));
    answerText.replaceChildren();
    answerText.classList.toggle("not-covered", !reply.answerable);
    // the answer's text, with each marker [n] a link to its citation
    let last = 0;
    for (const match of reply.answer.matchAll(/\[(\d+)\]/g)) {
      const citation = byId.get(Number(match[1]));
      if (!citation) continue;
      answerText.append(reply.answer.slice(last, match.index));
      const link = docLink(state, citation, `[${citation.id}]`);
      link.classList.add("marker");
      link.setAttribute("aria-label", `Citation ${citation.id}: ${citation.title}, ${citation.section}`);
      answerText.append(link);
      last = match.index + match[0].length;
    }
    answerText.append(reply.answer.slice(last));
    citationList.replaceChildren();
    for (const citation of reply.citations) {
      spans.set(`${citation.doc_id}:${citation.start}:${citation.end}`, citation);
      const item = node("li", "citation");
      item.id = `citation-${citation.id}`;
      const heading = node("p", "citation-head");
      heading.append(docLink(state, citation, `[${citation.id}] ${citation.title}`));
      item.append(heading, node("p", "where", where(citation)), node("blockquote", "quote", citation.quote));
      citationList.append(item);
    }
    el("sources-heading").hidden = reply.citations.length === 0;
    answer.hidden = false;
    const count = reply.citations.length;
    setStatus(
      reply.answerable
        ? `Answered with ${count} citation${count === 1 ? "" : "s"} · ${Math.round(reply.timings_ms.total)} ms`
        : "The documents do not answer this question."
    );
  }

  // --- the document view ----------------------------------------------------------------------

  async function openDocument(state) {
    const meta = documents.get(state.doc);
    docView.hidden = false;
    document.body.classList.add("doc-open");
    docTitle.textContent = meta ? meta.title : state.doc;
    docMeta.textContent = "Loading…";
    docText.replaceChildren();
    let text;
    try {
      text = await documentText(state.doc);
    } catch (error) {
      docMeta.textContent = `Cannot open ${state.doc}: ${error.message}`;
      docTitle.focus();
      return;
    }
    if (readUrl().doc !== state.doc) return; // closed or replaced meanwhile
    const hasSpan =
      state.start !== null && state.end !== null && state.start < state.end && state.end <= text.length;
    const span = hasSpan ? spans.get(`${state.doc}:${state.start}:${state.end}`) : null;
    const details = [];
    if (meta && meta.synthetic) details.push("synthetic test document");
    if (span) details.push(where(span));
    else if (meta && meta.country) details.push(meta.country);
    if (hasSpan) details.push(`characters ${state.start}–${state.end}`);
    details.push(state.doc);
    docMeta.textContent = details.join(" · ");
    if (!hasSpan) {
      docText.append(text);
      docTitle.focus();
      docText.scrollTop = 0;
      return;
    }
    const passage = node("mark", "passage");
    passage.id = "passage";
    passage.setAttribute("aria-label", "the passage");
    appendHighlighted(passage, text.slice(state.start, state.end), termPattern(state.q));
    docText.append(text.slice(0, state.start), passage, text.slice(state.end));
    docTitle.focus({ preventScroll: true });
    // scroll the text panel only (scrollIntoView would scroll the results too)
    const top = passage.getBoundingClientRect().top - docText.getBoundingClientRect().top;
    docText.scrollTop = Math.max(0, docText.scrollTop + top - docText.clientHeight / 3);
  }

  function setOpener(link) {
    if (opener) opener.removeAttribute("aria-current");
    opener = link;
    if (opener) opener.setAttribute("aria-current", "true");
  }

  function hideDocument() {
    docView.hidden = true;
    document.body.classList.remove("doc-open");
    docText.replaceChildren();
    if (opener && document.contains(opener)) opener.focus();
    setOpener(null);
  }

  function closeDocument() {
    if (docView.hidden) return;
    if (history.state && history.state.openedHere) {
      history.back(); // popstate hides it, and Forward opens it again
    } else {
      history.replaceState(null, "", urlFor({ ...readUrl(), doc: "" }));
      hideDocument();
    }
  }

  // --- wiring ---------------------------------------------------------------------------------

  function applyUrl() {
    const state = readUrl();
    input.value = state.q;
    form.elements.mode.value = state.mode;
    submitButton.textContent = state.mode === "ask" ? "Ask" : "Search";
    setOptions(countrySelect, [...countrySelect.options].slice(1).map((o) => o.value), "All countries", state.country);
    setOptions(sectionSelect, [...sectionSelect.options].slice(1).map((o) => o.value), "All sections", state.section);
    document.title = state.q ? `${state.q} · policyqa` : "policyqa: search the cluster-policy factsheets";
    const ready = queryKey(state) === shownQuery ? Promise.resolve() : runQuery(state);
    if (state.doc) {
      ready.then(() => openDocument(state));
    } else if (!docView.hidden) {
      hideDocument();
    }
  }

  function submit() {
    const state = formState();
    pageSize = PAGE_SIZE;
    const url = urlFor(state);
    if (url !== window.location.pathname + window.location.search) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    if (!docView.hidden) hideDocument();
    shownQuery = null; // submitting again runs the query again
    applyUrl();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  for (const control of [countrySelect, sectionSelect]) {
    control.addEventListener("change", () => {
      if (input.value.trim()) submit();
    });
  }
  for (const radio of form.elements.mode) {
    radio.addEventListener("change", () => {
      submitButton.textContent = radio.value === "ask" ? "Ask" : "Search";
      if (input.value.trim()) submit();
    });
  }
  more.addEventListener("click", () => {
    pageSize = Math.min(pageSize + PAGE_SIZE, 100);
    const state = readUrl();
    const focusIndex = results.children.length;
    runQuery(state).then(() => {
      const next = results.children[focusIndex];
      if (next) next.querySelector("a").focus();
    });
  });
  el("doc-close").addEventListener("click", closeDocument);
  window.addEventListener("popstate", applyUrl);
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "Escape" && !docView.hidden) {
      event.preventDefault();
      closeDocument();
    }
  });

  // what the other views of the page (compare.js, library.js) use of this script
  window.policyqaPage = {
    api,
    node,
    // a link opening a span highlighted in the document view, keeping the rest of the URL
    docLink: (span, label) => docLink({ ...readUrl(), doc: "", start: null, end: null }, span, label),
    // a search's country filter from another view: the list of countries may have grown
    reloadDocuments: loadDocuments,
  };

  loadDocuments().then(applyUrl);
})();
