"""Where index versions live, behind one interface: the local folder, or Qdrant.

``PassageStore`` is what the builder and the engine use: the live version's name and manifest, a
new version written and made live atomically, a version loaded for serving (``StoreSnapshot``)
or for an update (its vectors too). A loaded version searches through ``PassageIndex``: dense and
BM25 rankings under filters, and, where the store can, their reciprocal-rank fusion. The label
ranking and the answer stages stay in policyqa, whichever store holds the passages.

``LocalStore`` is today's versioned folder (``policyqa.index.store``); ``QdrantStore``
(``policyqa.index.qdrant_store``) keeps every version in Qdrant. ``open_store`` picks one from
the settings (``POLICYQA_STORE__KIND``).

Extension point: the sentence vectors of the answers issue are not part of either store yet; a
store that holds them adds a ranking to ``Rankings`` and a named vector to the Qdrant collection.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from policyqa.index.lexical import LexicalIndex
from policyqa.index.store import (
    IndexSnapshot,
    current_version_path,
    load_snapshot,
    read_manifest,
    write_version,
    writer_lock,
)
from policyqa.index.vectors import SearchTuning, VectorIndex
from policyqa.ingest import Chunk, Document
from policyqa.settings import Settings

if TYPE_CHECKING:
    from policyqa.index.retriever import SearchFilters

Vectors = npt.NDArray[np.float32]
#: A retriever's candidates: passage row -> (1-based rank, score).
Ranking = dict[int, tuple[int, float]]


@dataclass(frozen=True, slots=True)
class Rankings:
    """What one search found: the dense and BM25 rankings, and their fusion when the store fused."""

    dense: Ranking = field(default_factory=dict)
    lexical: Ranking = field(default_factory=dict)
    fused: dict[int, float] | None = None  # RRF scores computed by the store (None: fuse here)
    timings_ms: dict[str, float] = field(default_factory=dict)  # per step: dense, lexical, ...


class TermWeights(Protocol):
    """Term statistics of the indexed passages (the answerers weigh question terms by IDF)."""

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term."""
        ...

    def knows(self, term: str) -> bool:
        """Whether some passage holds the analysed term (abstention names unknown terms)."""
        ...


class PassageIndex(Protocol):
    """The search side of one loaded version."""

    @property
    def index_type(self) -> str:
        """What answers dense search: a FAISS index type, or 'qdrant'."""
        ...

    def rankings(
        self,
        query: str,
        vector: Vectors | None,
        pool: int,
        filters: SearchFilters,
        mask: npt.NDArray[np.bool_] | None,
        rrf_k: int,
    ) -> Rankings:
        """Dense ranking when ``vector`` is given, BM25 ranking when ``query`` has terms, each at
        most ``pool`` long and restricted by ``filters`` (``mask`` says the same over rows, for
        stores that filter here); both, and a store that fuses, also return their RRF scores."""
        ...


class StoreSnapshot(Protocol):
    """One loaded, immutable version: its documents and passages, and how to search them."""

    @property
    def version(self) -> str: ...

    @property
    def manifest(self) -> dict[str, Any]: ...

    @property
    def documents(self) -> dict[str, Document]: ...

    @property
    def chunks(self) -> list[Chunk]: ...

    @property
    def lexical(self) -> TermWeights: ...

    @property
    def index_type(self) -> str: ...

    def passage_counts(self) -> dict[str, int]: ...

    def passage_index(self) -> PassageIndex: ...


@dataclass(frozen=True, slots=True)
class UpdateBase:
    """The live version loaded for an update: what the builder keeps, and the vectors it reuses."""

    snapshot: StoreSnapshot
    vectors: Vectors  # one row per passage of ``snapshot.chunks``


