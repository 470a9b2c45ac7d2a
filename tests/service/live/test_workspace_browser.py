"""The analysts' workspace in Chromium: comparison, filters, citations, downloads, chart, library.

A real server with the real model over Morocco, Valdoria and three more synthetic factsheets
(written here, marked synthetic). The page is served under a strict Content-Security-Policy
(added to the page's response here, as the service's own header may not be in this build), so
an inline script, style or handler would show up as a console error and fail the test.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from policyqa.eval.synthetic import make_truth, to_markdown
from policyqa.index import Embedder, IndexBuilder
from policyqa.ingest.factsheet import STATE_OF_PLAY_OPTIONS, Criterion
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD
from tests.service.live.conftest import LiveServer, run_server
from tests.service.live.test_page_browser import LAPTOP, browser, url_state

__all__ = ["browser"]  # the Chromium fixture, shared with the search page's test

pytestmark = pytest.mark.integration

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SYNTHETIC_SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def workspace_server(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("workspace")
    paths = [MOROCCO_MD, VALDORIA_MD]
    for seed in SYNTHETIC_SEEDS:
        truth = make_truth(seed)
        path = folder / f"{truth.slug}.md"
        path.write_text(to_markdown(truth), "utf-8")
        paths.append(path)
    settings = Settings(index_dir=folder / "index")
    report = IndexBuilder(settings, real_embedder).ingest_paths(paths)
    assert not report.failed
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    yield from run_server(app)


@pytest.fixture
def page(browser: Browser, workspace_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []

    def with_csp(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    def on_console(message: ConsoleMessage) -> None:
        # Chromium logs every refused request; a refused write is what one test asks for
        refused = "status of 401" in message.text or "status of 403" in message.text
        if message.type == "error" and not refused:
            errors.append(message.text)

    opened.route(f"{workspace_server.url}/", with_csp)
    opened.route(f"{workspace_server.url}/?*", with_csp)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", on_console)
    opened.set_default_timeout(30_000)
    yield opened
    context.close()
    assert not errors, errors


def _column_texts(page: Page, key: str) -> list[str]:
    return page.locator(f"#compare-body td[data-key='{key}']").all_inner_texts()


def test_compare_filter_follow_a_cell_and_download(
    page: Page, workspace_server: LiveServer, tmp_path: Path
) -> None:
    page.goto(f"{workspace_server.url}/")
    page.click("#tab-compare")
    rows = page.locator("#compare-body tr")
    expect(rows).to_have_count(2 + len(SYNTHETIC_SEEDS))
    countries = page.locator("#compare-body th[scope=row] a").all_inner_texts()
    assert "Morocco" in countries and "Valdoria" in countries
    assert countries == sorted(countries)
    # the default columns: policy type, instruments, scope, continuity
    expect(page.locator("#compare-head th")).to_have_count(5)
    assert url_state(page)["view"] == "compare"

    # pick the columns: drop scope, then add the evaluation field
    page.locator("#compare-columns input[value=scope]").uncheck()
    page.locator("#compare-columns input[value=evaluation]").check()
    assert (
        url_state(page)["cols"] == "policy_type,instruments,evaluation,continuity"
    )  # template order
    expect(page.locator("#compare-head th")).to_have_count(5)

    # filter: continuity at least "between over 2 and 10 years"
    page.select_option("#filter-column", "continuity")
    page.select_option("#filter-op", ">=")
    page.select_option("#filter-level", "2")
    page.click("#filter-add")
    expect(page.locator("#filters li")).to_have_count(1)
    continuity = STATE_OF_PLAY_OPTIONS[Criterion.CONTINUITY]
    kept = _column_texts(page, "continuity")
    assert kept and all(
        any(text.startswith(continuity[level]) for level in (2, 3)) for text in kept
    )
    assert "Morocco" not in page.locator("#compare-body th[scope=row] a").all_inner_texts()
    assert url_state(page)["where"] == "continuity>=2"

    # sort by policy type, descending on a second click
    page.locator("#compare-head button[data-key=policy_type]").click()
    page.locator("#compare-head button[data-key=policy_type]").click()
    types = _column_texts(page, "policy_type")
    assert types == sorted(types, reverse=True)
    assert url_state(page)["order"] == "desc"

    # a shared link gives the same table
    shared = page.url
    shown = page.locator("#compare-body").inner_text()
    page.goto(shared)
    expect(page.locator("#compare-body tr").first).to_be_visible()
    assert page.locator("#compare-body").inner_text() == shown

    # follow a cell to its highlighted source
    cell = page.locator("#compare-body tr").first.locator("td[data-key=instruments] a")
    value = cell.inner_text()
    cell.click()
    passage = page.locator("#doc-text mark.passage")
    expect(passage).to_be_visible()
    state = url_state(page)
    text = workspace_server.document_text(state["doc"])
    assert passage.inner_text() == text[int(state["start"]) : int(state["end"])]
    first_value = value.split("; ")[0].split(": ")[-1].split(", ")[0]
    assert first_value in passage.inner_text()
    assert state["view"] == "compare" and state["where"] == "continuity>=2"
    page.keyboard.press("Escape")
    expect(page.locator("#doc-view")).to_be_hidden()
    expect(page.locator("#compare-body tr").first).to_be_visible()

    # the CSV and the XLSX downloads hold the rows and columns on screen
    with page.expect_download() as csv_download:
        page.click("#export-csv")
    lines = list(
        csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text("utf-8-sig")))
    )
    on_screen = page.locator("#compare-body th[scope=row] a").all_inner_texts()
    assert sorted(line["country"] for line in lines) == sorted(on_screen)
    for line in lines:
        assert int(line["continuity_level"]) >= 2
        assert line["continuity"] == continuity[int(line["continuity_level"])]
        span = slice(int(line["policy_type_start"]), int(line["policy_type_end"]))
        assert workspace_server.document_text(line["doc_id"])[span] == line["policy_type"]
    with page.expect_download() as xlsx_download:
        page.click("#export-xlsx")
    assert xlsx_download.value.suggested_filename == "policyqa-profiles.xlsx"
    workbook = io.BytesIO(Path(xlsx_download.value.path()).read_bytes())
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert "evaluation" in header and "scope" not in header
    assert sheet.max_row == len(lines) + 1

    # the chart of the countries shown
    chart = page.locator("#chart")
    expect(chart).to_be_visible()
    # the image is decoded (a poll: wait_for_function evaluates strings, which the CSP forbids)
    for _ in range(100):
        if page.evaluate("() => document.getElementById('chart').naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the chart never loaded")
    assert f"State of play of {len(on_screen)} countries" in (chart.get_attribute("alt") or "")
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    _save_for_readme(tmp_path / "compare.png")

    # removing the filter brings Morocco back
    page.locator("#filters .chip-remove").click()
    expect(rows).to_have_count(2 + len(SYNTHETIC_SEEDS))
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_the_library_lists_and_opens_documents(page: Page, workspace_server: LiveServer) -> None:
    page.goto(f"{workspace_server.url}/?view=library")
    rows = page.locator("#library-body tr")
    expect(rows).to_have_count(2 + len(SYNTHETIC_SEEDS))
    morocco = page.locator("#library-body tr[data-doc='eccp-factsheet-morocco-2023.md']")
    expect(morocco.locator("td").nth(1)).to_have_text("factsheet")
    expect(morocco.locator(".cites summary")).to_contain_text("references, 0 ingested")
    expect(page.locator("#library-status")).to_contain_text("5 documents")
    # no key, no write controls
    expect(page.locator("#upload-form")).to_be_hidden()
    expect(morocco.locator(".remove")).to_be_hidden()
    # a reference entry opens highlighted in its factsheet
    morocco.locator(".cites summary").click()
    entry = morocco.locator(".reference a").first
    entry_text = entry.inner_text()
    entry.click()
    expect(page.locator("#doc-text mark.passage")).to_have_text(entry_text)
    page.keyboard.press("Escape")
    # typing a key shows the controls
    page.fill("#write-key", "some-key")
    expect(page.locator("#upload-form")).to_be_visible()
    expect(morocco.locator(".remove")).to_be_visible()


def test_upload_and_remove_through_the_write_api(
    page: Page, workspace_server: LiveServer, tmp_path: Path
) -> None:
    # a server of this build refuses a wrong key (401) or has writes disabled (403): the page
    # must say which, and list the documents unchanged
    page.goto(f"{workspace_server.url}/?view=library")
    expect(page.locator("#library-body tr")).to_have_count(2 + len(SYNTHETIC_SEEDS))
    page.fill("#write-key", "not-the-key")
    upload = tmp_path / "synthetic-note.md"
    upload.write_text("# A synthetic note\n\nSynthetic test document for the upload.\n", "utf-8")
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-submit")
    expect(page.locator("#library-status")).to_contain_text("Cannot upload synthetic-note.md")
    status = page.locator("#library-status").inner_text()
    assert "(401)" in status or "(403)" in status, status
    expect(page.locator("#library-body tr")).to_have_count(2 + len(SYNTHETIC_SEEDS))


WRITE_KEY = "workspace-test-key"
#: An ingest or removal job embeds with the real model: seconds on a loaded 2-core machine, far
#: past the assertions' 5 s default.
JOB_TIMEOUT_MS = 180_000


def _write_settings(index_dir: Path) -> Settings:
    """Settings that enable the write API (issue 12) with ``WRITE_KEY``."""
    return Settings(index_dir=index_dir, service={"api_keys": WRITE_KEY})


def test_upload_and_remove_a_document_with_the_key(
    browser: Browser, real_embedder: Embedder, tmp_path: Path
) -> None:
    settings = _write_settings(tmp_path / "index")
    IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD])
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    server = run_server(app)
    live = next(server)
    try:
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{live.url}/?view=library")
        expect(page.locator("#library-body tr")).to_have_count(1)
        page.fill("#write-key", WRITE_KEY)
        truth = make_truth(4)
        upload = tmp_path / f"{truth.slug}.md"
        upload.write_text(to_markdown(truth), "utf-8")
        page.set_input_files("#upload-file", str(upload))
        page.click("#upload-submit")
        expect(page.locator("#library-status")).to_contain_text(
            "is ingested", timeout=JOB_TIMEOUT_MS
        )
        expect(page.locator("#library-body tr")).to_have_count(2)
        added = page.locator("#library-body tr", has_text=truth.country)
        added.locator(".remove").click()
        added.locator(".remove").click()  # the second click confirms
        expect(page.locator("#library-status")).to_contain_text(
            "is removed", timeout=JOB_TIMEOUT_MS
        )
        expect(page.locator("#library-body tr")).to_have_count(1)
        context.close()
    finally:
        next(server, None)  # runs the server generator on to its teardown


def _save_for_readme(screenshot: Path) -> None:
    """Copy the screenshot to ``WORKSPACE_SCREENSHOT_PATH`` when set (``make screenshot``)."""
    target = os.environ.get("WORKSPACE_SCREENSHOT_PATH")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, target)
