"""The analyst page in a real browser: headless Chromium driven by Playwright, real server.

Chromium comes from the Debian packages (``make browser`` installs them; Playwright's own
browser download does not work offline). The test saves a screenshot in its temp folder; with
``SCREENSHOT_PATH`` set (``make screenshot``) it also writes the README's screenshot there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.service.live.conftest import LiveServer

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP: ViewportSize = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP)
    opened = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith(live_server.url):
            foreign.append(request.url)

    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", on_console)
    opened.on("request", on_request)
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
    assert not errors, errors
    assert not foreign, f"the page asked for something outside policyqa: {foreign}"


def url_state(page: Page) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}


def test_search_filter_open_ask_and_follow_a_citation(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.locator("#country option")).to_have_text(["All countries", "Morocco", "Valdoria"])

    # "/" focuses the search box, Enter searches
    page.locator("body").press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("instruments")
    page.keyboard.press("Enter")
    results = page.locator(".result")
    expect(results.first).to_be_visible()
    expect(page.locator("#status")).to_contain_text("for “instruments”")
    assert url_state(page) == {"q": "instruments"}
    wheres = page.locator(".result .where").all_inner_texts()
    assert any(w.startswith("Morocco") for w in wheres)
    assert any(w.startswith("Valdoria") for w in wheres)
    # the query's terms are highlighted, whatever their case or number
    marks = {text.lower() for text in page.locator(".result mark.hit").all_inner_texts()}
    assert marks and marks <= {"instrument", "instruments"}
    expect(page.locator("#section option")).not_to_have_count(1)  # sections from the facets

    # filter to Morocco: only Morocco's passages, and the filter is in the URL
    page.select_option("#country", "Morocco")
    expect(page.locator("#status")).to_contain_text("in Morocco")
    wheres = page.locator(".result .where").all_inner_texts()
    assert wheres and all(w.startswith("Morocco · ") for w in wheres)
    assert url_state(page) == {"q": "instruments", "country": "Morocco"}

    # the results are reachable with Tab; Enter on one opens its document at the passage
    page.locator("#q").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.result a')"):
            break
    else:
        pytest.fail("Tab never reached a result")
    first_text = page.locator(".result").first.locator(".result-text").inner_text()
    page.keyboard.press("Enter")
    passage = page.locator("#doc-text mark.passage")
    expect(passage).to_be_visible()
    state = url_state(page)
    assert state["doc"] == "eccp-factsheet-morocco-2023.md"
    start, end = int(state["start"]), int(state["end"])
    text = live_server.document_text(state["doc"])
    assert passage.inner_text() == text[start:end]
    assert passage.inner_text().strip() == first_text.strip()
    expect(passage.locator("mark.hit").first).to_be_visible()
    assert _inside(page, "#doc-text mark.passage", "#doc-text")  # scrolled into view
    expect(page.locator("#doc-title")).to_have_text("Country factsheet: Morocco (2023)")
    page.screenshot(path=str(tmp_path / "passage.png"))
    _save_for_readme(tmp_path / "passage.png")

    # Escape closes the document and gives the focus back to the result
    page.keyboard.press("Escape")
    expect(page.locator("#doc-view")).to_be_hidden()
    assert page.evaluate("document.activeElement.matches('.result a')")
    assert "doc" not in url_state(page)

    # Ask mode: a cited answer; a marker opens its quote highlighted in the document
    page.check("#mode-ask")  # asks the query on screen as a question...
    assert url_state(page) == {"q": "instruments", "mode": "ask", "country": "Morocco"}
    # ...and a new question right away (while that answer may still be coming) replaces it
    question = "Which instruments does the industrial policy use?"
    page.fill("#q", question)
    page.keyboard.press("Enter")
    assert url_state(page)["q"] == question
    markers = page.locator("#answer-text a.marker")
    expect(markers.first).to_have_text("[1]")
    expect(page.locator("#answer-text")).to_contain_text("Funding collaboration initiatives")
    quote = page.locator("#citations .quote").first.inner_text()
    assert url_state(page)["mode"] == "ask" and url_state(page)["country"] == "Morocco"
    markers.first.click()
    expect(passage).to_be_visible()
    assert passage.inner_text().strip() == quote.strip()
    state = url_state(page)
    assert text[int(state["start"]) : int(state["end"])] == passage.inner_text()
    page.screenshot(path=str(tmp_path / "citation.png"))
    assert (tmp_path / "citation.png").stat().st_size > 10_000

    # Back closes the document, then steps back through the questions to the passage search
    page.go_back()
    expect(page.locator("#doc-view")).to_be_hidden()
    expect(page.locator("#answer-text a.marker").first).to_be_visible()
    page.go_back()  # switching the mode asked "instruments"
    expect(page.locator("#q")).to_have_value("instruments")
    expect(page.locator("#mode-ask")).to_be_checked()
    page.go_back()
    expect(page.locator("#mode-search")).to_be_checked()
    expect(results.first).to_be_visible()
    assert url_state(page) == {"q": "instruments", "country": "Morocco"}

    # nothing overflows a laptop screen sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_a_shared_link_opens_the_same_search_and_passage(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/?q=instruments&country=Valdoria")
    link = page.locator(".result a").first
    expect(link).to_be_visible()
    shared = link.get_attribute("href")
    assert shared is not None and "doc=synthetic-factsheet-valdoria.md" in shared
    page.goto(f"{live_server.url}{shared}")
    expect(page.locator("#q")).to_have_value("instruments")
    expect(page.locator("#country")).to_have_value("Valdoria")
    expect(page.locator("#doc-text mark.passage")).to_be_visible()
    expect(page.locator("#doc-meta")).to_contain_text("synthetic")
    expect(page.locator(".result").first).to_be_visible()


def test_text_from_the_query_is_shown_as_text_never_run(
    page: Page, live_server: LiveServer
) -> None:
    attack = '<img src=x onerror="window.pwned=1">instruments'
    page.goto(f"{live_server.url}/")
    page.fill("#q", attack)
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text(attack)
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("img").count() == 0


def _inside(page: Page, inner: str, outer: str) -> bool:
    """True when ``inner``'s top edge lies within ``outer``'s visible box."""
    return bool(
        page.evaluate(
            """([inner, outer]) => {
                const a = document.querySelector(inner).getBoundingClientRect();
                const b = document.querySelector(outer).getBoundingClientRect();
                return a.top >= b.top && a.top < b.bottom;
            }""",
            [inner, outer],
        )
    )


def _save_for_readme(screenshot: Path) -> None:
    """Copy the screenshot to ``SCREENSHOT_PATH`` when set (``make screenshot``)."""
    target = os.environ.get("SCREENSHOT_PATH")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, target)
