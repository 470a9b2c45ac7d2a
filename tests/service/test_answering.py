"""The extractive answerer over the Morocco factsheet (fake embedder, real index files)."""

from __future__ import annotations

import pytest

from policyqa.index import IndexBuilder
from policyqa.service.answering import NOT_COVERED, Answer, verify_citations
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> QAEngine:
    settings = Settings(index_dir=tmp_path_factory.mktemp("index"))
    embedder = FakeEmbedder()
    IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    return open_engine(settings, embedder=embedder)


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
