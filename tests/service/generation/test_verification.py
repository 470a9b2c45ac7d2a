"""Verification of generated sentences: splitting, markers, facts, the verdicts (fast lane).

The support score here comes from the fake hashing embedder (conftest): these tests check the
mechanics (citations, facts, removal, marking, exact quotes); the calibrated score with the real
model is tested in test_generated_answers.py.
"""

from __future__ import annotations

import pytest

from policyqa.service.generation.facts import extract_facts, missing_facts
from policyqa.service.generation.support import SupportScorer, lexical_support
from policyqa.service.generation.verify import (
    UNSUPPORTED_MARK,
    Verifier,
    cited_ids,
    split_sentences,
)
from policyqa.service.pipeline import QAEngine
from policyqa.service.statements import Statement, verify_citations
from tests.conftest import FakeEmbedder


def test_sentences_keep_the_markers_that_follow_them() -> None:
    text = "The plan runs to 2025. [1] It has 1.000 hectares [2]. Its aim, i.e. growth, is set.[3]"
    assert split_sentences(text) == [
        "The plan runs to 2025. [1]",
        "It has 1.000 hectares [2].",
        "Its aim, i.e. growth, is set.[3]",
    ]
    lines = "First line [1]\nSecond line [2]"
    assert split_sentences(lines) == ["First line [1]", "Second line [2]"]


def test_cited_ids_read_every_marker_form() -> None:
    assert cited_ids("A [3] b [1, 2] c [3][4].") == [3, 1, 2, 4]
    assert cited_ids("No citation here.") == []


def test_facts_are_numbers_years_names_and_quotes() -> None:
    facts = extract_facts(
        'Morocco\'s plan (2021-2025) makes 1.000 hectares and "rental parks" over four years [1].'
    )
    assert facts.numbers == ("2021", "2025", "1.000", "four")
    assert facts.years == ("2021", "2025")
    assert facts.names == ("Morocco",)
    assert facts.quoted == ("rental parks",)
    # a capitalised first word is a name only when it looks like one
    assert extract_facts("The Ministry of Industry designs it.").names == ("Ministry", "Industry")


def test_missing_facts_are_whole_words_of_the_cited_text() -> None:
    quote = "Industrial land (1.000 hectares) is made available; three-year grants since 2014."
    assert missing_facts(extract_facts("It offers 1.000 hectares."), [quote]) == []
    assert missing_facts(extract_facts("It offers 1.0 hectares."), [quote]) == ["1.0"]
    assert missing_facts(extract_facts("Grants last three years since 2014."), [quote]) == []
    assert missing_facts(extract_facts("Grants since 201."), [quote]) == ["201"]
    assert missing_facts(extract_facts("Grants from the World Bank."), [quote]) == [
        "World",
        "Bank",
    ]


def test_lexical_support_is_the_share_of_content_terms_quoted() -> None:
    quote = "An inter-ministerial committee is monitoring the implementation of the plan."
    assert lexical_support("A committee monitors the implementation.", [quote]) == 1.0
    assert lexical_support("A bank funds the implementation.", [quote]) == pytest.approx(1 / 3)


def statements_of(engine: QAEngine, *sentences: str) -> list[Statement]:
    """Statements whose spans are the given sentences of the Morocco factsheet."""
    document = next(iter(engine.snapshot.documents.values()))
    found = []
    for sentence in sentences:
        start = document.text.index(sentence)
        found.append(Statement(sentence, document, start, start + len(sentence)))
    return found


COMMITTEE = "An inter-ministerial committee is monitoring the implementation of the IAP"
LAND = "Industrial land (1.000 hectares) is made available for industrial rental parks"


@pytest.fixture
def verifier() -> Verifier:
    return Verifier(SupportScorer(FakeEmbedder()), threshold=0.5)


def test_a_supported_answer_is_kept_with_exact_quotes(
    verifier: Verifier, morocco_engine: QAEngine
) -> None:
    statements = statements_of(morocco_engine, COMMITTEE, LAND)
    generated = f"{COMMITTEE} [1]. {LAND} [2]."
    verification = verifier.answer(generated, statements)
    answer = verification.answer
    assert answer.generated and answer.answerable and answer.removed == 0
    assert [citation.id for citation in answer.citations] == [1, 2]
    assert verify_citations(answer, morocco_engine.snapshot.documents) == []


def test_unsupported_sentences_are_removed_and_invented_ids_dropped(
    verifier: Verifier, morocco_engine: QAEngine
) -> None:
    statements = statements_of(morocco_engine, COMMITTEE, LAND)
    generated = (
        f"{LAND} [2][7]. "  # cites a statement that was not given: [7] dropped
        "Industrial land (5.000 hectares) is made available for rental parks [2]. "  # wrong number
        "The plan also funds a national football league. "  # no citation
        "Astronauts train in orbital laboratories every winter [1]."  # unsupported words
    )
    verification = verifier.answer(generated, statements)
    verdicts = verification.verdicts
    assert [v.supported for v in verdicts] == [True, False, False, False]
    assert verdicts[0].dropped == (7,) and "[7]" not in verdicts[0].text
    assert "5.000" in verdicts[1].reason
    assert verdicts[2].reason == "cites no given statement"
    assert verdicts[3].reason.startswith("support")
    answer = verification.answer
    assert answer.text == f"{LAND} [2]." and answer.removed == 3
    assert [citation.id for citation in answer.citations] == [2]
    assert verify_citations(answer, morocco_engine.snapshot.documents) == []


def test_marking_keeps_unsupported_sentences_flagged(
    verifier: Verifier, morocco_engine: QAEngine
) -> None:
    statements = statements_of(morocco_engine, COMMITTEE, LAND)
    generated = f"{LAND} [2]. Industrial land (9 hectares) is made available [2]."
    answer = verifier.answer(generated, statements, mark=True).answer
    assert answer.text == (
        f"{LAND} [2]. Industrial land (9 hectares) is made available [2]. {UNSUPPORTED_MARK}"
    )
    assert answer.removed == 1 and answer.answerable


def test_nothing_supported_is_not_an_answer(verifier: Verifier, morocco_engine: QAEngine) -> None:
    statements = statements_of(morocco_engine, COMMITTEE)
    answer = verifier.answer("Nothing here cites anything.", statements).answer
    assert not answer.answerable and answer.removed == 1 and answer.citations == ()
