"""The analyst page: a search box over the API, served as plain files (no build step, no CDN).

``GET /`` is ``static/index.html``; its script and style sheet are under ``/static``. The page
calls only the public API (``/v1/search``, ``/v1/ask``, ``/v1/documents``), so it works offline
and shows exactly what other clients get.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The search page."""
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def add_page(app: FastAPI) -> None:
    """Serve the page at ``/`` and its files at ``/static``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
