"""Vector search at 10k, 100k and 1M passages: flat against IVF-SQ8, IVF-PQ and HNSW.

There are not a million real passages, so the vectors are synthesised around real ones: each is
a random convex mix of three real passage embeddings plus a little Gaussian noise, renormalised.
That keeps them on the part of the sphere real embeddings occupy while making them distinct (no
clumps of near-copies, which would make recall meaningless). Queries are the real embeddings of
the calibration questions, plus held-out synthetic vectors. Ground truth is exact search (flat).

Each index goes through ``VectorIndex``, as the service uses it: build time, size on disk (what
it occupies in memory or page cache), single-question latency (median, p95) and recall@10
against flat. Approximate indexes re-score their candidates from the exact vectors.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from policyqa.eval.bench.measure import summarize
from policyqa.index.vectors import (
    AUTO_FLAT_LIMIT,
    SearchTuning,
    VectorIndex,
    choose_index_type,
    faiss,
    faiss_threads,
    ivf_lists,
)
from policyqa.settings import RetrievalSettings

Vectors = npt.NDArray[np.float32]
NOISE = 0.01  # per dimension: a noise vector of norm ~0.2 against a mix of norm ~0.7


def synthesise(base: Vectors, count: int, seed: int) -> Vectors:
    """``count`` normalised vectors, each a random mix of three rows of ``base`` plus noise."""
    rng = np.random.default_rng(seed)
    dimension = base.shape[1]
    out = np.empty((count, dimension), dtype=np.float32)
    step = 50_000
    for start in range(0, count, step):
        size = min(step, count - start)
        picks = rng.integers(0, len(base), (size, 3))
        weights = rng.dirichlet((1.0, 1.0, 1.0), size).astype(np.float32)
        mixed = np.einsum("nk,nkd->nd", weights, base[picks])
        mixed += NOISE * rng.standard_normal((size, dimension), dtype=np.float32)
        out[start : start + size] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def scale_runs(
    base: Vectors,
    questions: Vectors,
    sizes: list[int],
    hnsw_limit: int,
    pq_limit: int,
    held_out: int = 18,
) -> dict[str, Any]:
    """Every index type at every size; HNSW and IVF-PQ only up to their size limits."""
    defaults = RetrievalSettings()
    tuning = SearchTuning(defaults.nprobe, defaults.ef_search)
    queries = np.vstack([questions, synthesise(base, held_out, seed=10_000)]).astype(np.float32)
    results: dict[str, Any] = {"noise_per_dimension": NOISE, "base_vectors": len(base)}
    for size in sizes:
        started = time.perf_counter()
        vectors = synthesise(base, size, seed=size)
        synthesis_s = time.perf_counter() - started
        with faiss_threads(faiss.omp_get_max_threads()):
            truth = _exact_top10(vectors, queries)
        types = ["flat", "ivfsq8"]
        if size <= pq_limit:
            types.append("ivfpq")
        if size <= hnsw_limit:
            types.append("hnsw")
        row: dict[str, Any] = {
            "synthesis_s": round(synthesis_s, 1),
            "auto_choice": choose_index_type("auto", size),
            "ivf_lists": ivf_lists(size),
        }
        for index_type in types:
            row[index_type] = _measure(vectors, queries, truth, index_type, tuning)
        results[str(size)] = row
        del vectors
    results["auto_flat_limit"] = AUTO_FLAT_LIMIT
    results["tuning"] = {"nprobe": tuning.nprobe, "ef_search": tuning.ef_search}
    return results


def _exact_top10(vectors: Vectors, queries: Vectors) -> npt.NDArray[np.int64]:
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    _, rows = index.search(queries, 10)
    return np.asarray(rows, dtype=np.int64)


def _measure(
    vectors: Vectors,
    queries: Vectors,
    truth: npt.NDArray[np.int64],
    index_type: Any,
    tuning: SearchTuning,
) -> dict[str, Any]:
    started = time.perf_counter()
    with faiss_threads(faiss.omp_get_max_threads()):  # builds use every core
        index = VectorIndex.build(vectors, index_type, tuning)
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as scratch:
        path = Path(scratch) / "dense.faiss"
        index.save(path)
        size_mb = path.stat().st_size / 2**20
        loaded = VectorIndex.load(path, index.index_type, mmap=True, vectors=vectors, tuning=tuning)
        found: list[set[int]] = []
        latencies = []
        for query in queries:
            loaded.search(query, 10)  # first touch of the mapped pages is not the search's cost
        for query in queries:
            started_search = time.perf_counter()
            _, rows = loaded.search(query, 10)
            latencies.append((time.perf_counter() - started_search) * 1000)
            found.append({int(row) for row in rows})
        del loaded
    recall = float(
        np.mean(
            [
                len(hits & set(expected.tolist())) / 10
                for hits, expected in zip(found, truth, strict=True)
            ]
        )
    )
    return {
        "build_s": round(build_s, 1),
        "size_mb": round(size_mb, 1),
        "search": summarize(latencies).as_dict(),
        "recall_at_10": round(recall, 4),
    }
