"""The systems compared by an evaluation run, behind one small interface.

In process, over one index and one embedding model:

- ``bm25``: ``Retriever.search(mode="lexical")``; retrieval only.
- ``dense``: ``Retriever.search(mode="dense")``; retrieval only.
- ``hybrid``: ``Retriever.search(mode="hybrid", labels=False)``: dense and BM25 fused by
  reciprocal rank, nothing else; retrieval only.
- ``full``: what ``/v1/ask`` does: the answer and citations of ``QAEngine.ask``, and as its ranking
  the passages in the order its answerer weighs them (``QAEngine.rank``: the question's country
  filter, hybrid retrieval with the section-label ranking, then the answerer's re-ranking).
- ``tutorial``: fixed 1000-character chunks, dense only, the top passages as the answer
  (``policyqa.eval.tutorial``).

Against a running service, through the HTTP contract alone:

- ``service``: the answer of ``POST /v1/ask`` and the ranking of ``GET /v1/search``.

Every system says which of its passages hold gold evidence (its qrels), because each has its own
passages: a passage is relevant when its span overlaps a gold evidence span.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from policyqa.errors import EvaluationError
from policyqa.eval.dataset import Span
from policyqa.eval.metrics import RANKING_DEPTH, CitedSpan, PassageSpan, relevant_passages
from policyqa.eval.tutorial import ANSWER_PASSAGES, CHUNK_CHARS, TutorialPipeline
from policyqa.index import Hit, SearchMode

if TYPE_CHECKING:
    import httpx

    from policyqa.service.pipeline import QAEngine


@dataclass(frozen=True, slots=True)
class SystemAnswer:
    """What a system answered."""

    text: str
    answerable: bool  # False: the system declined ("not covered")
    citations: tuple[CitedSpan, ...] = ()
    generated_sentences: int = 0  # sentences a configured model wrote (docs/generation.md)
    supported_sentences: int = 0  # of them, those verification found supported


@dataclass(frozen=True, slots=True)
class SystemOutput:
    """A system's response to one question."""

    ranking: tuple[PassageSpan, ...]  # best first, at most RANKING_DEPTH
    answer: SystemAnswer | None  # None for retrieval-only systems
    timings_ms: dict[str, float] = field(default_factory=dict)  # embed, retrieve, answer, total


class EvaluatedSystem(Protocol):
    """One system under evaluation."""

    name: str
    description: str
    answers: bool  # True when it composes answers (answer metrics apply)

    def run(self, question: str) -> SystemOutput:
        """The system's ranking (and answer) for ``question``, with stage timings."""
        ...

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Keys of this system's passages that overlap the gold ``evidence``."""
        ...


class PassageQrels:
    """Relevance by span overlap over a known list of passages."""

    def __init__(self, passages: Iterable[PassageSpan]) -> None:
        self._by_doc: dict[str, list[PassageSpan]] = {}
        for passage in passages:
            self._by_doc.setdefault(passage.doc_id, []).append(passage)

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Keys of the passages overlapping ``evidence``."""
        docs = {span.doc_id for span in evidence}
        candidates = [p for doc_id in docs for p in self._by_doc.get(doc_id, [])]
        return relevant_passages(candidates, evidence)


def _passage(hit: Hit) -> PassageSpan:
    return PassageSpan(hit.chunk.doc_id, hit.chunk.start, hit.chunk.end)


def _retrieve_ms(timings: dict[str, float]) -> float:
    return sum(timings.get(stage, 0.0) for stage in ("dense", "lexical", "fuse"))


def _stage_timings(timings: dict[str, float], total: float) -> dict[str, float]:
    """Engine timings (embed, dense, lexical, fuse, answer) as embed / retrieve / answer / total."""
    stages = {"retrieve": _retrieve_ms(timings), "total": total}
    for stage in ("embed", "answer"):
        if stage in timings:
            stages[stage] = timings[stage]
    return stages


# --- in process -----------------------------------------------------------------------------------


class RetrieverSystem:
    """A retrieval-only baseline: one mode of ``Retriever.search``, no filters."""

    answers = False

    def __init__(self, engine: QAEngine, mode: SearchMode, qrels: PassageQrels) -> None:
        self.engine = engine
        self.mode = mode
        self.name = {"lexical": "bm25", "dense": "dense", "hybrid": "hybrid"}[mode]
        self.description = {
            "lexical": "BM25 only",
            "dense": "dense only (FAISS, same model and passages)",
            "hybrid": "BM25 + dense fused by reciprocal rank",
        }[mode]
        self._qrels = qrels

    def run(self, question: str) -> SystemOutput:
        """Search with this mode."""
        started = time.perf_counter()
        # plain fusion of the two retrievers: the section-label ranking belongs to the full system
        result = self.engine.retriever.search(question, RANKING_DEPTH, mode=self.mode, labels=False)
        total = (time.perf_counter() - started) * 1000
        return SystemOutput(
            ranking=tuple(_passage(hit) for hit in result.hits),
            answer=None,
            timings_ms=_stage_timings(result.timings_ms, total),
        )

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Overlap with the index's passages."""
        return self._qrels.relevant(evidence)


