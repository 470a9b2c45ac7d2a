"""``GeneratingAnswerer``: answers written by an OpenAI-compatible model, every sentence verified.

It stands behind the ``Answerer`` interface: it asks its fallback (the extractive answerer) first,
gives the model that answer's statements and the retrieved passages' sentences
(``evidence_statements``), and verifies what the model writes (``verify``). When the model cannot
answer (unreachable, too slow, garbage, every sentence unsupported) the extractive answer is
returned with a note; a question the documents do not cover is not sent to the model at all.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from policyqa.index import Embedder, Hit
from policyqa.ingest import Document
from policyqa.service.generation.client import GenerationError, ModelClient
from policyqa.service.generation.evidence import evidence_statements
from policyqa.service.generation.prompt import build_messages
from policyqa.service.generation.support import SupportScorer
from policyqa.service.generation.verify import Verification, Verifier
from policyqa.service.types import Answer, Answerer, AskResult, Evidence
from policyqa.settings import GeneratorSettings

#: An earlier turn of a conversation: (role, text).
Turn = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Generated:
    """The end of a generation: the answer to give, and the verification (None on fallback)."""

    answer: Answer
    verification: Verification | None
    verify_ms: float = 0.0  # what verifying the model's text cost


class GeneratingAnswerer:
    """Generates cited answers with a model and keeps only the sentences their citations support."""

    def __init__(
        self,
        settings: GeneratorSettings,
        fallback: Answerer,
        embedder: Embedder,
        documents: Mapping[str, Document],
        client: ModelClient | None = None,
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.documents = documents
        self.client = client or ModelClient(settings)
        self.verifier = Verifier(SupportScorer(embedder), settings.support_threshold)

    def answer(self, evidence: Evidence) -> Answer:
        """The ``Answerer`` interface: the fallback's answer, rewritten by the model."""
        extractive = self.fallback.answer(evidence)
        return self.generate(evidence.question.text, extractive, evidence.hits).answer

    def rewrite(self, result: AskResult, question: str, history: Sequence[Turn] = ()) -> AskResult:
        """``result`` with its answer generated (``generate``) and the time it took in
        ``timings_ms`` ("generate", of which "verify")."""
        started = time.perf_counter()
        generated = self.generate(question, result.answer, result.search.hits, history)
        timings = dict(result.timings_ms)
        timings["generate"] = round((time.perf_counter() - started) * 1000, 3)
        timings["verify"] = generated.verify_ms
        timings["total"] = round(timings.get("total", 0.0) + timings["generate"], 3)
        return replace(result, answer=generated.answer, timings_ms=timings)

    def generate(
        self,
        question: str,
        extractive: Answer,
        hits: Sequence[Hit],
        history: Sequence[Turn] = (),
    ) -> Generated:
        """The generated answer once the model has finished (or the fallback with a note)."""
        for item in self.stream(question, extractive, hits, history):
            if isinstance(item, Generated):
                return item
        raise AssertionError("stream() always ends with a Generated")  # pragma: no cover

    def stream(
        self,
        question: str,
        extractive: Answer,
        hits: Sequence[Hit],
        history: Sequence[Turn] = (),
    ) -> Iterator[str | Generated]:
        """The model's text piece by piece as it arrives, then the verified ``Generated``.

        On failure after some text was streamed, the ``Generated`` holds the extractive answer
        with a note: the caller withdraws what it showed.
        """
        if not extractive.answerable:
            yield Generated(extractive, None)  # not covered: nothing to generate from
            return
        statements = evidence_statements(question, extractive, hits, self.documents)
        messages = build_messages(question, statements, history)
        pieces: list[str] = []
        try:
            for piece in self.client.stream(messages):
                pieces.append(piece)
                yield piece
        except GenerationError as error:
            yield self._fallback(extractive, str(error))
            return
        started = time.perf_counter()
        verification = self.verifier.answer(
            "".join(pieces), statements, hits, mark=self.settings.mark_unsupported
        )
        verify_ms = round((time.perf_counter() - started) * 1000, 3)
        if not verification.answer.answerable:
            note = "no generated sentence was supported by its citations"
            yield Generated(self._fallback(extractive, note).answer, verification, verify_ms)
            return
        yield Generated(verification.answer, verification, verify_ms)

    @staticmethod
    def _fallback(extractive: Answer, reason: str) -> Generated:
        note = f"generation failed ({reason}); this is the extractive answer"
        return Generated(replace(extractive, generated=False, note=note), None)


def build_generator(
    settings: GeneratorSettings,
    fallback: Answerer,
    embedder: Embedder,
    documents: Mapping[str, Document],
) -> GeneratingAnswerer | None:
    """The generating answerer when a model is configured (``base_url``), else None."""
    if not settings.base_url:
        return None
    return GeneratingAnswerer(settings, fallback, embedder, documents)