class PassageStore(Protocol):
    """Where the versions of the index are written and read."""

    @property
    def location(self) -> str:
        """Where the store is, for messages (a folder, a URL)."""
        ...

    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        """Serialise writers."""
        ...

    def current_version(self) -> str | None:
        """Name of the live version (None: nothing built yet)."""
        ...

    def current_manifest(self) -> dict[str, Any] | None:
        """The live version's manifest, unchecked (None: nothing built yet)."""
        ...

    def load(
        self, model: dict[str, Any], chunker: dict[str, Any], tuning: SearchTuning | None = None
    ) -> StoreSnapshot:
        """The live version, checked against the configured model and chunker."""
        ...

    def load_for_update(self, model: dict[str, Any], chunker: dict[str, Any]) -> UpdateBase | None:
        """The live version with its vectors (None: nothing built yet)."""
        ...

    def write_version(
        self,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: Vectors,
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: Callable[[Path], None] | None = None,
    ) -> str:
        """Write a complete new version, then make it live atomically; returns its name.

        ``extra`` writes further files into a local version folder (the sentence vectors);
        stores that keep no folder ignore it."""
        ...


# --- the local folder ---------------------------------------------------------------------------


class LocalPassageIndex:
    """FAISS and bm25s over a memory-mapped version folder; fusion happens in the retriever."""

    def __init__(self, snapshot: IndexSnapshot) -> None:
        self.snapshot = snapshot

    @property
    def index_type(self) -> str:
        return self.snapshot.dense.index_type

    def rankings(
        self,
        query: str,
        vector: Vectors | None,
        pool: int,
        filters: SearchFilters,
        mask: npt.NDArray[np.bool_] | None,
        rrf_k: int,
    ) -> Rankings:
        timings: dict[str, float] = {}
        dense: Ranking = {}
        if vector is not None:
            started = time.perf_counter()
            allowed = None if mask is None else np.flatnonzero(mask).astype(np.int64)
            scores, rows = self.snapshot.dense.search(vector, pool, allowed)
            dense = {
                int(row): (rank, float(score))
                for rank, (row, score) in enumerate(zip(rows, scores, strict=True), 1)
            }
            timings["dense"] = _ms(started)
        lexical: Ranking = {}
        if query:
            started = time.perf_counter()
            bm25 = self.snapshot.lexical.scores(query, mask)
            order = np.argsort(-bm25, kind="stable")[:pool]
            lexical = {
                int(row): (rank, float(bm25[row]))
                for rank, row in enumerate(order, 1)
                if bm25[row] > 0
            }
            timings["lexical"] = _ms(started)
        return Rankings(dense, lexical, timings_ms=timings)


class LocalStore:
    """Versioned folders under ``settings.index_dir`` (``policyqa.index.store``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index_dir = settings.index_dir

    @property
    def location(self) -> str:
        return str(self.index_dir)

    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        return writer_lock(self.index_dir)

    def current_version(self) -> str | None:
        path = current_version_path(self.index_dir)
        return None if path is None else path.name

    def current_manifest(self) -> dict[str, Any] | None:
        path = current_version_path(self.index_dir)
        return None if path is None else read_manifest(path)

    def load(
        self, model: dict[str, Any], chunker: dict[str, Any], tuning: SearchTuning | None = None
    ) -> StoreSnapshot:
        return load_snapshot(self.index_dir, model, chunker, tuning=tuning)

    def load_for_update(self, model: dict[str, Any], chunker: dict[str, Any]) -> UpdateBase | None:
        if current_version_path(self.index_dir) is None:
            return None
        # no fallback: a write must build on the live version, verified, or not at all (a damaged
        # version's vectors are never carried into the next one)
        snapshot = load_snapshot(self.index_dir, model, chunker, mmap=False, fallback=False)
        return UpdateBase(snapshot, snapshot.vectors)

    def write_version(
        self,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: Vectors,
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: Callable[[Path], None] | None = None,
    ) -> str:
        dense = VectorIndex.build(vectors, self.settings.retrieval.index_type)
        lexical = LexicalIndex.build([chunk.embedding_text for chunk in chunks])
        path = write_version(
            self.index_dir, documents, chunks, vectors, model, chunker, dense, lexical, extra=extra
        )
        return path.name


def open_store(settings: Settings) -> PassageStore:
    """The store the settings name (``POLICYQA_STORE__KIND``)."""
    if settings.store.kind == "qdrant":
        from policyqa.index.qdrant_store import QdrantStore  # qdrant-client only when used

        return QdrantStore.open(settings)
    return LocalStore(settings)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
