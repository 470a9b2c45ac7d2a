"""Gold data: the schema is enforced, quotes are found or the load fails, the bundled set holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa.errors import GoldDataError
from policyqa.eval.dataset import DATA_DIR, DEFAULT_DATASET, load_dataset, locate_evidence
from policyqa.ingest import load_document
from policyqa.settings import bundled_corpus_dir

MOROCCO = "eccp-factsheet-morocco-2023.md"


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "q1",
        "question": "What is the budget?",
        "answerable": True,
        "category": "budget",
        "style": "direct",
        "country": "Morocco",
        "evidence": [{"doc_id": MOROCCO, "quote": "Overall: Data unavailable"}],
        "key_facts": ["Data unavailable"],
    }
    row.update(changes)
    return row


def _write(tmp_path: Path, *rows: dict[str, object] | str) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{not json", "gold.jsonl:2: not JSON"),
        (_row(id="q2", style="rhetorical"), "gold.jsonl:2: style"),
        (_row(id="q2", evidence=[]), "needs at least one evidence quote"),
        (_row(id="q2", answerable=False), "unanswerable question has no evidence"),
        (_row(id="q2", key_facts=["12 million euros"]), "in none of the evidence quotes"),
        (_row(id="q2", extra="field"), "gold.jsonl:2: extra"),
        (_row(), "duplicate id 'q1'"),
    ],
)
def test_malformed_rows_are_refused_with_their_line(
    tmp_path: Path, row: dict[str, object] | str, message: str
) -> None:
    with pytest.raises(GoldDataError, match=message):
        load_dataset(_write(tmp_path, _row(), row))


def test_evidence_is_every_occurrence_of_the_quote_and_a_missing_quote_fails(
    tmp_path: Path,
) -> None:
    text = "Budget: Data unavailable. Annual: Data unavailable."
    dataset = load_dataset(
        _write(
            tmp_path,
            _row(evidence=[{"doc_id": MOROCCO, "quote": "Data unavailable"}]),
        )
    )
    spans = locate_evidence(dataset.questions, {MOROCCO: text}.get)
    assert [(s.start, s.end) for s in spans["q1"]] == [(8, 24), (34, 50)]

    with pytest.raises(GoldDataError, match=r"quote not found in eccp-factsheet-morocco-2023\.md"):
        locate_evidence(dataset.questions, {MOROCCO: "Budget: 12 million euros"}.get)
    with pytest.raises(GoldDataError, match="not in the evaluated index"):
        locate_evidence(dataset.questions, lambda doc_id: None)


def test_the_bundled_gold_set_matches_the_bundled_factsheet() -> None:
    dataset = load_dataset(DEFAULT_DATASET)
    document = load_document(bundled_corpus_dir() / MOROCCO)
    spans = locate_evidence(dataset.questions, {MOROCCO: document.text}.get)
    answerable = [q for q in dataset.questions if q.answerable]
    assert len(answerable) >= 60 and len(dataset.questions) - len(answerable) >= 10
    assert all(spans[q.id] for q in answerable)
    styles = {q.style for q in dataset.questions}
    assert {"paraphrase", "yesno", "number", "reference", "other-country", "off-topic"} <= styles
    # the "not covered" threshold was calibrated on calibration.jsonl: never evaluate on it
    calibration = {
        json.loads(line)["question"].lower()
        for line in (DATA_DIR / "calibration.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    }
    assert not calibration & {q.question.lower() for q in dataset.questions}
