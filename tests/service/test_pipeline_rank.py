"""``QAEngine.rank``: the passages an answer draws on, in the order the answerer weighs them."""

from __future__ import annotations

import pytest

from policyqa.service.pipeline import QAEngine


@pytest.fixture
def engine(morocco_engine: QAEngine) -> QAEngine:
    return morocco_engine


def test_the_first_ranked_passage_is_the_one_the_answer_quotes_first(engine: QAEngine) -> None:
    question = "Which instruments does Morocco's industrial policy use?"
    answer = engine.ask(question).answer
    ranked = engine.rank(question, top_k=10)
    assert len(ranked) == 10 and len({hit.chunk.chunk_id for hit in ranked}) == 10
    assert answer.citations and ranked[0].chunk.section_path == answer.citations[0].section


def test_naming_the_only_indexed_country_does_not_change_the_ranking(engine: QAEngine) -> None:
    # the named country becomes a filter and leaves the search text
    named = engine.rank("What is the budget of Morocco's plan?", top_k=8)
    unnamed = engine.rank("What is the budget of the plan?", top_k=8)
    assert [hit.chunk.chunk_id for hit in named] == [hit.chunk.chunk_id for hit in unnamed]
