"""The analyst page's files: served by the app, self-contained (the browser test is in ``live``)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from policyqa.service.app import create_app
from policyqa.service.routes.page import STATIC_DIR
from policyqa.settings import Settings


def test_the_page_and_its_files_are_served_even_before_the_index_is_ready(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(index_dir=tmp_path / "no-index"))) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
        assert sorted(assets) == [
            "/static/app.css", "/static/app.js", "/static/compare.js", "/static/library.js",
            "/static/views.js",
        ]  # fmt: skip
        for asset in assets:
            assert client.get(asset).status_code == 200
        assert client.get("/static/missing.js").status_code == 404
        assert "/" not in client.get("/openapi.json").json()["paths"]


def test_the_page_loads_nothing_from_elsewhere() -> None:
    for path in STATIC_DIR.iterdir():
        text = path.read_text("utf-8")
        # no CDN, font service or absolute URL: the page works offline
        assert not re.search(r"\b(?:https?:)?//[\w.-]+\.\w+/", text), path.name
        assert "@import" not in text and "url(" not in text, path.name


def test_the_script_never_inserts_api_text_as_html() -> None:
    for name in ("app.js", "views.js", "compare.js", "library.js"):
        script = (STATIC_DIR / name).read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in script, name


def test_the_page_has_no_inline_script_style_or_handler() -> None:
    """The page runs under a strict Content-Security-Policy: nothing inline."""
    html = (STATIC_DIR / "index.html").read_text("utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    for name in ("app.js", "views.js", "compare.js", "library.js"):
        script = (STATIC_DIR / name).read_text("utf-8")
        assert ".style." not in script and 'setAttribute("style' not in script, name
        assert "new Function" not in script and 'setTimeout("' not in script, name
