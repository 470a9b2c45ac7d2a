"""The baseline a tutorial would give: fixed-size chunks, dense search, top passages as the answer.

It reads the same documents (their canonical text, so its citations are checkable spans too) with
the same embedding model, but knows nothing of their structure: the text is cut every 1000
characters, embedded as is (the model silently truncates what exceeds its 256 word pieces, as a
tutorial's would), searched by cosine similarity with flat FAISS, and the answer is the text of
the top passages, each cited whole. It never declines to answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from policyqa.index import Embedder
from policyqa.index.vectors import VectorIndex
from policyqa.ingest import Document

CHUNK_CHARS = 1000
ANSWER_PASSAGES = 4  # the number of passages a typical tutorial retriever returns


@dataclass(frozen=True, slots=True)
class FixedChunk:
    """A fixed-size window of a document's canonical text."""

    doc_id: str
    start: int
    end: int
    text: str  # == document.text[start:end]


@dataclass(frozen=True, slots=True)
class TutorialResult:
    """Ranked chunks with their cosine similarities, and the time each stage took."""

    chunks: list[tuple[FixedChunk, float]]
    timings_ms: dict[str, float]


class TutorialPipeline:
    """An in-memory index of fixed-size chunks over ``documents``."""

    def __init__(
        self,
        documents: Iterable[Document],
        embedder: Embedder,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self.embedder = embedder
        self.chunks = [
            chunk for document in documents for chunk in fixed_chunks(document, chunk_chars)
        ]
        vectors = embedder.embed([chunk.text for chunk in self.chunks])
        self.index = VectorIndex.build(vectors, "flat")

    def search(self, question: str, top_k: int) -> TutorialResult:
        """The ``top_k`` chunks most similar to ``question``."""
        started = time.perf_counter()
        vector = self.embedder.embed_query(question)
        embedded = time.perf_counter()
        scores, rows = self.index.search(vector, top_k)
        done = time.perf_counter()
        return TutorialResult(
            chunks=[
                (self.chunks[int(row)], float(score))
                for row, score in zip(rows, scores, strict=True)
            ],
            timings_ms={
                "embed": (embedded - started) * 1000,
                "retrieve": (done - embedded) * 1000,
            },
        )


def fixed_chunks(document: Document, size: int) -> list[FixedChunk]:
    """Consecutive ``size``-character windows of the text (blank windows skipped)."""
    text = document.text
    return [
        FixedChunk(document.doc_id, start, min(start + size, len(text)), text[start : start + size])
        for start in range(0, len(text), size)
        if text[start : start + size].strip()
    ]
