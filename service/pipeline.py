"""The question-answering pipeline: load an index, retrieve, answer, time every stage.

``QAEngine`` is what the HTTP service, the CLI and the evaluation share, so the three see the same
answers. ``open_engine`` builds one from settings (loading the model and the live index once).
An engine serves one immutable index version; ``ask_cached`` remembers its recent answers (a new
version comes with a new engine, hence an empty cache).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from policyqa.index import (
    Embedder,
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
from policyqa.index.cache import LRUCache
from policyqa.index.embedding import load_query_embedder
from policyqa.index.store import current_version_path
from policyqa.index.vectors import SearchTuning
from policyqa.service.answering import Answer, Answerer, Evidence, ExtractiveAnswerer
from policyqa.service.countries import CountryMatcher
from policyqa.service.question import Question, parse_question
from policyqa.settings import Settings


@dataclass(frozen=True, slots=True)
class AskResult:
    """An answer, the passages it was drawn from, and per-stage timings in milliseconds."""

    answer: Answer
    question: Question
    search: SearchResult
    timings_ms: dict[str, float] = field(default_factory=dict)


#: What identifies a cached answer: question, top_k, filters and the index version.
AnswerKey = tuple[str, int | None, SearchFilters, str]


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
        self.answers: LRUCache[AnswerKey, AskResult] = LRUCache(settings.service.answer_cache_size)

    def search(
        self, query: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> SearchResult:
        """Ranked passages for a search box query (no answer composition)."""
        return self.retriever.search(query, top_k, filters)

    def gather(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> tuple[Evidence, SearchResult]:
        """Parse the question and retrieve its passages; a named country narrows the search."""
        parsed = parse_question(question, self.countries)
        filters = filters or SearchFilters()
        if filters.country is None and len(parsed.indexed_countries) == 1:
            filters = SearchFilters(parsed.indexed_countries[0], filters.doc_id, filters.section)
        passages = max(top_k or self.settings.retrieval.top_k, self.settings.answer.passages)
        search = self.retriever.search(question, passages, filters)
        evidence = Evidence(
            question=parsed,
            hits=search.hits,
            lexical=self.snapshot.lexical,
            indexed_countries=self.retriever.countries,
        )
        return evidence, search

    def ask(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> AskResult:
        """A cited answer to ``question``."""
        started = time.perf_counter()
        evidence, search = self.gather(question, top_k, filters)
        answer_started = time.perf_counter()
        answer = self.answerer.answer(evidence)
        timings = dict(search.timings_ms)
        timings["answer"] = _ms(answer_started)
        timings["total"] = _ms(started)
        return AskResult(
            answer=answer, question=evidence.question, search=search, timings_ms=timings
        )

    def ask_cached(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> tuple[AskResult, bool]:
        """``ask``, or the same answer from the cache when asked before: (result, from_cache).

        A cached result's ``timings_ms`` is ``{"cache": ..., "total": ...}``: the time it took.
        """
        started = time.perf_counter()
        key: AnswerKey = (question, top_k, filters or SearchFilters(), self.snapshot.version)
        cached = self.answers.get(key)
        if cached is None:
            result = self.ask(question, top_k, filters)
            self.answers.put(key, result)
            return result, False
        elapsed = _ms(started)
        timings = {"cache": elapsed, "total": elapsed}
        return AskResult(cached.answer, cached.question, cached.search, timings), True


def open_engine(
    settings: Settings,
    embedder: Embedder | None = None,
    build_if_missing: bool = False,
    on_build: Callable[[str], None] | None = None,
) -> QAEngine:
    """Load the model and the live index; optionally index the bundled corpus first.

    Questions are embedded by ``load_query_embedder`` (NumPy when the model allows) unless an
    ``embedder`` is given; indexing the corpus uses sentence-transformers, built for batches.
    """
    if build_if_missing and current_version_path(settings.index_dir) is None:
        if on_build is not None:
            on_build(f"no index in {settings.index_dir}; indexing {settings.corpus_dir}")
        builder = IndexBuilder(
            settings, embedder or SentenceTransformerEmbedder(settings.embedding)
        )
        report = builder.ingest_paths([Path(settings.corpus_dir)])
        if report.failed and not report.added:
            failures = "; ".join(f"{failure.path}: {failure.error}" for failure in report.failed)
            from policyqa.errors import IngestError

            raise IngestError(str(settings.corpus_dir), f"cannot index the corpus: {failures}")
    embedder = embedder or load_query_embedder(settings.embedding)
    tuning = SearchTuning(settings.retrieval.nprobe, settings.retrieval.ef_search)
    snapshot = load_snapshot(
        settings.index_dir,
        describe_model(embedder),
        chunker_description(settings.chunking),
        tuning=tuning,
    )
    return QAEngine(snapshot, embedder, settings)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
