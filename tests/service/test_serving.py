"""Serving under change and repetition: the answer cache, and hot reload of new index versions.

The hot-reload tests run the real app (lifespan, watcher thread) with the real model: a client
keeps asking while a new version is written, and every request must succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyqa.index import Embedder, IndexBuilder, SearchFilters
from policyqa.index.store import CURRENT_FILE
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder

NOTE = (
    "# Cluster note\n\nThe Zephyrine cluster voucher pays 40 percent of the cost of joint "
    "prototypes built by member firms.\n"
)


def _settings(index_dir: Path, **service: object) -> Settings:
    return Settings.model_validate({"index_dir": index_dir, "service": service})


def test_repeated_questions_come_from_the_cache(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "index")
    embedder = FakeEmbedder()
    IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    engine = open_engine(settings, embedder=embedder)
    first, cached = engine.ask_cached("What is the budget?", 3)
    assert not cached and {"embed", "answer", "total"} <= set(first.timings_ms)
    again, cached = engine.ask_cached("What is the budget?", 3)
    assert cached and again.answer == first.answer and set(again.timings_ms) == {"cache", "total"}
    # another top_k or filter is another question
    assert not engine.ask_cached("What is the budget?", 4)[1]
    assert not engine.ask_cached("What is the budget?", 3, SearchFilters(country="Morocco"))[1]
    off = open_engine(_settings(settings.index_dir, answer_cache_size=0), embedder=embedder)
    off.ask_cached("What is the budget?")
    assert not off.ask_cached("What is the budget?")[1]
    with TestClient(create_app(settings, engine=engine)) as client:
        bodies = [client.post("/v1/ask", json={"question": "Who are the beneficiaries?"}).json()]
        bodies.append(
            client.post("/v1/ask", json={"question": "Who are the beneficiaries?"}).json()
        )
    assert bodies[0]["answer"] == bodies[1]["answer"] and bodies[0]["citations"]
    assert set(bodies[1]["timings_ms"]) == {"cache", "total"}


def _asking(client: TestClient, statuses: list[int], stop: threading.Event) -> Callable[[], None]:
    def loop() -> None:
        while not stop.is_set():
            statuses.append(
                client.post("/v1/ask", json={"question": "What is the budget?"}).status_code
            )
            statuses.append(
                client.get("/v1/search", params={"q": "voucher prototypes"}).status_code
            )

    return loop


def _wait_for_version(client: TestClient, version: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (client.get("/readyz").json().get("index") or {}).get("version") == version:
            return
        time.sleep(0.05)
    raise AssertionError(f"version {version} was not picked up")


@pytest.mark.integration
def test_a_new_version_is_served_without_dropping_requests(
    tmp_path: Path, real_embedder: Embedder
) -> None:
    settings = _settings(tmp_path / "index", reload_interval=0.1)
    builder = IndexBuilder(settings, real_embedder)
    first = builder.ingest_paths([MOROCCO_MD]).version
    note = tmp_path / "note.md"
    note.write_text(NOTE, "utf-8")
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    statuses: list[int] = []
    stop = threading.Event()
    with TestClient(app) as client:
        assert client.get("/readyz").json()["index"]["version"] == first
        before = client.get("/v1/search", params={"q": "Zephyrine voucher"}).json()["results"]
        assert all(result["doc_id"] != "note.md" for result in before)
        asker = threading.Thread(target=_asking(client, statuses, stop))
        asker.start()
        try:
            time.sleep(0.3)
            second = builder.ingest_paths([note]).version  # written while requests go on
            assert second is not None and second != first
            _wait_for_version(client, second)
            time.sleep(0.3)
        finally:
            stop.set()
            asker.join()
        answer = client.post(
            "/v1/ask",
            json={"question": "What share of joint prototypes does the Zephyrine voucher pay?"},
        ).json()
    assert len(statuses) > 4 and set(statuses) == {200}, statuses
    assert answer["answerable"] and answer["citations"][0]["doc_id"] == "note.md"
    assert "40 percent" in answer["answer"]


@pytest.mark.integration
def test_a_broken_version_is_skipped_and_an_empty_start_recovers(
    tmp_path: Path, real_embedder: Embedder
) -> None:
    settings = _settings(tmp_path / "index", reload_interval=0.05)
    app = create_app(settings)  # no index yet: the first load fails
    with TestClient(app) as client:
        deadline = time.monotonic() + 60
        while client.get("/readyz").json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/readyz").status_code == 503
        # the app loads the bundled model itself (NumPy runtime): same fingerprint as this one
        version = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD]).version
        assert version is not None
        _wait_for_version(client, version)
        assert client.post("/v1/ask", json={"question": "What is the budget?"}).status_code == 200
        # CURRENT pointing at a version that does not exist: keep serving the old one
        (settings.index_dir / CURRENT_FILE).write_text("v-missing\n", "utf-8")
        time.sleep(0.3)
        assert client.get("/readyz").json()["index"]["version"] == version
        assert client.post("/v1/ask", json={"question": "Who drafts the plan?"}).status_code == 200
        # a version built with another model is refused; the service keeps answering
        (settings.index_dir / CURRENT_FILE).write_text(version + "\n", "utf-8")
        other = IndexBuilder(_settings(tmp_path / "other"), FakeEmbedder()).ingest_paths(
            [MOROCCO_MD]
        )
        assert other.version is not None
        (settings.index_dir / "versions" / other.version).symlink_to(
            tmp_path / "other" / "versions" / other.version
        )
        (settings.index_dir / CURRENT_FILE).write_text(other.version + "\n", "utf-8")
        time.sleep(0.3)
        assert client.get("/readyz").json()["index"]["version"] == version
        assert client.post("/v1/ask", json={"question": "Who drafts the plan?"}).status_code == 200
