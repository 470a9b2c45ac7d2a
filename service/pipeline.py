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

from policyqa.hygiene import clean_client_text
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
from policyqa.index.sentence_vectors import SentenceIndex
from policyqa.index.vectors import SearchTuning
from policyqa.ingest import Chunk
from policyqa.service.aspects import AspectClassifier
from policyqa.service.countries import CountryMatcher
from policyqa.service.evidence import CandidateEvidence, candidate_evidence
from policyqa.service.extractive.answerer import ExtractiveAnswerer
from policyqa.service.extractive.passages import rank_passages
from policyqa.service.factsheet_answers.answerer import FactsheetAnswerer
from policyqa.service.factsheet_answers.library import ProfileLibrary
from policyqa.service.factsheet_answers.template import ASPECT_SECTIONS
from policyqa.service.generation.answerer import build_generator
from policyqa.service.question import parse_question
from policyqa.service.relevance import term_weights
from policyqa.service.routing import detail_terms, not_mentioned, unknown_names
from policyqa.service.types import (
    Answer,
    Answerer,
    AskResult,
    Evidence,
    PassageRanker,
    Question,
    Route,
    SentenceCosines,
)
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
        # one vector per sentence, stored at ingest in a local version folder (None for versions
        # written without them, and for the Qdrant store, which does not hold them yet)
        folder = getattr(snapshot, "path", None)
        self.sentences = (
            None if folder is None else SentenceIndex.load(folder, len(snapshot.chunks))
        )
        self._rows = {chunk.chunk_id: row for row, chunk in enumerate(snapshot.chunks)}
        self.answers: LRUCache[AnswerKey, AskResult] = LRUCache(settings.service.answer_cache_size)
        # a configured model rewrites the answers the routes give (None: answers stay extractive)
        self.generator = build_generator(
            settings.generator, self.answerer, embedder, snapshot.documents
        )

    def search(
        self, query: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> SearchResult:
        """Ranked passages for a search box query (no answer composition), in the order the
        answerer weighs them: a row or heading the query names first, annexes (definitions)
        below the country's own statements, as ``ask`` ranks."""
        query = clean_client_text(query)
        result = self.retriever.search(query, top_k, filters)
        weights = term_weights(parse_question(query, self.countries).terms, self.snapshot.lexical)
        ranked = rank_passages(result.hits, weights, len(result.hits))
        result.hits = [passage.hit for passage in ranked]
        return result

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
        question = clean_client_text(question)
        parsed = self.parse(question)
        detail = detail_terms(
            parsed, self.countries, self.snapshot.lexical, self._policy_names(parsed)
        )
        unknown = unknown_names(parsed, self.countries, self.snapshot.lexical)
        unambiguous = parsed.comparison or (len(parsed.aspects) == 1 and not detail)
        if unambiguous and not unknown and self.factsheets.answers_directly(parsed, filters):
            narrowed = self._narrowed(parsed, filters)
            search = self.retriever.search(
                self._search_text(parsed, narrowed), self._passages(top_k), narrowed, mode="lexical"
            )
            answer_started = time.perf_counter()
            direct = self.factsheets.answer(self._evidence(parsed, search, []), filters)
            if direct is not None:
                route = _profile_route(parsed, "named by the question's wording")
                return self._result(direct, parsed, search, started, answer_started, route)
        evidence, search = self.gather(question, top_k, filters, parsed)
        evidence = replace(evidence, detail_terms=detail)
        answer_started = time.perf_counter()
        if unknown and best_sentence_cosine(evidence) < STRONG_MEANING:
            declined = Answer(not_mentioned(unknown), answerable=False)
            route = Route("declined", "the documents do not contain: " + ", ".join(unknown))
            return self._result(declined, evidence.question, search, started, answer_started, route)
        answer = None if detail else self.factsheets.answer(evidence, filters)
        route = _profile_route(evidence.question, "settled by the question's meaning")
        if answer is None:
            answer = self.answerer.answer(evidence)
            route = _sentence_route(answer, detail)
        if detail and not answer.answerable:
            # no sentence is relevant enough: the field the question means, if one does
            field = self.factsheets.answer(evidence, filters)
            if field is not None:
                answer = field
                route = _profile_route(evidence.question, "no sentence answers the detail")
        return self._result(answer, evidence.question, search, started, answer_started, route)

    def candidate_evidence(
        self, question: str, top_k: int | None = None, filters: SearchFilters | None = None
    ) -> CandidateEvidence:
        """What the answer to ``question`` rests on: the route, and each statement with its
        citation (``service.evidence``), for answerers that build on the extractive answer."""
        return candidate_evidence(self.ask(question, top_k, filters))

    def _policy_names(self, parsed: Question) -> list[str]:
        """The policy names of the countries the question names (they do not single out a
        detail: "the objectives of the Industrial Acceleration Plan" asks for the field)."""
        names = []
        for country in parsed.covered_countries or self.profiles.countries():
            profile = self.profiles.for_country(country)
            if profile is not None and profile.policy_name is not None:
                names.append(profile.policy_name.text)
        return names

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
            sentence_cosines=self._cosines(search),
        )

    def _cosines(self, search: SearchResult) -> SentenceCosines | None:
        """The sentences' cosine with the question, from the vector retrieval computed."""
        sentences, vector = self.sentences, search.query_vector
        if sentences is None or vector is None:
            return None

        def cosines(chunk: Chunk) -> dict[tuple[int, int], float]:
            row = self._rows.get(chunk.chunk_id)
            return {} if row is None else sentences.similarities(row, vector)

        return cosines

    @staticmethod
    def _result(
        answer: Answer,
        parsed: Question,
        search: SearchResult,
        started: float,
        answering: float,
        route: Route | None = None,
    ) -> AskResult:
        timings = dict(search.timings_ms)
        timings["answer"] = _ms(answering)
        timings["total"] = _ms(started)
        return AskResult(
            answer=answer, question=parsed, search=search, timings_ms=timings, route=route
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
        return AskResult(cached.answer, cached.question, cached.search, timings, cached.route), True


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


#: A sentence this close in meaning answers a question even when one of its names is in no
#: document (a spelling variant, a translated name).
STRONG_MEANING = 0.7


def best_sentence_cosine(evidence: Evidence) -> float:
    """The best cosine of a sentence of the top passages with the question (0 unembedded)."""
    if evidence.sentence_cosines is None:
        return 0.0
    scores = [
        score
        for hit in evidence.hits[:5]
        for score in evidence.sentence_cosines(hit.chunk).values()
    ]
    return max(scores, default=0.0)


def _profile_route(parsed: Question, how: str) -> Route:
    if parsed.comparison:
        return Route("comparison", f"compares countries ({how})")
    return Route("profile", f"asks for the {parsed.aspect} field as a whole ({how})")


def _sentence_route(answer: Answer, detail: tuple[str, ...]) -> Route:
    if not answer.answerable:
        return Route("declined", "nothing retrieved is relevant enough")
    if detail:
        return Route("sentences", "asks for a detail: " + ", ".join(detail))
    return Route("sentences", "no template field answers it")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
