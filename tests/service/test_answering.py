"""The extractive answerer over the Morocco factsheet (fake embedder, real index files)."""

from __future__ import annotations

import pytest

from policyqa.service.extractive.answerer import NOT_COVERED
from policyqa.service.pipeline import QAEngine
from policyqa.service.statements import verify_citations
from policyqa.service.types import Answer


@pytest.fixture
def engine(morocco_engine: QAEngine) -> QAEngine:
    return morocco_engine


def _ask(engine: QAEngine, question: str) -> Answer:
    answer = engine.ask(question).answer
    assert verify_citations(answer, engine.snapshot.documents) == []
    return answer


def test_field_question_lists_the_rows_categories(engine: QAEngine) -> None:
    answer = _ask(engine, "What are the policy objectives?")
    assert answer.answerable
    first = answer.citations[0]
    assert first.section.endswith("Table 1 > POLICY OBJECTIVES")
    assert first.quote.startswith("POLICY OBJECTIVES\nIncreasing competitiveness")
    assert "Promoting entrepreneurship, start-ups and spin-offs" in answer.text
    assert (
        answer.text.index("[1]") < answer.text.index("[2]") if len(answer.citations) > 1 else True
    )


def test_sub_rows_become_separate_statements(engine: QAEngine) -> None:
    answer = _ask(engine, "What is the budget?")
    assert "Overall: Data unavailable. [1]" in answer.text
    assert [c.quote for c in answer.citations][1:3] == [
        "Annual: Data unavailable",
        "Source of funding: Data unavailable",
    ]


def test_every_marker_has_a_citation_and_back(engine: QAEngine) -> None:
    answer = _ask(engine, "Who monitors the implementation of the plan?")
    markers = sorted({int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)})
    assert markers == [c.id for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_unknown_country_is_not_covered(engine: QAEngine) -> None:
    answer = _ask(engine, "What instruments does Germany use?")
    assert not answer.answerable and answer.citations == ()
    assert "Germany" in answer.text and "Morocco" in answer.text


def test_off_topic_question_is_not_covered(engine: QAEngine) -> None:
    answer = _ask(engine, "How do I bake sourdough bread?")
    assert not answer.answerable and answer.text == NOT_COVERED and answer.citations == ()


def test_table_2_options_are_never_quoted_as_facts(engine: QAEngine) -> None:
    answer = _ask(engine, "How long has cluster policy been established?")
    assert "Cluster policy established over 10 years ago" not in answer.text


def test_timings_cover_every_stage(engine: QAEngine) -> None:
    timings = engine.ask("budget").timings_ms
    assert {"embed", "dense", "lexical", "fuse", "answer", "total"} <= set(timings)


# --- answers from the factsheet profile --------------------------------------------------------


def test_field_answer_names_country_and_policy_and_cites_the_explanation(
    engine: QAEngine,
) -> None:
    answer = _ask(engine, "What does Moroccan industrial policy aim at?")
    assert answer.text.startswith(
        "Morocco (2021-2025 Industrial Acceleration Plan) — POLICY OBJECTIVES: "
    )
    second = answer.citations[1]
    assert second.quote.startswith("The Industrial Acceleration Plan (IAP) does not explicitly")
    assert second.quote.endswith("partnerships of the different regions.")


def test_the_sub_row_asked_for_comes_first(engine: QAEngine) -> None:
    answer = _ask(engine, "When did the Industrial Acceleration Plan start?")
    assert answer.citations[0].quote == "Starting year: 2021"
    assert "Ending year (for policies with limited period): 2025" in answer.text


def test_continuity_combines_state_of_play_history_and_narrative(engine: QAEngine) -> None:
    answer = _ask(engine, "Is there continuity in Moroccan cluster policy?")
    assert answer.text.startswith(
        "Morocco, continuity of cluster policy: no cluster-specific policy available — "
        "While no dedicated cluster policy exists in Morocco"
    )
    sections = [citation.section for citation in answer.citations]
    assert sections[0].endswith("Continuity") and any(s.endswith("HISTORY") for s in sections)
    quotes = " ".join(citation.quote for citation in answer.citations)
    assert "Starting year: 2021" in quotes and "2025" in quotes
    assert "National Pact for Industrial Emergence 2009-2015" in quotes  # predecessors
    assert "National Plan for Industrial Emergence (PNEI)" in quotes  # the narrative
    assert "established over 10 years ago" not in answer.text  # Table 2's list is no fact


def test_dedicated_cluster_policy_gets_a_direct_no(engine: QAEngine) -> None:
    answer = _ask(engine, "Does Morocco have a dedicated cluster policy?")
    assert answer.text.startswith("No. Morocco has no dedicated cluster policy")
    assert answer.citations[0].quote == "Policy type: Sectoral policy"
    assert any("no cluster specific initiative" in c.quote for c in answer.citations)


def test_data_unavailable_is_said_and_cited(engine: QAEngine) -> None:
    answer = _ask(engine, "What is the annual budget of Morocco's plan?")
    assert answer.citations[0].quote == "Annual: Data unavailable"
    assert "Annual: Data unavailable. [1]" in answer.text


def test_state_of_play_questions_use_the_narrative(engine: QAEngine) -> None:
    performance = _ask(engine, "Is there evidence of performance for Moroccan cluster policy?")
    assert "existence of monitoring or an ongoing / interim evaluation" in performance.text
    assert "inter-ministerial committee is monitoring" in performance.text
    support = _ask(engine, "What cluster support instruments exist in Morocco?")
    assert "financial support for cluster development in the broader" in support.text
    assert support.citations[0].quote.startswith("No dedicated cluster support instruments")
    for answer in (performance, support):
        for citation in answer.citations:
            assert "Table 2" not in citation.section and "Annex" not in citation.section


def test_questions_outside_the_template_are_answered_as_before(engine: QAEngine) -> None:
    answer = _ask(engine, "What was the National Plan for Industrial Emergence?")
    assert answer.answerable and "2009" in answer.text
    assert not answer.text.startswith("Morocco (")
