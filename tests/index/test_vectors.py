"""Every FAISS index type through ``VectorIndex``: accuracy, exact scores, filters, memory maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from policyqa.eval.bench.measure import memory_mb
from policyqa.index.cache import LRUCache
from policyqa.index.vectors import (
    AUTO_FLAT_LIMIT,
    VectorIndex,
    choose_index_type,
    faiss,
    ivf_lists,
)


def _clustered(count: int, seed: int, dimension: int = 64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, dimension)).astype(np.float32)
    vectors = centres[rng.integers(0, 50, count)] + 0.3 * rng.standard_normal(
        (count, dimension)
    ).astype(np.float32)
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised.astype(np.float32)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vectors = _clustered(4000, 0)
    queries = _clustered(40, 1)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    return vectors, queries, truth


@pytest.mark.parametrize("index_type", ["flat", "ivfsq8", "ivfpq", "hnsw"])
def test_each_type_finds_the_true_neighbours_after_a_round_trip(
    tmp_path: Path, data: tuple[np.ndarray, np.ndarray, np.ndarray], index_type: str
) -> None:
    vectors, queries, truth = data
    built = VectorIndex.build(vectors, index_type)  # type: ignore[arg-type]
    built.save(tmp_path / "dense.faiss")
    index = VectorIndex.load(tmp_path / "dense.faiss", built.index_type, vectors=vectors)
    assert index.index_type == index_type and index.size == len(vectors)
    recalls = []
    for query, expected in zip(queries, truth, strict=True):
        scores, rows = index.search(query, 10)
        assert len(rows) == 10 and list(scores) == sorted(scores, reverse=True)
        # IVF types re-score their candidates exactly; flat and HNSW store full vectors
        assert np.allclose(scores, vectors[rows] @ query, atol=1e-5)
        recalls.append(len(set(rows.tolist()) & set(expected.tolist())) / 10)
    assert np.mean(recalls) >= 0.9


@pytest.mark.parametrize("index_type", ["flat", "ivfsq8", "hnsw"])
def test_filtered_search_returns_the_best_allowed_rows(
    data: tuple[np.ndarray, np.ndarray, np.ndarray], index_type: str
) -> None:
    vectors, queries, _ = data
    index = VectorIndex.build(vectors, index_type)  # type: ignore[arg-type]
    allowed = np.arange(0, len(vectors), 37, dtype=np.int64)
    for query in queries[:5]:
        scores, rows = index.search(query, 5, allowed)
        exact = allowed[np.argsort(-(vectors[allowed] @ query))[:5]]
        assert set(rows.tolist()) <= set(allowed.tolist())
        assert rows.tolist() == exact.tolist()
        assert np.allclose(scores, vectors[rows] @ query, atol=1e-5)
    assert len(index.search(queries[0], 5, np.zeros(0, dtype=np.int64))[1]) == 0


def test_auto_choice_and_list_counts() -> None:
    assert choose_index_type("auto", AUTO_FLAT_LIMIT - 1) == "flat"
    assert choose_index_type("auto", AUTO_FLAT_LIMIT) == "ivfsq8"
    assert choose_index_type("hnsw", 10) == "hnsw"
    assert ivf_lists(1_000_000) == 2048 and ivf_lists(100_000) == 512
    assert ivf_lists(10_000) == 256 and ivf_lists(100) == 2


def test_flat_and_ivf_files_are_memory_mapped(tmp_path: Path) -> None:
    """Loading maps the file instead of copying it: the process's own heap barely grows."""
    vectors = _clustered(60_000, 2, dimension=128)  # 29 MB of codes
    for index_type in ("flat", "ivfsq8"):
        path = tmp_path / f"{index_type}.faiss"
        VectorIndex.build(vectors, index_type).save(path)
        before = memory_mb().get("anonymous_mb")
        if before is None:
            pytest.skip("no /proc/self/smaps_rollup on this system")
        index = VectorIndex.load(path, index_type, mmap=True, vectors=vectors)
        index.search(vectors[0], 10)
        grown = memory_mb()["anonymous_mb"] - before
        assert grown < 8, (index_type, grown)
    ivf = VectorIndex.load(tmp_path / "ivfsq8.faiss", "ivfsq8", mmap=True, vectors=vectors)
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(ivf._index).invlists)
    assert lists.prefetch_nthread == 0  # no thread start-up per search


def test_lru_cache_evicts_the_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert (cache.hits, cache.misses, len(cache)) == (3, 1, 2)
    value, cached = cache.get_or_compute("d", lambda: 4)
    assert (value, cached) == (4, False) and cache.get_or_compute("d", lambda: 5) == (4, True)
    off: LRUCache[str, int] = LRUCache(0)
    off.put("a", 1)
    assert off.get("a") is None and len(off) == 0
