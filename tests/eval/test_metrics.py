"""Metric plumbing on tiny hand-made cases: qrels by overlap, ir-measures wiring, answer metrics."""

from __future__ import annotations

import math

import pytest

from policyqa.eval.dataset import Span, contains, normalise
from policyqa.eval.metrics import (
    CitedSpan,
    PassageSpan,
    abstention_counts,
    citation_precision,
    citation_recall,
    citation_valid,
    key_fact_recall,
    latency_summary,
    relevant_passages,
    retrieval_metrics,
)


def test_a_passage_is_relevant_when_it_shares_a_character_with_gold_evidence() -> None:
    passages = [
        PassageSpan("a.md", 0, 10),
        PassageSpan("a.md", 10, 20),
        PassageSpan("a.md", 20, 30),
    ]
    passages.append(PassageSpan("b.md", 0, 30))  # same offsets, another document
    assert relevant_passages(passages, [Span("a.md", 15, 22)]) == {"a.md#10-20", "a.md#20-30"}
    # spans are half-open: evidence starting where a passage ends does not overlap it
    assert relevant_passages(passages, [Span("a.md", 20, 25)]) == {"a.md#20-30"}
    assert relevant_passages(passages, [Span("c.md", 0, 5)]) == set()


def test_retrieval_metrics_keep_the_system_order_and_count_misses_as_zero() -> None:
    qrels = {"q1": {"a"}, "q2": {"b", "c"}, "q3": set(), "q4": {"d"}}
    runs = {
        "q1": ["z", "a"],  # "a" sorts before "z": the system's order must win, not the id's
        "q2": ["b", "x1", "x2", "x3", "x4", "c"],
        "q3": ["a"],  # its evidence is in no passage: scores 0, is not dropped
        # q4 retrieved nothing at all
    }
    means, per_question = retrieval_metrics(qrels, runs)
    assert per_question["q1"]["mrr@10"] == pytest.approx(0.5)
    assert per_question["q1"]["recall@1"] == 0.0 and per_question["q1"]["recall@5"] == 1.0
    assert per_question["q1"]["ndcg@10"] == pytest.approx(1 / math.log2(3))
    assert per_question["q2"]["recall@1"] == 0.5 and per_question["q2"]["recall@5"] == 0.5
    assert per_question["q2"]["recall@10"] == 1.0 and per_question["q2"]["mrr@10"] == 1.0
    assert all(value == 0.0 for value in per_question["q3"].values())
    assert all(value == 0.0 for value in per_question["q4"].values())
    assert means["mrr@10"] == pytest.approx((0.5 + 1.0) / 4)
    assert set(means) == {"recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"}


def test_key_facts_are_matched_as_whole_words_ignoring_case_and_punctuation() -> None:
    answer = (
        "INSTRUMENTS: Financial: Funding collaboration initiatives; Financing networking events."
    )
    facts = ["funding collaboration initiatives", "Financing  networking-events", "coworking"]
    assert key_fact_recall(answer, facts) == pytest.approx(2 / 3)
    assert contains("Industrial land (1.000 hectares)", "1.000 hectares")
    assert contains("the 2021 – 2025 plan", "2021-2025")  # an en dash is punctuation too
    assert not contains("SMEs and start-ups", "SME")  # a word's prefix is not the word
    assert normalise("  “Self-entrepreneurs”\n") == "self entrepreneurs"


def test_citation_validity_precision_and_recall() -> None:
    text = "0123456789abcdefghij"
    good = CitedSpan("a.md", 10, 15, "abcde")
    shifted = CitedSpan("a.md", 11, 16, "abcde")
    outside = CitedSpan("a.md", 18, 40, "ij")
    assert citation_valid(good, text)
    assert not citation_valid(shifted, text) and not citation_valid(outside, text)
    assert not citation_valid(good, None)  # a document the index does not know

    gold = [Span("a.md", 12, 14), Span("a.md", 0, 3)]
    other = CitedSpan("a.md", 5, 8, "567")
    assert citation_precision([good, other], gold) == 0.5
    assert citation_precision([], gold) is None
    assert citation_recall([good, other], gold) == 0.5
    assert citation_recall([], gold) == 0.0


def test_abstention_counts_treat_not_covered_as_the_positive_class() -> None:
    # (gold answerable, system abstained)
    counts = abstention_counts([(False, True), (False, True), (False, False), (True, True)])
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    never = abstention_counts([(False, False), (True, False)])
    assert never.precision is None and never.recall == 0.0


def test_latency_summary_reports_median_and_p95_per_stage() -> None:
    timings = [{"embed": float(value), "total": 2.0 * value} for value in range(1, 101)]
    summary = latency_summary(timings)
    assert summary["embed"] == {"median": 50.5, "p95": pytest.approx(95.05)}
    assert summary["total"]["median"] == 101.0


def test_first_statement_and_answer_first() -> None:
    from policyqa.eval.metrics import answer_first, first_statement

    answer = "Industrial land (1.000 hectares) is available. [1] The plan builds on 2014. [2]"
    assert first_statement(answer) == "Industrial land (1.000 hectares) is available. [1]"
    assert first_statement("no marker at all") == "no marker at all"
    assert answer_first(answer, ["1.000 hectares"]) is True
    assert answer_first(answer, ["2014"]) is False
    assert answer_first(answer, []) is None


def test_citation_hit_at_1() -> None:
    from policyqa.eval.metrics import CitedSpan, citation_hit_at_1

    gold = [Span("d", 10, 20)]
    on, off = CitedSpan("d", 12, 18, "x"), CitedSpan("d", 30, 40, "y")
    assert citation_hit_at_1([on, off], gold)
    assert not citation_hit_at_1([off, on], gold)
    assert not citation_hit_at_1([], gold)
