"""Statements from the sentences of the retrieved passages that best match the question.

A sentence scores by meaning and by words together: its cosine with the question (sentence
vectors stored at ingest, ``index.sentence_vectors``; the question's vector is the one retrieval
computed), the IDF-weighted share of question terms it (with its heading) contains, morphological
variants included, plus its passage's rank score. Only sentences close to the best one are kept,
so an answer does not pad itself with loosely related text, and none that repeats what another
statement says. The best sentence comes first: the answer opens with what answers the question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from policyqa.index.lexical import analyse
from policyqa.ingest import BlockKind
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.extractive.passages import RankedPassage, in_supplementary_section
from policyqa.service.relevance import variant_coverage
from policyqa.service.statements import Statement, clean
from policyqa.service.types import SentenceCosines

_SENTENCE_END = (".", "!", "?", ")", "”", '"')
#: Weight of a sentence's cosine with the question next to its term coverage (both 0 to 1).
MEANING_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A sentence that may be quoted, with what decides whether and where."""

    statement: Statement
    rank: int  # rank of its passage among the ranked passages
    score: float


def sentence_statements(
    passages: list[RankedPassage],
    weights: Mapping[str, float],
    used: set[tuple[int, int]],
    room: int,
    min_overlap: float,
    seen: set[str] | None = None,
    cosines: SentenceCosines | None = None,
) -> list[Statement]:
    """Up to ``room`` sentences of the passages that best match the question, best first, the
    others in reading order.

    Spans in ``used`` are already quoted; sentences whose words are in ``seen`` already said;
    a sentence must share at least ``min_overlap`` of the question's terms. ``cosines`` gives
    the sentences' similarity with the question, when it was embedded.
    """
    if room <= 0 or not passages:
        return []
    candidates: list[_Candidate] = []
    best_passage = max(passage.score for passage in passages)
    for rank, passage in enumerate(passages):
        hit = passage.hit
        text = hit.document.text
        chunk = hit.chunk
        if in_supplementary_section(chunk.section):
            continue
        heading_terms = set(analyse(chunk.section[-1])) if chunk.section else set()
        meaning = cosines(chunk) if cosines is not None else {}
        if chunk.kind is BlockKind.REFERENCE:
            spans = [(chunk.start, chunk.end)]  # a reference entry is quoted whole
        else:
            spans = sentence_spans(text, chunk.start, chunk.end)
        for start, end in spans:
            sentence = text[start:end]
            if (start, end) in used or not _is_statement(sentence, chunk.kind):
                continue
            if seen and dedupe_key(sentence) in seen:
                continue  # says what the row already said (a narrative repeating the table)
            overlap = variant_coverage(weights, set(analyse(sentence)) | heading_terms)
            if overlap < min_overlap:
                continue
            score = overlap + 0.5 * passage.score / max(best_passage, 1e-9)
            score += MEANING_WEIGHT * max(meaning.get((start, end), 0.0), 0.0)
            statement = Statement(clean(sentence), hit.document, start, end, passage=hit)
            candidates.append(_Candidate(statement, rank, score))
    candidates.sort(key=lambda candidate: -candidate.score)
    floor = candidates[0].score * 0.75 if candidates else 0.0
    chosen = [candidate for candidate in candidates if candidate.score >= floor][:room]
    # the best first (it answers the question), the rest in passage order, then document order
    rest = sorted(chosen[1:], key=lambda candidate: (candidate.rank, candidate.statement.start))
    return [candidate.statement for candidate in chosen[:1] + rest]


def _is_statement(sentence: str, kind: BlockKind) -> bool:
    """Sentences worth quoting: table lines only when they are sentences, not option labels."""
    words = len(sentence.split())
    if kind is BlockKind.TABLE_ROW:
        return words >= 6 and sentence.rstrip().endswith(_SENTENCE_END)
    if kind is BlockKind.REFERENCE:
        return True
    return words >= 4


def dedupe_key(text: str) -> str:
    """The words of ``text``, lower-cased, to tell whether two statements say the same."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def sentence_keys(text: str, start: int, end: int) -> set[str]:
    """The ``dedupe_key`` of every sentence of ``text[start:end]``."""
    return {dedupe_key(text[left:right]) for left, right in sentence_spans(text, start, end)}


def without_repeats(statements: list[Statement]) -> list[Statement]:
    """Drop statements whose words another kept statement already says (a narrative often
    repeats a table's explanation word for word)."""
    kept: list[Statement] = []
    keys: list[str] = []
    for statement in statements:
        key = dedupe_key(statement.text)
        if any(key in other or other in key for other in keys):
            continue
        kept.append(statement)
        keys.append(key)
    return kept
