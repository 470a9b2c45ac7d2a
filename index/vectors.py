"""Dense vector search with FAISS, behind a small interface.

Vectors are L2-normalised, so inner product is cosine similarity. The index type is a setting:
``flat`` is exact; ``hnsw`` and ``ivfpq`` are approximate and meant for large corpora; ``auto``
picks by corpus size. Search can be restricted to a subset of passages (filters) with an ID
selector, which every FAISS index type supports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from policyqa.settings import IndexType

# faiss ships partial type stubs (no SearchParametersHNSW, no `sel=` keyword): use it untyped.
faiss: Any = _faiss

Vectors = npt.NDArray[np.float32]
ConcreteIndexType = Literal["flat", "hnsw", "ivfpq"]

#: Below this many passages exact search is fast enough and approximate indexes do not pay off.
AUTO_FLAT_LIMIT = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def choose_index_type(index_type: IndexType, count: int) -> ConcreteIndexType:
    """The concrete index type for ``count`` passages."""
    if index_type != "auto":
        return index_type
    return "flat" if count < AUTO_FLAT_LIMIT else "hnsw"


class VectorIndex:
    """A FAISS index over passage vectors; row ``i`` of the vectors is passage ``i``."""

    def __init__(self, index: Any, index_type: ConcreteIndexType) -> None:
        self._index = index
        self.index_type = index_type

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)

    @classmethod
    def build(cls, vectors: Vectors, index_type: IndexType = "auto") -> VectorIndex:
        """Index ``vectors`` (n x d, normalised)."""
        count, dimension = vectors.shape
        concrete = choose_index_type(index_type, count)
        index: Any
        if concrete == "flat":
            index = faiss.IndexFlatIP(dimension)
        elif concrete == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            lists = max(1, min(4096, int(np.sqrt(max(count, 1)) * 4)))
            quantizer = faiss.IndexFlatIP(dimension)
            index = faiss.IndexIVFPQ(quantizer, dimension, lists, dimension // 8, 8)
            index.metric_type = faiss.METRIC_INNER_PRODUCT
            index.train(vectors)
            index.nprobe = min(lists, 32)
        if count:
            index.add(vectors)
        return cls(index, concrete)

    def search(
        self, query: Vectors, k: int, allowed: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
        """Top ``k`` passages by cosine similarity, optionally only among ``allowed`` rows.

        Returns (scores, rows), best first, without the -1 padding FAISS uses for missing hits.
        """
        if self.size == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        matrix = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            params = self._search_parameters(selector)
        limit = min(k, self.size if allowed is None else len(allowed))
        scores, rows = self._index.search(matrix, limit, params=params)
        keep = rows[0] >= 0
        return scores[0][keep].astype(np.float32), rows[0][keep].astype(np.int64)

    def _search_parameters(self, selector: Any) -> Any:
        if self.index_type == "hnsw":
            return faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_EF_SEARCH)
        if self.index_type == "ivfpq":
            return faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
        return faiss.SearchParameters(sel=selector)

    def save(self, path: Path) -> None:
        """Write the FAISS index to ``path``."""
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, index_type: ConcreteIndexType, mmap: bool = True) -> VectorIndex:
        """Read an index written by ``save``, memory-mapped when FAISS supports it."""
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        try:
            index = faiss.read_index(str(path), flags)
        except RuntimeError:
            index = faiss.read_index(str(path))  # index types without mmap support
        if index_type == "hnsw":
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index, index_type)
