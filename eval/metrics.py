"""Metrics: retrieval (with ir-measures), citations, key facts, abstention and latency.

- Retrieval: a passage is relevant to a question when its span overlaps a gold evidence span of
  the same document (``relevant_passages``); Recall@k, MRR@10 and nDCG@10 are computed by
  ir-measures (trec_eval's implementations through pytrec-eval), never by hand here.
- Citations: validity (the quote is the document's text at the span), precision (share of an
  answer's citations that overlap gold evidence) and recall (share of the gold evidence spans
  that some citation overlaps).
- Answers: key-fact recall, the share of a question's key facts found in the answer text;
  answer-first, whether the answer's first statement (its text up to the first citation marker)
  already holds a key fact; citation hit@1, whether the first citation overlaps gold evidence.
- Abstention: "not covered" is the positive class; precision and recall against the gold label.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from policyqa.eval.dataset import Span, contains

#: Cut-offs reported for recall; MRR and nDCG are computed at 10.
RECALL_CUTOFFS = (1, 5, 10)
RANKING_DEPTH = 10
#: Stands for gold evidence that no passage of a system's index covers: it counts in the
#: question's relevant set but is never retrieved, so the question scores 0 instead of vanishing.
UNINDEXED = "(evidence not indexed)"


@dataclass(frozen=True, slots=True)
class PassageSpan:
    """A passage of some system's index, identified by its document span."""

    doc_id: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """Identifier used in qrels and runs: ``doc_id#start-end``."""
        return f"{self.doc_id}#{self.start}-{self.end}"

    @property
    def span(self) -> Span:
        """The passage as a document span."""
        return Span(self.doc_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class CitedSpan:
    """A citation as the evaluation sees it."""

    doc_id: str
    start: int
    end: int
    quote: str

    @property
    def span(self) -> Span:
        """The citation as a document span."""
        return Span(self.doc_id, self.start, self.end)


def relevant_passages(passages: Iterable[PassageSpan], evidence: Sequence[Span]) -> set[str]:
    """Keys of the passages that overlap any gold evidence span."""
    return {
        passage.key for passage in passages if any(passage.span.overlaps(gold) for gold in evidence)
    }


# --- retrieval ------------------------------------------------------------------------------------


def retrieval_metrics(
    qrels: Mapping[str, set[str]], runs: Mapping[str, Sequence[str]]
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Mean and per-question Recall@1/5/10, MRR@10 and nDCG@10 over the questions of ``qrels``.

    ``qrels`` maps a question id to its relevant passage keys (empty: the evidence is not
    indexed, which scores 0); ``runs`` maps it to the passage keys in ranked order.
    """
    import ir_measures  # imported here: only evaluation runs need it
    from ir_measures import RR, R, nDCG

    measures = {
        **{f"recall@{k}": R @ k for k in RECALL_CUTOFFS},
        f"mrr@{RANKING_DEPTH}": RR @ RANKING_DEPTH,
        f"ndcg@{RANKING_DEPTH}": nDCG @ RANKING_DEPTH,
    }
    if not qrels:
        return dict.fromkeys(measures, 0.0), {}
    qrel_rows = [
        ir_measures.Qrel(qid, key, 1)
        for qid, keys in qrels.items()
        for key in (sorted(keys) or [UNINDEXED])
    ]
    # trec_eval orders a run by score and breaks ties by document id: give every rank its own
    # score so the system's order is kept exactly
    run_rows = [
        ir_measures.ScoredDoc(qid, key, float(len(ranking) - rank))
        for qid, ranking in runs.items()
        if qid in qrels
        for rank, key in enumerate(dict.fromkeys(ranking))  # first occurrence of each
    ]
    names = {measure: name for name, measure in measures.items()}
    per_question: dict[str, dict[str, float]] = {qid: {} for qid in qrels}
    for metric in ir_measures.iter_calc(list(measures.values()), qrel_rows, run_rows):
        per_question[metric.query_id][names[metric.measure]] = float(metric.value)
    for values in per_question.values():  # a question missing from the run scores 0
        for name in measures:
            values.setdefault(name, 0.0)
    means = {
        name: float(statistics.fmean(values[name] for values in per_question.values()))
        for name in measures
    }
    return means, per_question


# --- answers --------------------------------------------------------------------------------------


def key_fact_recall(answer: str, key_facts: Sequence[str]) -> float:
    """Share of ``key_facts`` found in ``answer`` (words compared, case and punctuation ignored)."""
    if not key_facts:
        return 1.0
    return sum(contains(answer, fact) for fact in key_facts) / len(key_facts)


#: A citation marker ``[n]``: the end of an answer's statement.
_MARKER = re.compile(r"\[\d+\]")


def first_statement(answer: str) -> str:
    """The answer's text up to and including its first citation marker (all of it without one)."""
    match = _MARKER.search(answer)
    return answer[: match.end()] if match else answer


def answer_first(answer: str, key_facts: Sequence[str]) -> bool | None:
    """True when the first statement holds a key fact (None: the question has no key facts)."""
    if not key_facts:
        return None
    opening = first_statement(answer)
    return any(contains(opening, fact) for fact in key_facts)


def citation_hit_at_1(citations: Sequence[CitedSpan], evidence: Sequence[Span]) -> bool:
    """True when the first citation overlaps gold evidence."""
    return bool(citations) and any(citations[0].span.overlaps(gold) for gold in evidence)


def citation_valid(citation: CitedSpan, text: str | None) -> bool:
    """True when the quote is exactly the document's text at the citation's span."""
    return (
        text is not None
        and 0 <= citation.start <= citation.end <= len(text)
        and text[citation.start : citation.end] == citation.quote
    )


def citation_precision(citations: Sequence[CitedSpan], evidence: Sequence[Span]) -> float | None:
    """Share of the citations that overlap gold evidence (None: no citations)."""
    if not citations:
        return None
    hits = sum(any(c.span.overlaps(gold) for gold in evidence) for c in citations)
    return hits / len(citations)


def citation_recall(citations: Sequence[CitedSpan], evidence: Sequence[Span]) -> float:
    """Share of the gold evidence spans overlapped by at least one citation."""
    if not evidence:
        return 1.0
    covered = sum(any(c.span.overlaps(gold) for c in citations) for gold in evidence)
    return covered / len(evidence)


@dataclass(frozen=True, slots=True)
class AbstentionCounts:
    """Confusion counts with "abstained" as the positive class."""

    abstained_unanswerable: int  # true positives
    abstained_answerable: int  # false positives: declined what the documents say
    answered_unanswerable: int  # false negatives: answered what they do not say

    @property
    def precision(self) -> float | None:
        """Share of abstentions that were right (None when the system never abstained)."""
        abstained = self.abstained_unanswerable + self.abstained_answerable
        return None if abstained == 0 else self.abstained_unanswerable / abstained

    @property
    def recall(self) -> float | None:
        """Share of unanswerable questions declined (None without unanswerable questions)."""
        unanswerable = self.abstained_unanswerable + self.answered_unanswerable
        return None if unanswerable == 0 else self.abstained_unanswerable / unanswerable


def abstention_counts(outcomes: Iterable[tuple[bool, bool]]) -> AbstentionCounts:
    """Counts from (gold answerable, system abstained) pairs."""
    tp = fp = fn = 0
    for answerable, abstained in outcomes:
        if abstained and not answerable:
            tp += 1
        elif abstained:
            fp += 1
        elif not answerable:
            fn += 1
    return AbstentionCounts(tp, fp, fn)


# --- latency --------------------------------------------------------------------------------------


def latency_summary(timings: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Median and 95th percentile in milliseconds of every stage present in ``timings``."""
    stages: dict[str, list[float]] = {}
    for timing in timings:
        for stage, value in timing.items():
            stages.setdefault(stage, []).append(value)
    return {
        stage: {
            "median": round(float(np.median(values)), 3),
            "p95": round(float(np.percentile(values, 95)), 3),
        }
        for stage, values in stages.items()
    }


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None (None when there are none)."""
    present = [value for value in values if value is not None]
    return float(statistics.fmean(present)) if present else None
