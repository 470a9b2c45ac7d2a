"""Sentence vectors: one MiniLM vector per sentence or table line of every passage.

Answer selection scores the sentences of the retrieved passages by meaning (cosine with the
question's vector, which retrieval already computed) as well as by words, so ingest embeds every
sentence once and stores the vectors in the index version, beside the passage vectors:

    sentence_spans.npy     int64 (n x 3): passage row, start, end (offsets into the document text)
    sentence_vectors.npy   float32 (n x d), normalised, memory-mapped when loaded

Rows are grouped by passage, in passage order, so a passage's sentences are one slice. The units
are ``ingest.sentences.sentence_spans`` of each passage (lines are boundaries, so every table
line is its own unit), each embedded with its section label in front ("INSTRUMENTS: ...") so that
a short line keeps its context. A version without these files (written by an older release)
loads as ``None`` and answers fall back to words alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policyqa.index.embedding import Embedder
from policyqa.index.vectors import Vectors
from policyqa.ingest import Chunk, Document
from policyqa.ingest.sentences import sentence_spans

SPANS_FILE = "sentence_spans.npy"
VECTORS_FILE = "sentence_vectors.npy"


def sentence_units(chunk: Chunk, text: str) -> list[tuple[int, int]]:
    """The spans of ``chunk``'s sentences and table lines that hold words."""
    return [
        (start, end)
        for start, end in sentence_spans(text, chunk.start, chunk.end)
        if any(character.isalnum() for character in text[start:end])
    ]


def unit_text(chunk: Chunk, text: str, start: int, end: int) -> str:
    """What is embedded for one unit: its section label, then the sentence."""
    label = chunk.section[-1] if chunk.section else ""
    sentence = " ".join(text[start:end].split())
    return f"{label}: {sentence}" if label else sentence


@dataclass(frozen=True, slots=True)
class SentenceIndex:
    """The sentence vectors of one index version."""

    spans: np.ndarray  # int64 (n x 3): passage row, start, end
    vectors: Vectors  # float32 (n x d)
    offsets: np.ndarray  # passage row -> first sentence row (length passages + 1)

    @property
    def size(self) -> int:
        """Number of sentences."""
        return int(self.spans.shape[0])

    @property
    def nbytes(self) -> int:
        """Bytes the two arrays take on disk (without the .npy headers)."""
        return int(self.spans.nbytes + self.vectors.nbytes)

    def similarities(self, passage_row: int, query_vector: Vectors) -> dict[tuple[int, int], float]:
        """Cosine with the question of each sentence of one passage, keyed by its span."""
        first, last = int(self.offsets[passage_row]), int(self.offsets[passage_row + 1])
        if first == last:
            return {}
        scores = np.asarray(self.vectors[first:last]) @ np.asarray(query_vector).reshape(-1)
        spans = self.spans[first:last]
        return {
            (int(start), int(end)): float(score)
            for (_, start, end), score in zip(spans, scores, strict=True)
        }

    def save(self, folder: Path) -> None:
        """Write both files into a version folder being built."""
        np.save(folder / SPANS_FILE, np.ascontiguousarray(self.spans, dtype=np.int64))
        np.save(folder / VECTORS_FILE, np.ascontiguousarray(self.vectors, dtype=np.float32))

    @classmethod
    def from_arrays(cls, spans: np.ndarray, vectors: Vectors, passages: int) -> SentenceIndex:
        """An index over ``passages`` passages (checks the rows are grouped by passage)."""
        rows = spans[:, 0] if spans.size else np.zeros(0, dtype=np.int64)
        if rows.size and (np.any(np.diff(rows) < 0) or rows[-1] >= passages or rows[0] < 0):
            raise ValueError("sentence rows are not grouped by passage")
        if spans.shape[0] != vectors.shape[0]:
            raise ValueError(f"{spans.shape[0]} sentence spans but {vectors.shape[0]} vectors")
        offsets = np.searchsorted(rows, np.arange(passages + 1), side="left")
        return cls(spans, vectors, offsets)

    @classmethod
    def load(cls, folder: Path, passages: int, mmap: bool = True) -> SentenceIndex | None:
        """The version's sentence vectors, or None when it has none."""
        if not (folder / SPANS_FILE).exists() or not (folder / VECTORS_FILE).exists():
            return None
        spans = np.load(folder / SPANS_FILE)
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r" if mmap else None)
        return cls.from_arrays(spans, vectors, passages)


def build_sentence_index(
    chunks: Sequence[Chunk],
    documents: Mapping[str, Document],
    embedder: Embedder,
    reusable: Mapping[str, Vectors] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SentenceIndex:
    """Embed every unit of every passage; texts in ``reusable`` keep their earlier vector."""
    rows: list[tuple[int, int, int]] = []
    texts: list[str] = []
    for row, chunk in enumerate(chunks):
        text = documents[chunk.doc_id].text
        for start, end in sentence_units(chunk, text):
            rows.append((row, start, end))
            texts.append(unit_text(chunk, text, start, end))
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    todo: list[int] = []
    for index, text in enumerate(texts):
        known = reusable.get(text) if reusable else None
        if known is None:
            todo.append(index)
        else:
            vectors[index] = known
    todo.sort(key=lambda index: -len(texts[index]))  # batches of similar lengths pad less
    batch = 256
    for offset in range(0, len(todo), batch):
        part = todo[offset : offset + batch]
        vectors[part] = embedder.embed([texts[index] for index in part])
        if progress is not None:
            progress(len(part))
    spans = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    return SentenceIndex.from_arrays(spans, vectors, len(chunks))


def reusable_vectors(
    index: SentenceIndex | None, chunks: Sequence[Chunk], documents: Mapping[str, Document]
) -> dict[str, Vectors]:
    """Embedded text -> vector of an earlier version's sentences, so ingest embeds only new ones."""
    if index is None:
        return {}
    known: dict[str, Vectors] = {}
    for sentence_row, (row, start, end) in enumerate(index.spans):
        chunk = chunks[int(row)]
        text = unit_text(chunk, documents[chunk.doc_id].text, int(start), int(end))
        known.setdefault(text, np.asarray(index.vectors[sentence_row]))
    return known
