"""The quality gate: the bundled gold set through the full system and every baseline.

Runs in process with the real bundled model, as ``policyqa eval`` does. The thresholds sit a
little below the values measured on 2026-11-29 (README, "Evaluation"); a change that makes
retrieval, answers, citations or abstention worse than that fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyqa.eval.dataset import DEFAULT_DATASET, load_dataset
from policyqa.eval.runner import evaluate_in_process
from policyqa.index import Embedder
from policyqa.settings import Settings

pytestmark = pytest.mark.integration

BASELINES = ("bm25", "dense", "hybrid", "tutorial")
# full system: (section, metric) -> lowest accepted value; measured values in the comments
THRESHOLDS = {
    ("retrieval", "recall@5"): 0.86,  # 0.880
    ("retrieval", "mrr@10"): 0.71,  # 0.738
    ("retrieval", "ndcg@10"): 0.76,  # 0.788
    ("answer", "key_fact_recall"): 0.70,  # 0.732
    ("citations", "validity"): 1.0,  # 1.000: every quote is the document's text at its span
    ("citations", "precision"): 0.38,  # 0.406
    ("citations", "recall"): 0.64,  # 0.673
    ("abstention", "precision"): 0.70,  # 0.769
    ("abstention", "recall"): 0.64,  # 0.714 (10 of 14 unanswerable declined)
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("eval-report")
    settings = Settings(index_dir=tmp_path_factory.mktemp("eval-index"))
    report = evaluate_in_process(
        [DEFAULT_DATASET], out, settings=settings, embedder=real_embedder, progress=False
    )
    return out, report


def test_reports_are_written_with_stable_keys(run: tuple[Path, Any]) -> None:
    out, report = run
    on_disk = json.loads((out / "report.json").read_text("utf-8"))
    assert on_disk == report
    assert {"schema", "measured_at", "machine", "target", "dataset", "questions"} <= set(report)
    assert {"systems", "latency_ms", "by_style"} <= set(report)
    assert report["questions"] == len(load_dataset(DEFAULT_DATASET).questions)
    assert list(report["systems"]) == ["bm25", "dense", "hybrid", "full", "tutorial"]
    for name, system in report["systems"].items():
        assert set(system["retrieval"]) >= {
            "recall@1",
            "recall@5",
            "recall@10",
            "mrr@10",
            "ndcg@10",
        }
        assert (system["answer"] is not None) == (name in ("full", "tutorial"))
        assert {"retrieve", "total"} <= set(report["latency_ms"][name])
    assert set(report["latency_ms"]["full"]) >= {"embed", "retrieve", "answer", "total"}
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = (out / "report.md").read_text("utf-8")
    assert "| full |" in markdown and "## Latency" in markdown
    lines = (out / "questions.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == report["questions"] * len(report["systems"])


def test_the_full_system_beats_every_baseline_on_recall_and_mrr(run: tuple[Path, Any]) -> None:
    systems = run[1]["systems"]
    for metric in ("recall@5", "mrr@10"):
        full = systems["full"]["retrieval"][metric]
        for baseline in BASELINES:
            assert full > systems[baseline]["retrieval"][metric], (metric, baseline)


@pytest.mark.parametrize(("section", "metric"), list(THRESHOLDS))
def test_full_system_quality_holds(run: tuple[Path, Any], section: str, metric: str) -> None:
    value = run[1]["systems"]["full"][section][metric]
    assert value is not None and value >= THRESHOLDS[(section, metric)], value


def test_every_citation_of_every_system_is_exact(run: tuple[Path, Any]) -> None:
    for name in ("full", "tutorial"):
        assert run[1]["systems"][name]["citations"]["validity"] == 1.0
