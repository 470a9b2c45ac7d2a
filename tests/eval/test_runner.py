"""The evaluation run end to end on a tiny two-country corpus (fake embedder: plumbing, fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa.errors import EvaluationError, GoldDataError
from policyqa.eval.runner import evaluate_in_process
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder

NORLANDIA = """# Country factsheet

Norlandia

This is a synthetic factsheet about a fictional country, generated for tests.

## 1. Cluster policy

Norlandia funds its clusters with innovation vouchers worth 40 million euros a year.

The Norlandian cluster programme started in 2015 and is evaluated every three years.
"""


def _question(
    qid: str, question: str, doc_id: str | None, quote: str | None, fact: str | None
) -> dict[str, object]:
    return {
        "id": qid,
        "question": question,
        "answerable": quote is not None,
        "category": "instruments",
        "style": "direct" if quote else "other-country",
        "country": None,
        "evidence": [{"doc_id": doc_id, "quote": quote}] if quote else [],
        "key_facts": [fact] if fact else [],
    }


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    other = tmp_path / "norlandia.md"
    other.write_text(NORLANDIA, "utf-8")
    return [MOROCCO_MD, other]


def _dataset(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return path


def test_a_dataset_spanning_two_countries(tmp_path: Path, corpus: list[Path]) -> None:
    dataset = _dataset(
        tmp_path,
        _question(
            "no-1",
            "How does Norlandia fund its clusters?",
            "norlandia.md",
            "Norlandia funds its clusters with innovation vouchers worth 40 million euros a year.",
            "innovation vouchers",
        ),
        _question(
            "ma-1",
            "What is the budget of Morocco's plan?",
            "eccp-factsheet-morocco-2023.md",
            "Overall: Data unavailable",
            "Data unavailable",
        ),
        _question("de-1", "Which instruments does Germany's cluster policy use?", None, None, None),
    )
    out = tmp_path / "out"
    report = evaluate_in_process(
        [dataset],
        out,
        settings=Settings(index_dir=tmp_path / "index"),
        corpus=corpus,
        embedder=FakeEmbedder(),
        progress=False,
    )
    assert report["questions"] == 3
    assert report["dataset"]["documents"] == ["eccp-factsheet-morocco-2023.md", "norlandia.md"]
    assert report["target"]["documents"] == 2
    full = report["systems"]["full"]
    assert full["retrieval"]["questions"] == 2 and full["retrieval"]["evidence_not_indexed"] == 0
    assert full["abstention"]["recall"] == 1.0  # Germany is in no document
    assert full["citations"]["validity"] == 1.0
    rows = [json.loads(line) for line in (out / "questions.jsonl").read_text("utf-8").splitlines()]
    norlandia = next(row for row in rows if row["system"] == "full" and row["id"] == "no-1")
    # relevant passages come from the right document, and the Norlandia filter kept Morocco out
    assert norlandia["relevant"] and all(
        key.startswith("norlandia.md#") for key in norlandia["relevant"]
    )
    assert all(key.startswith("norlandia.md#") for key in norlandia["ranking"])
    # the tutorial's own passages: the short factsheet is one 1000-character window
    tutorial = next(row for row in rows if row["system"] == "tutorial" and row["id"] == "no-1")
    assert len(tutorial["relevant"]) == 1 and tutorial["relevant"][0].startswith("norlandia.md#0-")


def test_evidence_in_a_document_missing_from_the_corpus_stops_the_run(
    tmp_path: Path, corpus: list[Path]
) -> None:
    dataset = _dataset(tmp_path, _question("x-1", "What is it?", "elsewhere.md", "some text", None))
    with pytest.raises(GoldDataError, match=r"'elsewhere\.md', which is not in the evaluated"):
        evaluate_in_process(
            [dataset],
            tmp_path / "out",
            settings=Settings(index_dir=tmp_path / "index"),
            corpus=corpus,
            embedder=FakeEmbedder(),
            progress=False,
        )
    assert not (tmp_path / "out").exists()  # no report from a run that did not happen


def test_a_corpus_file_that_cannot_be_indexed_stops_the_run(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, _question("x-1", "What is it?", None, None, None))
    with pytest.raises(EvaluationError, match=r"cannot index the corpus: .*missing\.md"):
        evaluate_in_process(
            [dataset],
            tmp_path / "out",
            settings=Settings(index_dir=tmp_path / "index"),
            corpus=[tmp_path / "missing.md"],
            embedder=FakeEmbedder(),
            progress=False,
        )
