"""Hybrid search in Qdrant: dense and BM25 prefetches fused by RRF on the server, filters inside.

BM25 is the local index's (``policyqa.index.lexical``): the same analyser, k1 and b. Each passage's
sparse vector holds the term-frequency part of BM25 for its terms, and the collection's ``IDF``
modifier lets Qdrant multiply in the inverse document frequency, with the formula bm25s uses
(``ln(1 + (N - df + 0.5) / (df + 0.5))``). Term ids come from the version's own vocabulary, stored
with its documents, so there are no hash collisions. A query's sparse vector counts its terms, as
bm25s sums a repeated query term once per occurrence.

Qdrant's RRF scores position p (0-based) as ``1 / (k + p)``; policyqa scores rank r (1-based) as
``1 / (k + r)``, so Qdrant is given ``k + 1``. The label ranking is added to the fused scores in the
retriever, as with the local store.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from qdrant_client import QdrantClient, models

from policyqa.index.lexical import analyse
from policyqa.index.passage_store import Ranking, Rankings, Vectors
from policyqa.ingest import Chunk

if TYPE_CHECKING:
    from policyqa.index.retriever import SearchFilters

#: BM25 parameters, as ``LexicalIndex.build`` sets them for bm25s.
K1 = 1.2
B = 0.75
DENSE = "dense"  # the named dense vector of a passage
SPARSE = "bm25"  # the named sparse vector of a passage


@dataclass(frozen=True, slots=True)
class TermStatistics:
    """A version's BM25 vocabulary: each term's sparse index and document frequency."""

    ids: dict[str, int]
    frequencies: list[int]  # document frequency, by term id
    size: int  # passages

    @classmethod
    def build(cls, passages: Sequence[Sequence[str]]) -> TermStatistics:
        """The vocabulary of analysed passages (term lists)."""
        frequencies: Counter[str] = Counter()
        for terms in passages:
            frequencies.update(set(terms))
        vocabulary = sorted(frequencies)
        return cls(
            {term: index for index, term in enumerate(vocabulary)},
            [frequencies[term] for term in vocabulary],
            len(passages),
        )

    def idf(self, term: str) -> float:
        """Inverse document frequency, as ``LexicalIndex.idf`` (unseen terms get the highest)."""
        index = self.ids.get(term)
        df = 0 if index is None else self.frequencies[index]
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def knows(self, term: str) -> bool:
        """Whether some passage holds the analysed ``term`` (as ``LexicalIndex.knows``)."""
        index = self.ids.get(term)
        return index is not None and self.frequencies[index] > 0

    def query_vector(self, query: str) -> models.SparseVector | None:
        """The question's known terms with their counts (None: no term is in the vocabulary)."""
        counts = Counter(self.ids[term] for term in analyse(query) if term in self.ids)
        if not counts:
            return None
        indices = sorted(counts)
        return models.SparseVector(indices=indices, values=[float(counts[i]) for i in indices])

    def to_payload(self) -> dict[str, Any]:
        """Stored with the version's documents (terms in id order)."""
        terms = sorted(self.ids, key=self.ids.__getitem__)
        return {"terms": terms, "frequencies": self.frequencies, "size": self.size}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> TermStatistics:
        terms: list[str] = payload["terms"]
        return cls(
            {term: index for index, term in enumerate(terms)},
            list(payload["frequencies"]),
            int(payload["size"]),
        )


def passage_terms(texts: Sequence[str]) -> list[list[str]]:
    """Every passage's BM25 terms; an empty one gets the empty term, as bm25s indexes it."""
    return [analyse(text) or [""] for text in texts]


def sparse_vectors(
    passages: Sequence[Sequence[str]], terms: TermStatistics
) -> list[models.SparseVector]:
    """The term-frequency part of BM25 per passage (Qdrant's IDF modifier adds the rest)."""
    lengths = np.array([len(terms_) for terms_ in passages], dtype=np.float64)
    average = float(lengths.mean()) if len(lengths) else 1.0
    vectors = []
    for length, passage in zip(lengths, passages, strict=True):
        norm = K1 * ((1 - B) + B * length / average)
        counts = Counter(terms.ids[term] for term in passage)
        indices = sorted(counts)
        values = [counts[i] / (norm + counts[i]) for i in indices]
        vectors.append(models.SparseVector(indices=indices, values=values))
    return vectors


class QdrantPassageIndex:
    """One version's collection: dense and BM25 rankings, and their RRF, in one round trip."""

    index_type = "qdrant"

    def __init__(
        self, client: QdrantClient, collection: str, terms: TermStatistics, chunks: list[Chunk]
    ) -> None:
        self.client = client
        self.collection = collection
        self.terms = terms
        self._section_paths = sorted({chunk.section_path.lower() for chunk in chunks})

    def rankings(
        self,
        query: str,
        vector: Vectors | None,
        pool: int,
        filters: SearchFilters,
        mask: npt.NDArray[np.bool_] | None,
        rrf_k: int,
    ) -> Rankings:
        conditions = self._conditions(filters)
        if conditions is None:
            return Rankings()  # the section filter matches no passage
        where = models.Filter(must=conditions) if conditions else None
        searches: list[models.Prefetch] = []
        if vector is not None:
            dense = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
            searches.append(models.Prefetch(query=dense, using=DENSE, filter=where, limit=pool))
        sparse = self.terms.query_vector(query) if query else None
        if sparse is not None:
            searches.append(models.Prefetch(query=sparse, using=SPARSE, filter=where, limit=pool))
        if not searches:
            return Rankings()
        requests = [
            models.QueryRequest(
                query=search.query, using=search.using, filter=where, limit=pool, with_payload=False
            )
            for search in searches
        ]
        if len(searches) == 2:  # both retrievers: the server fuses them as well
            requests.append(
                models.QueryRequest(
                    prefetch=searches,
                    query=models.RrfQuery(rrf=models.Rrf(k=rrf_k + 1)),
                    limit=2 * pool,  # every candidate of either list
                    with_payload=False,
                )
            )
        started = time.perf_counter()
        responses = self.client.query_batch_points(self.collection, requests)
        timings = {"search": round((time.perf_counter() - started) * 1000, 3)}
        lists = [_ranking(response.points) for response in responses[: len(searches)]]
        dense_ranking = lists[0] if vector is not None else {}
        lexical_ranking = lists[-1] if sparse is not None else {}
        fused = None
        if len(searches) == 2:
            fused = {int(point.id): float(point.score) for point in responses[2].points}
        return Rankings(dense_ranking, lexical_ranking, fused, timings)

    def _conditions(self, filters: SearchFilters) -> list[models.Condition] | None:
        """The filters as payload conditions; None when they can match nothing."""
        conditions: list[models.Condition] = []
        if filters.country is not None:
            conditions.append(_match("country", filters.country.lower()))
        if filters.doc_id is not None:
            conditions.append(_match("doc_id", filters.doc_id))
        if filters.section is not None:
            # a substring of the section path, as the local store filters: resolved here against
            # the version's few distinct paths, then pushed down as a keyword match
            needle = filters.section.lower()
            paths = [path for path in self._section_paths if needle in path]
            if not paths:
                return None
            conditions.append(
                models.FieldCondition(key="section_path", match=models.MatchAny(any=paths))
            )
        return conditions


def _match(key: str, value: str) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def _ranking(points: Sequence[models.ScoredPoint]) -> Ranking:
    return {int(point.id): (rank, float(point.score)) for rank, point in enumerate(points, 1)}
