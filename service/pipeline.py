"""The question-answering pipeline: load an index, retrieve, answer, time every stage.

``QAEngine`` is what the HTTP service, the CLI and the evaluation share, so the three see the same
answers. ``open_engine`` builds one from settings (loading the model and the live index once).

The engine reads the factsheet profiles of the snapshot's documents when it loads (a few
milliseconds per factsheet, no index change). A question is then answered from a profile when
its aspect is part of the template and its country is known, or when it compares countries
(``service.factsheet_answers``); only BM25 runs then, to score the passages quoted. Otherwise hybrid
retrieval and the extractive answerer answer it, a detected aspect making retrieval prefer
that field's passages.

An engine serves one immutable index version; ``ask_cached`` remembers its recent answers (a new
version comes with a new engine, hence an empty cache).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from policyqa.index import (
    Embedder,
    Hit,
    IndexBuilder,
    Retriever,
    SearchFilters,
    SearchResult,
    SentenceTransformerEmbedder,
    chunker_description,
    describe_model,
)
from policyqa.index.cache import LRUCache
from policyqa.index.embedding import load_query_embedder
from policyqa.index.passage_store import StoreSnapshot, open_store
from policyqa.index.vectors import SearchTuning
from policyqa.service.aspects import AspectClassifier
from policyqa.service.countries import CountryMatcher
from policyqa.service.extractive.answerer import ExtractiveAnswerer
from policyqa.service.factsheet_answers.answerer import FactsheetAnswerer
from policyqa.service.factsheet_answers.library import ProfileLibrary
from policyqa.service.factsheet_answers.template import ASPECT_SECTIONS
from policyqa.service.question import parse_question
from policyqa.service.types import Answer, Answerer, AskResult, Evidence, PassageRanker, Question
from policyqa.settings import Settings

#: Asked once by every new engine before it serves, so the first user does not pay for warm-up.
WARM_UP_QUESTION = "warm-up: what are the policy objectives?"

#: What identifies a cached answer: question, top_k, filters and the index version.
AnswerKey = tuple[str, int | None, SearchFilters, str]


class QAEngine:
    """Answers questions over one loaded index snapshot."""

    def __init__(
        self,
        snapshot: StoreSnapshot,
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
        self.aspects = AspectClassifier(embedder)
        self.answers: LRUCache[AnswerKey, AskResult] = LRUCache(settings.service.answer_cache_size)

    def search(
        self, query: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> SearchResult:
        """Ranked passages for a search box query (no answer composition)."""
        return self.retriever.search(query, top_k, filters)

    def parse(self, question: str) -> Question:
        """The parsed question; a question naming a country's policy names that country."""
        parsed = parse_question(question, self.countries)
        if not parsed.countries:
            by_policy = self.profiles.countries_by_policy(question)
            if len(by_policy) == 1:
                parsed = replace(
                    parsed, countries=tuple(by_policy), covered_countries=tuple(by_policy)
                )
        return parsed

    def gather(
        self,
        question: str,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
        parsed: Question | None = None,
    ) -> tuple[Evidence, SearchResult]:
        """Parse the question and retrieve its passages (hybrid).

        A named country narrows the search to that country's documents; the question's aspect
        (from its wording, or its meaning: ``service.aspects``) adds the best passages of that
        aspect's section (``Evidence.preferred``).
        """
        parsed = parsed or self.parse(question)
        filters = self._narrowed(parsed, filters)
        search_text = self._search_text(parsed, filters)
        search = self.retriever.search(search_text, self._passages(top_k), filters)
        # wording suggested several aspects, or none: let the question's meaning decide
        parsed = self.aspects.resolve(parsed, search.query_vector)
        preferred: list[Hit] = []
        section = ASPECT_SECTIONS.get(parsed.aspect or "")
        if section is not None and filters.section is None:
            started = time.perf_counter()
            focused = self.retriever.search(
                search_text,
                2,
                SearchFilters(filters.country, filters.doc_id, section),
                query_vector=search.query_vector,
            )
            preferred = focused.hits
            search.timings_ms["aspect"] = _ms(started)
        return self._evidence(parsed, search, preferred), search

    def rank(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> list[Hit]:
        """The passages ``ask`` draws on, in the order its answerer weighs them.

        Retrieval as in ``ask`` (a named country narrows the search), then the answerer's own
        re-ranking when it has one (``PassageRanker``), else the retrieval order. With ``top_k``
        above the passages the answerer reads, the rest follow in retrieval order.
        """
        evidence, _ = self.gather(question, top_k, filters)
        if isinstance(self.answerer, PassageRanker):
            return self.answerer.rank_passages(evidence)
        return list(evidence.hits)

    def _search_text(self, parsed: Question, filters: SearchFilters) -> str:
        """The question without the country its search is restricted to: the filter says it."""
        if filters.country is None:
            return parsed.text
        named = [c for c in parsed.covered_countries if c.lower() == filters.country.lower()]
        return (self.countries.remove(parsed.text, named) if named else "") or parsed.text

    def ask(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> AskResult:
        """A cited answer to ``question``.

        From a factsheet profile when the question's wording names one template aspect of a
        known country (or compares countries): then only BM25 runs, to score the passages
        quoted, and the model is not needed. Otherwise hybrid retrieval, the aspect settled by
        meaning, then a profile answer or the extractive answerer.
        """
        started = time.perf_counter()
        parsed = self.parse(question)
        unambiguous = len(parsed.aspects) == 1 or parsed.comparison
        if unambiguous and self.factsheets.answers_directly(parsed, filters):
            narrowed = self._narrowed(parsed, filters)
            search = self.retriever.search(
                self._search_text(parsed, narrowed), self._passages(top_k), narrowed, mode="lexical"
            )
            answer_started = time.perf_counter()
            direct = self.factsheets.answer(self._evidence(parsed, search, []), filters)
            if direct is not None:
                return self._result(direct, parsed, search, started, answer_started)
        evidence, search = self.gather(question, top_k, filters, parsed)
        answer_started = time.perf_counter()
        answer = self.factsheets.answer(evidence, filters) or self.answerer.answer(evidence)
        return self._result(answer, evidence.question, search, started, answer_started)

    def warm(self) -> None:
        """Do once what the first questions would otherwise pay for: embed the aspect examples
        and answer one question (code paths, caches)."""
        self.aspects.warm()
        self.ask(WARM_UP_QUESTION)

    def _narrowed(self, parsed: Question, filters: SearchFilters | None) -> SearchFilters:
        """The filters, narrowed to the one country the question names (if it names one)."""
        filters = filters or SearchFilters()
        if filters.country is None and len(parsed.covered_countries) == 1:
            return SearchFilters(parsed.covered_countries[0], filters.doc_id, filters.section)
        return filters

    def _passages(self, top_k: int | None) -> int:
        return max(top_k or self.settings.retrieval.top_k, self.settings.answer.passages)

    def _evidence(self, parsed: Question, search: SearchResult, preferred: list[Hit]) -> Evidence:
        return Evidence(
            question=parsed,
            hits=search.hits,
            lexical=self.snapshot.lexical,
            index_countries=self.retriever.countries,
            preferred=preferred,
        )

    @staticmethod
    def _result(
        answer: Answer, parsed: Question, search: SearchResult, started: float, answering: float
    ) -> AskResult:
        timings = dict(search.timings_ms)
        timings["answer"] = _ms(answering)
        timings["total"] = _ms(started)
        return AskResult(answer=answer, question=parsed, search=search, timings_ms=timings)

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
    store = open_store(settings)  # the local folder, or Qdrant
    if build_if_missing and store.current_version() is None:
        if on_build is not None:
            on_build(f"no index in {store.location}; indexing {settings.corpus_dir}")
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
    snapshot = store.load(
        describe_model(embedder), chunker_description(settings.chunking), tuning=tuning
    )
    return QAEngine(snapshot, embedder, settings)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
