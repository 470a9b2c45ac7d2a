"""``policyqa eval`` as a user runs it: in process from a clean state, and against a real server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policyqa.eval.dataset import DEFAULT_DATASET
from policyqa.index import Embedder, IndexBuilder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD

pytestmark = pytest.mark.integration

# a few gold questions of every kind keep these runs short; the gate runs them all
SAMPLE = {
    "ma-instruments-1",
    "ma-budget-1",
    "ma-history-2",
    "ma-references-2",
    "na-country-2",
    "na-topic-5",
}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "eval", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gold") / "sample.jsonl"
    lines = DEFAULT_DATASET.read_text("utf-8").splitlines()
    path.write_text(
        "".join(line + "\n" for line in lines if json.loads(line)["id"] in SAMPLE), "utf-8"
    )
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, over the Morocco factsheet."""
    import uvicorn

    settings = Settings(index_dir=tmp_path_factory.mktemp("served-index"))
    IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD])
    app = create_app(settings, engine=open_engine(settings, embedder=real_embedder))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory, sample: Path) -> dict[str, Any]:
    """``policyqa eval`` with no index: a temporary one over the bundled corpus."""
    cwd = tmp_path_factory.mktemp("clean")
    result = run_cli("--dataset", str(sample), "--out", "reports", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "full" in result.stdout and "reports in reports" in result.stdout
    for name in ("report.json", "report.md", "chart.png", "questions.jsonl"):
        assert (cwd / "reports" / name).is_file()
    report: dict[str, Any] = json.loads((cwd / "reports" / "report.json").read_text("utf-8"))
    return report


def test_in_process_run_compares_the_full_system_with_the_baselines(
    in_process: dict[str, Any],
) -> None:
    assert in_process["questions"] == len(SAMPLE)
    assert list(in_process["systems"]) == ["bm25", "dense", "hybrid", "full", "tutorial"]
    assert in_process["target"]["mode"] == "in-process"


def test_url_run_sees_through_http_what_the_library_answers(
    server: str, sample: Path, tmp_path: Path, in_process: dict[str, Any]
) -> None:
    result = run_cli("--url", server, "--dataset", str(sample), "--out", "reports", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text("utf-8"))
    assert report["questions"] == len(SAMPLE) and list(report["systems"]) == ["service"]
    assert report["target"] == {**report["target"], "mode": "service", "url": server}
    service = report["systems"]["service"]
    full = in_process["systems"]["full"]
    # the same engine behind HTTP: the same answers, citations and abstentions
    assert service["answer"] == full["answer"]
    assert service["citations"] == full["citations"]
    assert service["abstention"] == full["abstention"]
    assert service["citations"]["validity"] == 1.0
    assert {"round_trip", "embed", "retrieve", "answer"} <= set(report["latency_ms"]["service"])


def test_bad_input_gets_one_line_errors(server: str, sample: Path, tmp_path: Path) -> None:
    unreachable = run_cli("--url", "http://127.0.0.1:9", "--dataset", str(sample), cwd=tmp_path)
    assert unreachable.returncode == 1
    assert unreachable.stderr.startswith("policyqa: error: cannot reach http://127.0.0.1:9")

    both = run_cli("--url", server, "--index-dir", "idx", cwd=tmp_path)
    assert both.returncode == 2 and "drop --index-dir" in both.stderr

    rotten = tmp_path / "rotten.jsonl"
    row = json.loads(sample.read_text("utf-8").splitlines()[0])
    row["evidence"][0]["quote"] = "text the factsheet never said"
    row["key_facts"] = []
    rotten.write_text(json.dumps(row) + "\n", "utf-8")
    result = run_cli("--url", server, "--dataset", str(rotten), cwd=tmp_path)
    assert result.returncode == 1 and "quote not found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

    missing = run_cli("--url", server, "--dataset", str(tmp_path / "none.jsonl"), cwd=tmp_path)
    assert missing.returncode == 1 and "cannot read dataset" in missing.stderr


def test_synthetic_run_asks_every_country_its_own_questions(tmp_path: Path, sample: Path) -> None:
    result = run_cli("--dataset", str(sample), "--synthetic", "2", "--out", "reports", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "reports" / "synthetic"
    factsheets = sorted(p.name for p in folder.iterdir() if p.suffix in {".md", ".pdf"})
    assert len(factsheets) == 2 and {Path(name).suffix for name in factsheets} == {".md", ".pdf"}
    gold = [
        json.loads(line)
        for line in (folder / "gold-synthetic.jsonl").read_text("utf-8").splitlines()
    ]
    countries = {question["country"] for question in gold if question["style"] != "comparison"}
    assert len(countries) == 2
    report = json.loads((tmp_path / "reports" / "report.json").read_text("utf-8"))
    assert report["questions"] == len(SAMPLE) + len(gold)
    assert report["target"]["documents"] == 3  # Morocco and the two synthetic factsheets
    full = report["systems"]["full"]
    assert full["citations"]["validity"] == 1.0
    assert full["answer"]["key_fact_recall"] >= 0.7  # generated questions ask the template's fields

    assert run_cli("--synthetic", "-1", cwd=tmp_path).returncode == 2
