"""A real policyqa server for client tests: the real model, a temporary index, a real port.

The index holds the seed factsheet (Morocco) and a synthetic factsheet of a fictional country
(Valdoria), so that country filters and follow-ups have two countries to tell apart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from policyqa.index import Embedder, IndexBuilder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD


@dataclass(frozen=True)
class LiveServer:
    """A running server."""

    url: str  # e.g. http://127.0.0.1:41234 (no trailing slash)

    def document_text(self, doc_id: str) -> str:
        """The canonical text of a document, from GET /v1/documents/{doc_id}."""
        response = httpx.get(f"{self.url}/v1/documents/{doc_id}", timeout=30)
        response.raise_for_status()
        text: str = response.json()["text"]
        return text


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> Iterator[LiveServer]:
    settings = Settings(index_dir=tmp_path_factory.mktemp("live-index"))
    report = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD, VALDORIA_MD])
    assert not report.failed and len(report.added) == 2
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    yield from run_server(app)


def run_server(app: FastAPI) -> Iterator[LiveServer]:
    """Serve ``app`` on a free port in a thread until the generator is closed."""
    # port 0: the system picks a free port, read back once the server listens
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    live = LiveServer(f"http://127.0.0.1:{port}")
    assert httpx.get(f"{live.url}/readyz", timeout=30).status_code == 200
    yield live
    server.should_exit = True
    thread.join(timeout=30)
