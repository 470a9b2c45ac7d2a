"""The nouns of answering a question: what is asked, what retrieval found, what is answered.

``Question`` is a parsed question (``service.question`` parses it), ``Evidence`` the passages
retrieval found for it, ``Answer`` the cited answer with its ``Citation``s, and ``AskResult`` all of
it with the timings the engine measured. ``Answerer`` and ``PassageRanker`` are what an answerer
implements. The retrieval nouns (``Hit``, ``SearchResult``, ``SearchFilters``) are
``policyqa.index``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from policyqa.index import Hit, SearchResult
from policyqa.index.passage_store import TermWeights
from policyqa.ingest import Chunk

#: Cosine with the question of each sentence of a passage, keyed by the sentence's span
#: (``index.sentence_vectors``); empty when the index has no sentence vectors.
SentenceCosines = Callable[[Chunk], Mapping[tuple[int, int], float]]


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question."""

    text: str
    terms: tuple[str, ...]  # analysed BM25 terms (lower-cased, stemmed, no stop words)
    countries: tuple[str, ...]  # countries named, indexed or not, in order of mention
    covered_countries: tuple[str, ...]  # the named countries that indexed documents cover
    missing_countries: tuple[str, ...]  # named countries no indexed document covers
    aspects: tuple[str, ...] = ()  # template aspects recognised, the primary one first
    subfields: tuple[str, ...] = ()  # sub-rows singled out ("starting_year", "financial")
    comparison: bool = False  # asks across countries ("Which countries ...", "Compare ...")
    yes_no: bool = False  # a yes/no question ("Does Morocco have ...?")
    aspect_from_meaning: bool = False  # the aspect came from the question's meaning, not wording

    @property
    def aspect(self) -> str | None:
        """The primary aspect, if any."""
        return self.aspects[0] if self.aspects else None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What retrieval found for a question."""

    question: Question
    hits: Sequence[Hit]
    lexical: TermWeights  # for term weights (IDF)
    index_countries: Sequence[str] = ()  # every country the indexed documents cover
    preferred: Sequence[Hit] = ()  # best passages of the question's aspect (its field, section)
    sentence_cosines: SentenceCosines | None = None  # None: the question was not embedded
    detail_terms: tuple[str, ...] = ()  # what it asks beyond its field (``service.routing``)


@dataclass(frozen=True, slots=True)
class Citation:
    """A quoted span of a document that supports one statement of an answer."""

    id: int  # the n of the marker [n] in the answer text
    doc_id: str
    title: str
    country: str | None
    section: str  # section path of the passage, e.g. "... > Table 1 > INSTRUMENTS"
    page: int | None  # page of the quote's first character (None for unpaginated sources)
    start: int  # offset into the document's canonical text
    end: int
    quote: str  # == document.text[start:end]
    score: float  # retrieval score of the passage the quote comes from


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer with its citations; ``answerable`` is False when the documents do not say."""

    text: str
    answerable: bool
    citations: tuple[Citation, ...] = ()
    generated: bool = False  # written by the configured model (``service.generation``), verified
    removed: int = 0  # generated sentences their citations did not support (withdrawn or marked)
    note: str | None = None  # why a generated answer fell back to the extractive one, if it did


@dataclass(frozen=True, slots=True)
class Route:
    """Which kind of answer the engine gave, and why (returned with the answer so it can be
    checked): ``profile`` (a factsheet field as a whole), ``comparison`` (across countries),
    ``sentences`` (the passages' best sentences), ``declined``."""

    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class AskResult:
    """An answer, the passages it was drawn from, and per-stage timings in milliseconds."""

    answer: Answer
    question: Question
    search: SearchResult
    timings_ms: dict[str, float] = field(default_factory=dict)
    route: Route | None = None


class Answerer(Protocol):
    """Turns a question and its retrieved passages into a cited answer."""

    def answer(self, evidence: Evidence) -> Answer:
        """The answer to ``evidence.question`` built from ``evidence.hits``."""
        ...


@runtime_checkable
class PassageRanker(Protocol):
    """An answerer that can show the order in which it weighs the retrieved passages."""

    def rank_passages(self, evidence: Evidence) -> list[Hit]:
        """``evidence.hits`` re-ranked as the answerer weighs them."""
        ...
