"""Gold questions: the JSONL schema, loading with validation, and locating evidence in documents.

One JSON object per line (see ``eval/README.md``)::

    {"id": "ma-instruments-1", "question": "...", "answerable": true, "category": "instruments",
     "style": "direct", "country": "Morocco",
     "evidence": [{"doc_id": "eccp-factsheet-morocco-2023.md", "quote": "exact text"}],
     "key_facts": ["Funding collaboration initiatives"]}

``quote`` is exact text of the document's canonical text. ``locate_evidence`` finds every
occurrence of every quote at load time and fails loudly when one is missing, so gold data cannot
silently rot when ingestion changes. A dataset may span many documents and countries.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policyqa.errors import GoldDataError

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The bundled gold set about the Morocco factsheet (kept apart from calibration.jsonl, on which
#: the "not covered" threshold was calibrated).
DEFAULT_DATASET = DATA_DIR / "gold-morocco.jsonl"

Style = Literal[
    "direct",
    "paraphrase",
    "yesno",
    "number",
    "comparison",
    "reference",
    "adversarial",
    "other-country",
    "off-topic",
]


class GoldEvidence(BaseModel):
    """A passage of a document that holds (part of) the answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(..., min_length=1, description="The document's id, e.g. its file name.")
    quote: str = Field(
        ..., min_length=1, description="Exact text of the document's canonical text."
    )


class GoldQuestion(BaseModel):
    """One question with what a correct answer must contain and where it stands."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(..., min_length=1, description="Unique within the dataset.")
    question: str = Field(..., min_length=1, max_length=2000, description="As an analyst asks.")
    answerable: bool = Field(..., description="False when the right answer is an abstention.")
    category: str = Field(..., min_length=1, description="Aspect asked about, e.g. 'budget'.")
    style: Style = Field(..., description="How the question is phrased.")
    country: str | None = Field(None, description="Country the question is about, if any.")
    evidence: tuple[GoldEvidence, ...] = Field(
        (), description="Where the answer stands; empty for unanswerable questions."
    )
    key_facts: tuple[str, ...] = Field(
        (), description="Short phrases a correct answer must contain (case and punctuation free)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> GoldQuestion:
        if self.answerable and not self.evidence:
            raise ValueError("an answerable question needs at least one evidence quote")
        if not self.answerable and (self.evidence or self.key_facts):
            raise ValueError("an unanswerable question has no evidence and no key facts")
        for fact in self.key_facts:
            if not normalise(fact):
                raise ValueError(f"key fact {fact!r} has no words")
            if not any(contains(evidence.quote, fact) for evidence in self.evidence):
                # an extractive answer can only say what the documents say
                raise ValueError(f"key fact {fact!r} is in none of the evidence quotes")
        return self


@dataclass(frozen=True, slots=True)
class Span:
    """A character span of one document's canonical text."""

    doc_id: str
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        """True when both spans share at least one character of the same document."""
        return self.doc_id == other.doc_id and self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Dataset:
    """Gold questions read from one file."""

    name: str  # file name, shown in reports
    path: str
    questions: tuple[GoldQuestion, ...]

    @property
    def doc_ids(self) -> list[str]:
        """Every document some evidence cites, sorted."""
        return sorted({e.doc_id for q in self.questions for e in q.evidence})


def load_dataset(path: Path) -> Dataset:
    """Read and validate a gold JSONL file; errors name the line and the problem."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise GoldDataError(f"cannot read dataset {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise GoldDataError(f"dataset {path} is not UTF-8 text") from error
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            question = GoldQuestion.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            raise GoldDataError(f"{path}:{number}: not JSON ({error.msg})") from error
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            message = f"{where}: {problem['msg']}" if where else str(problem["msg"])
            raise GoldDataError(f"{path}:{number}: {message}") from error
        if question.id in seen:
            raise GoldDataError(f"{path}:{number}: duplicate id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise GoldDataError(f"dataset {path} holds no questions")
    return Dataset(name=path.name, path=str(path), questions=tuple(questions))


def locate_evidence(
    questions: Sequence[GoldQuestion], text_of: Callable[[str], str | None]
) -> dict[str, tuple[Span, ...]]:
    """The gold spans of every question: each occurrence of each quote in its document.

    ``text_of`` returns a document's canonical text, or None when the document is unknown.
    A quote that is not found, or a document that is not there, is an error, not a skip.
    """
    texts: dict[str, str | None] = {}
    located: dict[str, tuple[Span, ...]] = {}
    for question in questions:
        spans: list[Span] = []
        for evidence in question.evidence:
            if evidence.doc_id not in texts:
                texts[evidence.doc_id] = text_of(evidence.doc_id)
            text = texts[evidence.doc_id]
            if text is None:
                raise GoldDataError(
                    f"question {question.id!r} cites document {evidence.doc_id!r}, which is not "
                    "in the evaluated index (index it, or pass it with --corpus)"
                )
            found = find_all(text, evidence.quote)
            if not found:
                raise GoldDataError(
                    f"question {question.id!r}: quote not found in {evidence.doc_id}: "
                    f"{_shorten(evidence.quote)!r} (the gold data no longer matches the "
                    "document's canonical text)"
                )
            spans.extend(Span(evidence.doc_id, start, end) for start, end in found)
        located[question.id] = tuple(spans)
    return located


def find_all(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``quote`` occurs in ``text``."""
    spans = []
    start = text.find(quote)
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: punctuation, quotes and dashes ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def contains(text: str, fact: str) -> bool:
    """True when ``fact`` appears in ``text`` as whole words (see ``normalise``)."""
    needle = normalise(fact)
    return bool(needle) and f" {needle} " in f" {normalise(text)} "


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
