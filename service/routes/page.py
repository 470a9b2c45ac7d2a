"""The analyst page: a search box over the API, served as plain files (no build step, no CDN).

``GET /`` is ``static/index.html``; its script and style sheet are under ``/static`` (mounted by
``create_app``). The page calls only the public API (``/v1/search``, ``/v1/ask``,
``/v1/documents``), so it works offline and shows exactly what other clients get.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

#: The page's files: ``service/static`` (package data of ``policyqa.service``).
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The search page."""
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})
