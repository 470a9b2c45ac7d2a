"""The corpora the benchmark runs on, and the questions it asks.

- ``bundled``: the seed factsheet as the service ships it (``policyqa/corpus``), and for ingest
  its Markdown and PDF forms (the PDF comes from ``tests/data`` of a source checkout).
- ``synthetic``: Morocco plus 50 factsheets about fictional countries from the generator
  ``policyqa.eval.synthetic`` (Markdown, marked synthetic in their text and metadata).
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policyqa.settings import bundled_corpus_dir

REPOSITORY = Path(__file__).resolve().parents[2]
SEED_MARKDOWN = bundled_corpus_dir() / "eccp-factsheet-morocco-2023.md"
SEED_PDF = REPOSITORY / "tests" / "data" / "eccp-factsheet-morocco-2023.pdf"
CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration.jsonl"


@dataclass(frozen=True, slots=True)
class Corpus:
    """Files to ingest and where they came from."""

    name: str
    files: tuple[Path, ...]
    source: str  # how the files were made, stated in the report
    synthetic_documents: int = 0


def seed_files() -> tuple[Path, ...]:
    """The seed factsheet as Markdown, and as PDF when the source checkout has it."""
    return (SEED_MARKDOWN, SEED_PDF) if SEED_PDF.exists() else (SEED_MARKDOWN,)


def bundled_corpus() -> Corpus:
    """What ``policyqa serve`` indexes by default."""
    return Corpus("bundled", (SEED_MARKDOWN,), "policyqa/corpus (the Morocco factsheet)")


def synthetic_corpus(folder: Path, count: int = 50) -> Corpus:
    """Morocco plus ``count`` synthetic factsheets written into ``folder``."""
    from policyqa.eval import synthetic

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED_MARKDOWN, folder / SEED_MARKDOWN.name)
    files = []
    for truth in synthetic.make_truths(count):
        path = folder / f"{truth.slug}.md"
        path.write_text(synthetic.to_markdown(truth), encoding="utf-8")
        files.append(path)
    source = "policyqa.eval.synthetic (make_truths, to_markdown)"
    return Corpus(f"morocco+{count}", (folder / SEED_MARKDOWN.name, *files), source, len(files))


def calibration_questions() -> list[str]:
    """The 82 calibration questions (answerable and off-corpus): realistic queries."""
    rows = CALIBRATION.read_text(encoding="utf-8").splitlines()
    return [json.loads(row)["question"] for row in rows if row.strip()]


_LEAD_INS = (
    "",
    "Please tell me: ",
    "Quick question - ",
    "According to the factsheet, ",
    "I need to know: ",
    "Could you check: ",
    "For my report, ",
    "In short, ",
)


def iter_distinct_questions(seed: int = 0) -> Iterator[str]:
    """An endless stream of different question texts, so that no cache can answer them.

    Calibration questions with varied lead-ins and a numbered note: the text differs, the work
    (embedding, retrieval, answer) is that of a new question.
    """
    base = calibration_questions()
    rng = random.Random(seed)
    for number in itertools.count():
        question = rng.choice(base)
        lead = rng.choice(_LEAD_INS)
        if lead:
            question = lead + question[0].lower() + question[1:]
        yield f"{question} (query {number})"


def distinct_questions(count: int, seed: int = 0) -> list[str]:
    """The first ``count`` of ``iter_distinct_questions``."""
    return list(itertools.islice(iter_distinct_questions(seed), count))
