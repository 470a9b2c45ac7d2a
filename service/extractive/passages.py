"""The retrieved passages in the order the extractive answerer weighs them.

Retrieval ranks passages for the query as a whole; the answerer also weighs whether a passage's
own heading or row label names what is asked, whether it belongs to the question's aspect, and
whether it is a supplementary section (annexes define terms, they do not report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policyqa.index import Hit
from policyqa.index.lexical import analyse
from policyqa.ingest import Block, BlockKind, Document
from policyqa.service.relevance import term_coverage

_SUPPLEMENTARY_SECTIONS = re.compile(r"^(annex|appendix|glossary|methodology)\b", re.IGNORECASE)


def in_supplementary_section(section: Sequence[str]) -> bool:
    """Whether a section path starts in an annex, appendix, glossary or methodology."""
    return bool(section) and _SUPPLEMENTARY_SECTIONS.match(section[0]) is not None


@dataclass(slots=True)
class RankedPassage:
    """A retrieved passage with the answerer's score for it."""

    hit: Hit
    score: float
    block: Block | None  # the table row it comes from (None for other passages)
    label_match: float = 0.0  # share of question terms in the passage's heading or row label

    @property
    def block_kind_ok(self) -> bool:
        """Narrative and table passages, not reference-list entries."""
        return self.hit.chunk.kind is not BlockKind.REFERENCE


def rank_passages(
    hits: Sequence[Hit],
    weights: Mapping[str, float],
    limit: int,
    preferred: Sequence[Hit] = (),
) -> list[RankedPassage]:
    """Re-rank the first ``limit`` passages: retrieval score, a matching row label or heading,
    the question's aspect (``preferred``: passages of the field or section it is about), and
    less weight for supplementary sections."""
    favoured = {hit.chunk.chunk_id for hit in preferred}
    merged = {hit.chunk.chunk_id: hit for hit in [*preferred, *hits]}
    hits = sorted(merged.values(), key=lambda hit: hit.chunk.chunk_id not in favoured)
    hits = hits[:limit]
    if not hits:
        return []
    best = max(hit.score for hit in hits) or 1.0
    ranked = []
    for hit in hits:
        chunk = hit.chunk
        label_terms = set(analyse(chunk.section[-1])) if chunk.section else set()
        label_match = term_coverage(weights, label_terms)
        score = hit.score / best + 0.5 * label_match
        if chunk.chunk_id in favoured:
            score += 0.3
        if in_supplementary_section(chunk.section):
            score -= 0.5
        block = block_at(hit.document, chunk.start) if chunk.kind is BlockKind.TABLE_ROW else None
        ranked.append(RankedPassage(hit, score, block, label_match))
    ranked.sort(key=lambda passage: -passage.score)
    return ranked


def block_at(document: Document, offset: int) -> Block | None:
    """The block of ``document`` holding ``offset``."""
    for block in document.blocks:
        if block.start <= offset < block.end:
            return block
    return None
