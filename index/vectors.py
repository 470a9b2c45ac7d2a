"""Dense vector search with FAISS, behind a small interface.

Vectors are L2-normalised, so inner product is cosine similarity. The index type is a setting:

- ``flat``: exact; the codes are memory-mapped from ``dense.faiss``, so worker processes share one
  copy in the page cache. Fast enough up to ``AUTO_FLAT_LIMIT`` passages.
- ``ivfsq8``: inverted lists of 8-bit scalar-quantised vectors (a quarter of the memory), lists
  memory-mapped and shared; the candidates are re-scored exactly from the memory-mapped
  ``vectors.npy``, so the scores are true cosines and recall@10 stays above 0.95 (measured by
  ``python -m policyqa.eval.bench``). What ``auto`` picks for large corpora.
- ``ivfpq``: the same with product quantisation (smallest, lowest recall before re-scoring).
- ``hnsw``: a graph over full vectors; fast and accurate, but slow to build and FAISS cannot
  memory-map it, so every worker holds its own copy.

A search restricted to a subset (filters) scores a small subset exactly from the vectors, and a
large one through FAISS with an ID selector, which every index type supports.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import faiss as _faiss
import numpy as np
import numpy.typing as npt

from policyqa.settings import IndexType

# faiss ships partial type stubs (no SearchParametersHNSW, no `sel=` keyword): use it untyped.
faiss: Any = _faiss

Vectors = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]
ConcreteIndexType = Literal["flat", "hnsw", "ivfpq", "ivfsq8"]

#: Below this many passages exact search takes under a few milliseconds and approximate indexes
#: do not pay off (flat: ~0.06 ms per thousand passages on one core, see the README).
AUTO_FLAT_LIMIT = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
#: A filtered search over at most this many passages scores them exactly, without FAISS.
EXACT_SUBSET_LIMIT = 20_000
#: Approximate indexes return at least this many candidates to re-score exactly.
RESCORE_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class SearchTuning:
    """Search-time parameters of the approximate indexes (not stored in the index files)."""

    nprobe: int = 64  # IVF lists visited per question (recall@10 0.95+ at 1M, see the README)
    ef_search: int = 128  # HNSW candidate list size


def choose_index_type(index_type: IndexType, count: int) -> ConcreteIndexType:
    """The concrete index type for ``count`` passages."""
    if index_type != "auto":
        return index_type
    return "flat" if count < AUTO_FLAT_LIMIT else "ivfsq8"


def ivf_lists(count: int) -> int:
    """Number of IVF lists: about 2 sqrt(n), a power of two, at least 39 passages per list."""
    wanted = 2 ** round(math.log2(max(2.0 * math.sqrt(max(count, 1)), 1.0)))
    return int(max(1, min(wanted, 65_536, count // 39 or 1)))


@contextlib.contextmanager
def faiss_threads(count: int) -> Iterator[None]:
    """Run FAISS calls of this thread on ``count`` OpenMP threads.

    One question is one small search: spreading it over cores costs more in waking threads than
    it saves, and on a busy machine (several workers, one per core) it is several times slower.
    OpenMP thread counts are per calling thread, so this does not affect other threads.
    """
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


class VectorIndex:
    """A FAISS index over passage vectors; row ``i`` of the vectors is passage ``i``."""

    def __init__(
        self,
        index: Any,
        index_type: ConcreteIndexType,
        vectors: Vectors | None = None,
        tuning: SearchTuning | None = None,
    ) -> None:
        self._index = index
        self.index_type = index_type
        self._vectors = vectors  # exact vectors (memory-mapped) for re-scoring and small subsets
        self.tuning = tuning or SearchTuning()
        self._apply_tuning()

    @property
    def size(self) -> int:
        """Number of vectors."""
        return int(self._index.ntotal)

    @classmethod
    def build(
        cls,
        vectors: Vectors,
        index_type: IndexType = "auto",
        tuning: SearchTuning | None = None,
        train_sample: int | None = None,
    ) -> VectorIndex:
        """Index ``vectors`` (n x d, normalised); IVF trains on ``train_sample`` rows at most."""
        count, dimension = vectors.shape
        concrete = choose_index_type(index_type, count)
        index: Any
        if concrete == "flat":
            index = faiss.IndexFlatIP(dimension)
        elif concrete == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        else:
            lists = ivf_lists(count)
            quantizer = faiss.IndexFlatIP(dimension)
            metric = faiss.METRIC_INNER_PRODUCT
            if concrete == "ivfsq8":
                index = faiss.IndexIVFScalarQuantizer(
                    quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit, metric
                )
            else:
                index = faiss.IndexIVFPQ(quantizer, dimension, lists, dimension // 8, 8, metric)
            index.cp.niter = 10  # k-means converges well enough for assigning lists
            index.train(_training_sample(vectors, lists, train_sample))
        if count:
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index, concrete, vectors, tuning)

    def search(
        self, query: Vectors, k: int, allowed: Rows | None = None
    ) -> tuple[npt.NDArray[np.float32], Rows]:
        """Top ``k`` passages by cosine similarity, optionally only among ``allowed`` rows.

        Returns (scores, rows), best first, without the -1 padding FAISS uses for missing hits.
        """
        if self.size == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        matrix = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if allowed is not None and self._vectors is not None and len(allowed) <= EXACT_SUBSET_LIMIT:
            return self._exact(matrix[0], np.asarray(allowed, dtype=np.int64), k)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            params = self._search_parameters(selector)
        approximate = self.index_type in ("ivfsq8", "ivfpq") and self._vectors is not None
        wanted = max(k, RESCORE_CANDIDATES) if approximate else k
        limit = min(wanted, self.size if allowed is None else len(allowed))
        with faiss_threads(1):
            scores, rows = self._index.search(matrix, limit, params=params)
        keep = rows[0] >= 0
        found = rows[0][keep].astype(np.int64)
        if approximate:
            return self._exact(matrix[0], found, k)
        return scores[0][keep][:k].astype(np.float32), found[:k]

    def _exact(self, query: Vectors, rows: Rows, k: int) -> tuple[npt.NDArray[np.float32], Rows]:
        """Exact cosine of ``rows`` (ascending row order keeps memory-mapped reads sequential)."""
        assert self._vectors is not None
        rows = np.sort(rows)
        scores = (self._vectors[rows] @ query).astype(np.float32)
        count = min(k, len(rows))
        best = (
            np.argpartition(-scores, count - 1)[:count] if count < len(rows) else np.arange(count)
        )
        order = best[np.lexsort((rows[best], -scores[best]))]  # ties: lower row first
        return scores[order], rows[order]

    def _search_parameters(self, selector: Any) -> Any:
        if self.index_type == "hnsw":
            return faiss.SearchParametersHNSW(sel=selector, efSearch=self.tuning.ef_search)
        if self.index_type in ("ivfsq8", "ivfpq"):
            return faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
        return faiss.SearchParameters(sel=selector)

    def _apply_tuning(self) -> None:
        if self.index_type == "hnsw":
            faiss.downcast_index(self._index).hnsw.efSearch = self.tuning.ef_search
        elif self.index_type in ("ivfsq8", "ivfpq"):
            ivf = faiss.extract_index_ivf(self._index)
            ivf.nprobe = min(self.tuning.nprobe, ivf.nlist)

    def save(self, path: Path) -> None:
        """Write the FAISS index to ``path``."""
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(
        cls,
        path: Path,
        index_type: ConcreteIndexType,
        mmap: bool = True,
        vectors: Vectors | None = None,
        tuning: SearchTuning | None = None,
    ) -> VectorIndex:
        """Read an index written by ``save``, memory-mapped where FAISS supports it.

        Flat codes (``IO_FLAG_MMAP_IFC``) and IVF inverted lists (``IO_FLAG_MMAP``) are mapped, so
        processes loading one file share its pages; HNSW graphs are read into private memory.
        """
        flags = 0
        if mmap and index_type == "flat":
            flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY
        elif mmap and index_type in ("ivfsq8", "ivfpq"):
            flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
        try:
            index = faiss.read_index(str(path), flags)
        except RuntimeError:
            index = faiss.read_index(str(path))  # a FAISS build without these mmap flags
        if index_type in ("ivfsq8", "ivfpq"):
            lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
            if hasattr(lists, "prefetch_nthread"):
                # memory-mapped lists start 32 prefetch threads per search by default: for one
                # question that costs ten times the search itself
                lists.prefetch_nthread = 0
        return cls(index, index_type, vectors, tuning)


def _training_sample(vectors: Vectors, lists: int, limit: int | None) -> Vectors:
    """Rows to train IVF lists on: 40 per list (FAISS asks for 39), a fixed random choice."""
    count = vectors.shape[0]
    wanted = min(count, 40 * lists, limit or count)
    if wanted >= count:
        return np.ascontiguousarray(vectors, dtype=np.float32)
    rows = np.sort(np.random.default_rng(0).choice(count, wanted, replace=False))
    return np.ascontiguousarray(vectors[rows], dtype=np.float32)
