"""The question-answering pipeline: load an index, retrieve, answer, time every stage.

``QAEngine`` is what the HTTP service, the CLI and the evaluation share, so the three see the same
answers. ``open_engine`` builds one from settings (loading the model and the live index once).

The engine reads the factsheet profiles of the snapshot's documents when it loads (a few
milliseconds per factsheet, no index change). A question is then answered from a profile when
its aspect is part of the template and its country is known (``service.factsheets``), and by the
extractive answerer otherwise; a detected aspect also makes retrieval prefer that field's
passages.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from policyqa.index import (
    Embedder,
    Hit,
    IndexBuilder,
    IndexSnapshot,
    Retriever,
    SearchFilters,
    SearchResult,
    SentenceTransformerEmbedder,
    chunker_description,
    describe_model,
    load_snapshot,
)
from policyqa.index.store import current_version_path
from policyqa.service.answering import Answer, Answerer, Evidence, ExtractiveAnswerer
from policyqa.service.countries import CountryMatcher
from policyqa.service.factsheets import ASPECT_SECTIONS, FactsheetAnswerer, ProfileLibrary
from policyqa.service.question import Question, parse_question
from policyqa.settings import Settings


@dataclass(frozen=True, slots=True)
class AskResult:
    """An answer, the passages it was drawn from, and per-stage timings in milliseconds."""

    answer: Answer
    question: Question
    search: SearchResult
    timings_ms: dict[str, float] = field(default_factory=dict)


class QAEngine:
    """Answers questions over one loaded index snapshot."""

    def __init__(
        self,
        snapshot: IndexSnapshot,
        embedder: Embedder,
        settings: Settings,
        answerer: Answerer | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        self.settings = settings
        self.retriever = Retriever(snapshot, embedder, settings.retrieval)
        self.answerer: Answerer = answerer or ExtractiveAnswerer(settings.answer)
        self.countries = CountryMatcher(self.retriever.countries)
        started = time.perf_counter()
        self.profiles = ProfileLibrary(snapshot.documents)
        self.profile_ms = _ms(started)  # what reading the profiles cost at load
        self.factsheets = FactsheetAnswerer(self.profiles, settings.answer)

    def search(
        self, query: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> SearchResult:
        """Ranked passages for a search box query (no answer composition)."""
        return self.retriever.search(query, top_k, filters)

    def gather(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> tuple[Evidence, SearchResult]:
        """Parse the question and retrieve its passages.

        A named country narrows the search to that country's documents; a detected aspect
        adds the best passages of that aspect's section (``Evidence.preferred``).
        """
        parsed = parse_question(question, self.countries)
        if not parsed.countries:
            # a question may name a country's policy instead of the country
            by_policy = self.profiles.countries_by_policy(question)
            if len(by_policy) == 1:
                parsed = replace(
                    parsed, countries=tuple(by_policy), indexed_countries=tuple(by_policy)
                )
        filters = filters or SearchFilters()
        if filters.country is None and len(parsed.indexed_countries) == 1:
            filters = SearchFilters(parsed.indexed_countries[0], filters.doc_id, filters.section)
        passages = max(top_k or self.settings.retrieval.top_k, self.settings.answer.passages)
        search = self.retriever.search(question, passages, filters)
        preferred: list[Hit] = []
        section = ASPECT_SECTIONS.get(parsed.aspect or "")
        if section is not None and filters.section is None:
            started = time.perf_counter()
            focused = self.retriever.search(
                question,
                2,
                SearchFilters(filters.country, filters.doc_id, section),
                query_vector=search.query_vector,
            )
            preferred = focused.hits
            search.timings_ms["aspect"] = _ms(started)
        evidence = Evidence(
            question=parsed,
            hits=search.hits,
            lexical=self.snapshot.lexical,
            indexed_countries=self.retriever.countries,
            preferred=preferred,
        )
        return evidence, search

    def ask(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> AskResult:
        """A cited answer to ``question``: from a factsheet profile when the question is about
        a template field of a known country (or across countries), else extracted from the
        retrieved passages."""
        started = time.perf_counter()
        evidence, search = self.gather(question, top_k, filters)
        answer_started = time.perf_counter()
        answer = self.factsheets.answer(evidence, filters) or self.answerer.answer(evidence)
        timings = dict(search.timings_ms)
        timings["answer"] = _ms(answer_started)
        timings["total"] = _ms(started)
        return AskResult(
            answer=answer, question=evidence.question, search=search, timings_ms=timings
        )


def open_engine(
    settings: Settings,
    embedder: Embedder | None = None,
    build_if_missing: bool = False,
    on_build: Callable[[str], None] | None = None,
) -> QAEngine:
    """Load the model and the live index; optionally index the bundled corpus first."""
    embedder = embedder or SentenceTransformerEmbedder(settings.embedding)
    if build_if_missing and current_version_path(settings.index_dir) is None:
        if on_build is not None:
            on_build(f"no index in {settings.index_dir}; indexing {settings.corpus_dir}")
        report = IndexBuilder(settings, embedder).ingest_paths([Path(settings.corpus_dir)])
        if report.failed and not report.added:
            failures = "; ".join(f"{failure.path}: {failure.error}" for failure in report.failed)
            from policyqa.errors import IngestError

            raise IngestError(str(settings.corpus_dir), f"cannot index the corpus: {failures}")
    snapshot = load_snapshot(
        settings.index_dir, describe_model(embedder), chunker_description(settings.chunking)
    )
    return QAEngine(snapshot, embedder, settings)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