class FullSystem:
    """The whole pipeline: question parsing, hybrid retrieval, re-ranking, cited answer."""

    name = "full"
    description = "the full system: country filter, hybrid retrieval, answerer re-ranking, answer"
    answers = True

    def __init__(self, engine: QAEngine, qrels: PassageQrels) -> None:
        self.engine = engine
        self._qrels = qrels

    def run(self, question: str) -> SystemOutput:
        """Answer as ``/v1/ask`` does (default top_k), and rank as its answerer weighs passages."""
        result = self.engine.ask(question)
        written = supported = 0
        if self.engine.generator is not None:  # a configured model writes the answer
            generated = self.engine.generator.generate(question, result.answer, result.search.hits)
            result = replace(result, answer=generated.answer)
            verdicts = generated.verification.verdicts if generated.verification else ()
            written, supported = len(verdicts), sum(v.supported for v in verdicts)
        ranking = self.engine.rank(question, RANKING_DEPTH)  # not timed: the answer was
        citations = tuple(
            CitedSpan(citation.doc_id, citation.start, citation.end, citation.quote)
            for citation in result.answer.citations
        )
        answer = SystemAnswer(
            result.answer.text, result.answer.answerable, citations, written, supported
        )
        return SystemOutput(
            ranking=tuple(_passage(hit) for hit in ranking[:RANKING_DEPTH]),
            answer=answer,
            timings_ms=_stage_timings(result.timings_ms, result.timings_ms.get("total", 0.0)),
        )

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Overlap with the index's passages."""
        return self._qrels.relevant(evidence)


class TutorialSystem:
    """Fixed 1000-character chunks, dense only, top passages returned as the answer."""

    name = "tutorial"
    description = (
        f"tutorial pipeline: fixed {CHUNK_CHARS}-character chunks, dense only, "
        f"top {ANSWER_PASSAGES} passages as the answer"
    )
    answers = True

    def __init__(self, pipeline: TutorialPipeline) -> None:
        self.pipeline = pipeline
        self._qrels = PassageQrels(
            PassageSpan(chunk.doc_id, chunk.start, chunk.end) for chunk in pipeline.chunks
        )

    def run(self, question: str) -> SystemOutput:
        """Search, then answer with the top passages, each cited whole."""
        started = time.perf_counter()
        result = self.pipeline.search(question, RANKING_DEPTH)
        answer_started = time.perf_counter()
        top = [chunk for chunk, _ in result.chunks[:ANSWER_PASSAGES]]
        answer = SystemAnswer(
            text="\n\n".join(f"{chunk.text} [{n}]" for n, chunk in enumerate(top, 1)),
            answerable=True,  # a tutorial pipeline always answers
            citations=tuple(
                CitedSpan(chunk.doc_id, chunk.start, chunk.end, chunk.text) for chunk in top
            ),
        )
        done = time.perf_counter()
        timings = dict(result.timings_ms)
        timings["answer"] = (done - answer_started) * 1000
        timings["total"] = (done - started) * 1000
        return SystemOutput(
            ranking=tuple(
                PassageSpan(chunk.doc_id, chunk.start, chunk.end) for chunk, _ in result.chunks
            ),
            answer=answer,
            timings_ms=timings,
        )

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Overlap with the fixed-size chunks."""
        return self._qrels.relevant(evidence)


def in_process_systems(engine: QAEngine) -> list[EvaluatedSystem]:
    """bm25, dense, hybrid, full and tutorial over ``engine``'s index and model."""
    qrels = PassageQrels(
        PassageSpan(chunk.doc_id, chunk.start, chunk.end) for chunk in engine.snapshot.chunks
    )
    tutorial = TutorialPipeline(
        [engine.snapshot.documents[doc_id] for doc_id in sorted(engine.snapshot.documents)],
        engine.embedder,
    )
    return [
        RetrieverSystem(engine, "lexical", qrels),
        RetrieverSystem(engine, "dense", qrels),
        RetrieverSystem(engine, "hybrid", qrels),
        FullSystem(engine, qrels),
        TutorialSystem(tutorial),
    ]


# --- over HTTP ------------------------------------------------------------------------------------


