"""Reads never fail while documents are uploaded and deleted: a real server under load.

A real uvicorn server with the real model serves Morocco and Valdoria; four clients ask and
search without pause, first idle, then while uploads and deletes go through the write API (each
one a new index version, hot-swapped in). Every read must succeed; the figures are printed
(requests, errors, median and p95 latency idle and during writes).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from policyqa.index import Embedder, IndexBuilder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import ServiceSettings, Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD
from tests.service.live.conftest import LiveServer, run_server

KEY = "load-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
READERS = 4
ROUNDS = 3
READS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/v1/ask", {"question": "What are the policy objectives of Morocco?"}),
    ("POST", "/v1/ask", {"question": "Who are the beneficiaries in Valdoria?"}),
    ("GET", "/v1/search", {"q": "cluster support instruments", "k": 5}),
    ("GET", "/v1/documents", None),
]


@pytest.fixture(scope="module")
def writable_server(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> Iterator[LiveServer]:
    settings = Settings(
        index_dir=tmp_path_factory.mktemp("load") / "index",
        service=ServiceSettings(api_keys=KEY, reload_interval=0),
    )
    report = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD, VALDORIA_MD])
    assert not report.failed
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    yield from run_server(app)


class Readers:
    """Clients that read without pause and record each request's phase, latency and outcome."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.phase = "idle"
        self.stop = threading.Event()
        self.records: list[tuple[str, float, bool]] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def run(self, offset: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            turn = offset
            while not self.stop.is_set():
                method, path, payload = READS[turn % len(READS)]
                turn += 1
                phase, started = self.phase, time.perf_counter()
                try:
                    if method == "POST":
                        response = client.post(path, json=payload)
                    else:
                        response = client.get(path, params=payload)
                    ok = response.status_code == 200
                    problem = f"{path}: {response.status_code} {response.text[:200]}"
                except httpx.HTTPError as error:
                    ok, problem = False, f"{path}: {error!r}"
                with self.lock:
                    self.records.append((phase, time.perf_counter() - started, ok))
                    if not ok:
                        self.failures.append(problem)

    def summary(self, phase: str) -> str:
        times = sorted(seconds * 1000 for p, seconds, _ in self.records if p == phase)
        errors = sum(1 for p, _, ok in self.records if p == phase and not ok)
        p95 = times[int(0.95 * (len(times) - 1))]
        return (
            f"{phase}: {len(times)} reads, {errors} errors, median "
            f"{statistics.median(times):.0f} ms, p95 {p95:.0f} ms"
        )


def _wait(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = client.get(f"/v1/jobs/{job['id']}").json()
    return job


def test_no_read_fails_while_documents_come_and_go(
    writable_server: LiveServer, tmp_path: Path
) -> None:
    readers = Readers(writable_server.url)
    threads = [threading.Thread(target=readers.run, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        readers.phase = "writing"
        versions = set()
        with httpx.Client(base_url=writable_server.url, headers=AUTH, timeout=60) as writer:
            for round_number in range(ROUNDS):
                note = (
                    f"CLUSTER NOTE {round_number}\n\nClusters in Valdoria need patient funding.\n"
                )
                upload = writer.post(
                    "/v1/documents", files={"file": (f"note-{round_number}.md", note.encode())}
                )
                assert upload.status_code == 202, upload.text
                done = _wait(writer, upload.json())
                assert done["status"] == "done", done
                deleted = _wait(
                    writer, writer.delete(f"/v1/documents/note-{round_number}.md").json()
                )
                assert deleted["status"] == "done", deleted
                versions |= {done["version"], deleted["version"]}
        readers.phase = "after"
        time.sleep(1)
    finally:
        readers.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    print(
        f"\n{len(versions)} versions swapped in; "
        + "; ".join(readers.summary(phase) for phase in ("idle", "writing"))
    )
    assert not readers.failures, readers.failures[:5]
    assert len(versions) == 2 * ROUNDS
    assert sum(1 for phase, _, _ in readers.records if phase == "writing") >= 20
