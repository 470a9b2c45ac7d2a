"""Hybrid retrieval: dense (FAISS) and BM25 candidates fused by reciprocal rank.

Filters (country, doc_id, section) restrict both retrievers before ranking, so a filtered search
returns the best passages of the subset, not the filtered remains of a global top-k.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from policyqa.index.embedding import Embedder, Vectors
from policyqa.index.lexical import analyse
from policyqa.index.passage_store import StoreSnapshot
from policyqa.ingest import Chunk, Document
from policyqa.settings import RetrievalSettings

SearchMode = Literal["hybrid", "dense", "lexical"]
#: Share of a label's IDF-weighted terms a question must hold to name it ("What is the budget?"
#: names BUDGET; "policy" alone does not name "POLICY OBJECTIVES").
LABEL_MATCH = 0.5


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions on the passages a search may return; None means any."""

    country: str | None = None  # exact country name, case-insensitive
    doc_id: str | None = None  # exact document id
    section: str | None = None  # substring of the section path, case-insensitive

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return self.country is None and self.doc_id is None and self.section is None


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved passage with its scores."""

    chunk: Chunk
    document: Document
    score: float  # fused reciprocal-rank score (the ranking score)
    dense_score: float | None  # cosine similarity with the question, when dense retrieval ran
    lexical_score: float | None  # BM25 score, when BM25 retrieval ran
    dense_rank: int | None  # 1-based rank in the dense list, None when not in it
    lexical_rank: int | None


@dataclass(slots=True)
class SearchResult:
    """Ranked hits, facet counts over the candidates, and where the time went."""

    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_vector: Vectors | None = None


class Retriever:
    """Searches one loaded index snapshot."""

    def __init__(
        self, snapshot: StoreSnapshot, embedder: Embedder, settings: RetrievalSettings
    ) -> None:
        self.snapshot = snapshot
        self.passages = snapshot.passage_index()  # where dense and BM25 search run
        self.embedder = embedder
        self.settings = settings
        chunks = snapshot.chunks
        documents = snapshot.documents
        # per-passage metadata as arrays, so that filters are vector operations
        self._countries = np.array(
            [(documents[chunk.doc_id].country or "").lower() for chunk in chunks], dtype=object
        )
        self._doc_ids = np.array([chunk.doc_id for chunk in chunks], dtype=object)
        self._sections = [chunk.section_path.lower() for chunk in chunks]
        # passages grouped by the analysed terms of their own label (a table row's label or the
        # heading they sit under): few distinct labels, so matching a question against them is cheap
        rows_by_label: dict[tuple[str, ...], list[int]] = {}
        for row, chunk in enumerate(chunks):
            label = tuple(sorted(set(analyse(chunk.section[-1])))) if chunk.section else ()
            if label:
                rows_by_label.setdefault(label, []).append(row)
        self._labels = {
            label: np.array(rows, dtype=np.int64) for label, rows in rows_by_label.items()
        }

    @property
    def countries(self) -> list[str]:
        """Countries of the indexed documents."""
        return sorted({doc.country for doc in self.snapshot.documents.values() if doc.country})

    def mask(self, filters: SearchFilters) -> npt.NDArray[np.bool_] | None:
        """Boolean mask of the passages allowed by ``filters`` (None: all)."""
        if filters.is_empty():
            return None
        mask = np.ones(len(self.snapshot.chunks), dtype=bool)
        if filters.country is not None:
            mask &= self._countries == filters.country.lower()
        if filters.doc_id is not None:
            mask &= self._doc_ids == filters.doc_id
        if filters.section is not None:
            needle = filters.section.lower()
            mask &= np.array([needle in section for section in self._sections], dtype=bool)
        return mask

    def search(
        self,
        query: str,
        top_k: int | None = None,
        filters: SearchFilters | None = None,
        mode: SearchMode = "hybrid",
        query_vector: Vectors | None = None,
        candidates: int | None = None,
        labels: bool | None = None,
    ) -> SearchResult:
        """The best passages for ``query``; ``mode`` selects hybrid, dense-only or BM25-only.

        In hybrid mode a third ranking joins the fusion when ``labels`` (default: the
        ``label_ranking`` setting): the passages whose own label the question names
        (``label_matches``), so that "What is the budget?" finds the BUDGET row even when the
        plan's name, repeated across the document, dominates both other rankings.
        """
        top_k = top_k or self.settings.top_k
        pool = max(candidates or self.settings.candidates, top_k)
        timings: dict[str, float] = {}
        filters = filters or SearchFilters()
        mask = self.mask(filters)

        if mode in ("hybrid", "dense") and query_vector is None:
            started = time.perf_counter()
            query_vector = self.embedder.embed_query(query)
            timings["embed"] = _ms(started)
        rankings = self.passages.rankings(
            query if mode in ("hybrid", "lexical") else "",
            query_vector if mode in ("hybrid", "dense") else None,
            pool,
            filters,
            mask,
            self.settings.rrf_k,
        )
        dense, lexical = rankings.dense, rankings.lexical
        timings.update(rankings.timings_ms)

        started = time.perf_counter()  # label matching is part of fusion ("fuse" timing)
        labelled: dict[int, tuple[int, float]] = {}
        if mode == "hybrid" and (self.settings.label_ranking if labels is None else labels):
            # a label match promotes passages the content retrievers found; it never brings in
            # a passage on its label alone (the BUDGET rows of every other factsheet, say)
            found = np.fromiter({*dense, *lexical}, dtype=np.int64)
            candidates_mask = np.zeros(len(self.snapshot.chunks), dtype=bool)
            candidates_mask[found] = True
            labelled = self.label_matches(query, candidates_mask)

        k = self.settings.rrf_k
        # the store's own fusion of dense and BM25 when it has one (Qdrant), else fused here
        fused: dict[int, float] = dict(rankings.fused or {})
        for ranking in (labelled,) if rankings.fused is not None else (dense, lexical, labelled):
            for row, (rank, _) in ranking.items():
                fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
        ordered = sorted(fused, key=lambda row: (-fused[row], row))
        hits = [self._hit(row, fused[row], dense, lexical) for row in ordered[:top_k]]
        facets = self._facets(ordered)
        timings["fuse"] = _ms(started)
        return SearchResult(hits=hits, facets=facets, timings_ms=timings, query_vector=query_vector)

    def label_matches(
        self, query: str, mask: npt.NDArray[np.bool_] | None = None
    ) -> dict[int, tuple[int, float]]:
        """Passages whose label the question names, as {row: (rank, share)}.

        A label is named when the question holds at least ``LABEL_MATCH`` of its IDF-weighted
        terms. Labels are ranked by that share, and every passage under a label gets the label's
        rank: the other rankings decide between passages of one label (the same row of many
        countries' factsheets, say).
        """
        terms = set(analyse(query))
        if not terms:
            return {}
        lexical = self.snapshot.lexical
        shares: dict[tuple[str, ...], float] = {}
        for label in self._labels:
            weights = [lexical.idf(term) for term in label]
            total = sum(weights)
            found = sum(w for term, w in zip(label, weights, strict=True) if term in terms)
            if total > 0 and found / total >= LABEL_MATCH:
                shares[label] = found / total
        ranked: dict[int, tuple[int, float]] = {}
        levels = sorted(set(shares.values()), reverse=True)
        for label, share in shares.items():
            rank = levels.index(share) + 1
            for row in self._labels[label]:
                if mask is None or mask[row]:
                    ranked[int(row)] = (rank, share)
        return ranked

    def _hit(
        self,
        row: int,
        score: float,
        dense: dict[int, tuple[int, float]],
        lexical: dict[int, tuple[int, float]],
    ) -> Hit:
        chunk = self.snapshot.chunks[row]
        dense_rank, dense_score = dense.get(row, (None, None))
        lexical_rank, lexical_score = lexical.get(row, (None, None))
        return Hit(
            chunk=chunk,
            document=self.snapshot.documents[chunk.doc_id],
            score=score,
            dense_score=dense_score,
            lexical_score=lexical_score,
            dense_rank=dense_rank,
            lexical_rank=lexical_rank,
        )

    def _facets(self, rows: list[int]) -> dict[str, dict[str, int]]:
        """Counts by country and by top-level section among all fused candidates."""
        countries: Counter[str] = Counter()
        sections: Counter[str] = Counter()
        for row in rows:
            chunk = self.snapshot.chunks[row]
            countries[self.snapshot.documents[chunk.doc_id].country or "(none)"] += 1
            sections[chunk.section[0] if chunk.section else "(none)"] += 1
        return {"country": dict(countries.most_common()), "section": dict(sections.most_common())}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