class ServiceClient:
    """The parts of the HTTP contract the evaluation uses; failures become one-line errors."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self._texts: dict[str, str | None] = {}

    def get(self, path: str, **params: Any) -> Any:
        """GET a JSON resource."""
        return self._call("GET", path, params=params)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST a JSON body, return the JSON response."""
        return self._call("POST", path, json=body)

    def wait_ready(self, timeout_s: float = 120.0) -> dict[str, Any]:
        """Wait for ``/readyz``; fail when the service reports a failure or stays loading."""
        import httpx

        deadline = time.monotonic() + timeout_s
        while True:
            try:
                response = self.client.get("/readyz")
            except httpx.HTTPError as error:
                raise EvaluationError(f"cannot reach {self.client.base_url}: {error}") from error
            body = _json(response)
            if response.status_code == 200:
                return body if isinstance(body, dict) else {}
            status = body.get("status") if isinstance(body, dict) else None
            if response.status_code != 503 or status == "failed":
                detail = body.get("detail") if isinstance(body, dict) else response.text[:200]
                raise EvaluationError(
                    f"{self.client.base_url} is not ready ({response.status_code}): {detail}"
                )
            if time.monotonic() > deadline:
                raise EvaluationError(f"{self.client.base_url} still loading after {timeout_s}s")
            time.sleep(0.5)

    def text_of(self, doc_id: str) -> str | None:
        """A document's canonical text (``GET /v1/documents/{doc_id}``), None when unknown."""
        if doc_id not in self._texts:
            import httpx

            try:
                response = self.client.get(f"/v1/documents/{quote(doc_id, safe='')}")
            except httpx.HTTPError as error:
                raise EvaluationError(f"cannot reach {self.client.base_url}: {error}") from error
            if response.status_code == 404:
                self._texts[doc_id] = None
            else:
                body = self._checked(response, f"/v1/documents/{doc_id}")
                self._texts[doc_id] = str(body["text"])
        return self._texts[doc_id]

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise EvaluationError(f"cannot reach {self.client.base_url}: {error}") from error
        return self._checked(response, path)

    def _checked(self, response: httpx.Response, path: str) -> Any:
        body = _json(response)
        if response.status_code != 200:
            detail = body.get("detail") if isinstance(body, dict) else response.text[:200]
            raise EvaluationError(f"{path} answered {response.status_code}: {detail}")
        if body is None:
            raise EvaluationError(f"{path} did not answer JSON")
        return body


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class ServiceSystem:
    """A running policyqa service, evaluated as a black box through its HTTP contract.

    Answers come from ``POST /v1/ask``, the ranking from ``GET /v1/search`` (the service's search
    box ranking). Its passages are not listed by the contract, so its qrels are found through it:
    ``/v1/search`` restricted to the evidence's document, queried with the evidence text, with
    ``k`` up to the document's passage count (all of them for documents of at most 100 passages).
    """

    name = "service"
    answers = True

    def __init__(self, service: ServiceClient) -> None:
        self.service = service
        self.description = f"the service at {service.client.base_url} (/v1/ask, /v1/search)"
        counts = service.get("/v1/documents")["documents"]
        self._passage_counts = {doc["doc_id"]: int(doc["chunks"]) for doc in counts}
        self._passages: dict[str, set[PassageSpan]] = {}
        self._complete: set[str] = set()  # documents whose every passage was listed

    def run(self, question: str) -> SystemOutput:
        """``POST /v1/ask`` and ``GET /v1/search`` for ``question``."""
        started = time.perf_counter()
        body = self.service.post("/v1/ask", {"question": question})
        round_trip = (time.perf_counter() - started) * 1000
        results = self.service.get("/v1/search", q=question, k=RANKING_DEPTH)["results"]
        citations = tuple(
            CitedSpan(c["doc_id"], int(c["start"]), int(c["end"]), c["quote"])
            for c in body["citations"]
        )
        server = {key: float(value) for key, value in body.get("timings_ms", {}).items()}
        timings = _stage_timings(server, server.get("total", round_trip))
        timings["round_trip"] = round_trip
        return SystemOutput(
            ranking=tuple(_result_passage(result) for result in results),
            answer=SystemAnswer(str(body["answer"]), bool(body["answerable"]), citations),
            timings_ms=timings,
        )

    def relevant(self, evidence: Sequence[Span]) -> set[str]:
        """Passages of the service overlapping ``evidence``, listed through ``/v1/search``."""
        for gold in evidence:
            if gold.doc_id in self._complete:
                continue
            text = self.service.text_of(gold.doc_id) or ""
            query = text[gold.start : gold.end][:2000].strip() or gold.doc_id
            count = self._passage_counts.get(gold.doc_id, 0)
            results = self.service.get(
                "/v1/search", q=query, k=max(1, min(count, 100)), doc_id=gold.doc_id
            )["results"]
            found = self._passages.setdefault(gold.doc_id, set())
            found.update(_result_passage(result) for result in results)
            if len(found) >= count:
                self._complete.add(gold.doc_id)
        passages = [p for doc_id in {g.doc_id for g in evidence} for p in self._passages[doc_id]]
        return relevant_passages(passages, evidence)


def _result_passage(result: dict[str, Any]) -> PassageSpan:
    return PassageSpan(str(result["doc_id"]), int(result["start"]), int(result["end"]))
