"""The corpora the benchmark runs on, and the questions it asks.

- ``bundled``: the seed factsheet as the service ships it (``policyqa/corpus``), and for ingest
  its Markdown and PDF forms (the PDF comes from ``tests/data`` of a source checkout).
- ``synthetic``: Morocco plus 50 factsheets about fictional countries. They come from
  ``policyqa.eval.synthetic`` when that module is installed; otherwise from a fallback made here:
  the Morocco factsheet with its country renamed, marked "Synthetic factsheet ... not real data"
  so that ingest flags it synthetic. The benchmark output says which one ran.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policyqa.service.countries import WORLD_ALIASES
from policyqa.settings import bundled_corpus_dir

REPOSITORY = Path(__file__).resolve().parents[2]
SEED_MARKDOWN = bundled_corpus_dir() / "eccp-factsheet-morocco-2023.md"
SEED_PDF = REPOSITORY / "tests" / "data" / "eccp-factsheet-morocco-2023.pdf"
CALIBRATION = Path(__file__).resolve().parents[1] / "data" / "calibration.jsonl"
FALLBACK_MARKER = (
    "Synthetic factsheet: fictional country generated for benchmarking; not real data."
)

_SYLLABLES = ("nor", "ves", "tal", "mar", "quen", "dor", "li", "sa", "vo", "ran", "tel", "bri")
_ENDINGS = ("ia", "and", "ora", "istan", "ania", "elle")


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
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED_MARKDOWN, folder / SEED_MARKDOWN.name)
    try:
        files, source = _from_generator(folder, count)
    except (ImportError, AttributeError, TypeError) as error:
        files = _fallback(folder, count)
        source = (
            "fallback: the Morocco factsheet renamed to fictional countries "
            f"(policyqa.eval.synthetic not usable: {type(error).__name__}: {error})"
        )
    return Corpus(f"morocco+{count}", (folder / SEED_MARKDOWN.name, *files), source, len(files))


def _from_generator(folder: Path, count: int) -> tuple[list[Path], str]:
    from policyqa.eval import synthetic  # type: ignore[attr-defined]  # another branch's module

    files = []
    for truth in synthetic.make_truths(count):
        path = folder / f"{truth.slug}.md"
        path.write_text(synthetic.to_markdown(truth), encoding="utf-8")
        files.append(path)
    return files, "policyqa.eval.synthetic (make_truths, to_markdown)"


def fictional_countries(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct made-up country names that are not real countries."""
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2))))
        name = (stem + rng.choice(_ENDINGS)).capitalize()
        if name not in names and name.lower() not in WORLD_ALIASES and len(name) > 4:
            names.append(name)
    return names


def _fallback(folder: Path, count: int) -> list[Path]:
    """The Morocco factsheet about fictional countries, marked synthetic under its title."""
    text = SEED_MARKDOWN.read_text(encoding="utf-8")
    files = []
    for name in fictional_countries(count):
        # also inside links and file names ("..._in_Morocco_in_...")
        renamed = text.replace("MOROCCO", name.upper()).replace("Moroccan", f"{name}n")
        renamed = renamed.replace("Morocco", name)
        renamed = renamed.replace(f"\n{name}\n", f"\n{name}\n\n{FALLBACK_MARKER}\n", 1)
        path = folder / f"synthetic-factsheet-{name.lower()}-2023.md"
        path.write_text(renamed, encoding="utf-8")
        files.append(path)
    return files


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
