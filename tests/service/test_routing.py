"""The router (``service.routing``): a field as a whole or one detail, and what no document
mentions."""

from __future__ import annotations

from policyqa.service.pipeline import QAEngine
from policyqa.service.relevance import variant_coverage, variants
from policyqa.service.routing import detail_terms, not_mentioned, unknown_names


def _detail(engine: QAEngine, text: str) -> tuple[str, ...]:
    parsed = engine.parse(text)
    names = engine._policy_names(parsed)
    return detail_terms(parsed, engine.countries, engine.snapshot.lexical, names)


def test_a_question_for_the_whole_field_has_no_detail(morocco_engine: QAEngine) -> None:
    for text in (
        "What are Morocco's objectives?",
        "List the policy objectives of the Industrial Acceleration Plan.",
        "Which instruments does Morocco use?",
        "What is the budget of Morocco's plan?",
    ):
        assert _detail(morocco_engine, text) == (), text


def test_a_detail_inside_a_field_is_a_detail(morocco_engine: QAEngine) -> None:
    assert "hectar" in _detail(morocco_engine, "How many hectares of land are available?")
    assert "leader" in _detail(morocco_engine, "What are the objectives of large leaders?")


def test_paraphrases_with_the_same_content_take_the_same_route(morocco_engine: QAEngine) -> None:
    first = _detail(morocco_engine, "What is the role of large industrial leaders in Morocco?")
    second = _detail(morocco_engine, "Tell me about Morocco's large industrial leaders")
    assert first and second  # both ask for a detail: both are answered by sentences
    assert {"larg", "leader"} <= set(first) & set(second)


def test_names_no_document_contains(morocco_engine: QAEngine) -> None:
    lexical, countries = morocco_engine.snapshot.lexical, morocco_engine.countries
    parsed = morocco_engine.parse("How many clusters are there in Casablanca and Fez?")
    assert unknown_names(parsed, countries, lexical) == ["Casablanca", "Fez"]
    parsed = morocco_engine.parse("Which SME ecosystems does the Moroccan plan create?")
    assert unknown_names(parsed, countries, lexical) == []  # "SMEs" is in the factsheet
    assert not_mentioned(["Casablanca"]) == "The documents do not mention Casablanca."
    assert not_mentioned(["Casablanca", "Fez", "Rabat"]).endswith("Casablanca, Fez or Rabat.")


def test_an_unknown_name_is_declined_by_name(morocco_engine: QAEngine) -> None:
    result = morocco_engine.ask("How many clusters are there in Casablanca?")
    assert not result.answer.answerable
    assert result.answer.text == "The documents do not mention Casablanca."
    assert result.route is not None and result.route.kind == "declined"


def test_morphological_variants_meet() -> None:
    assert variants("recov", "recoveri") and variants("bank", "banks")
    assert not variants("plan", "planetari") and not variants("us", "use")
    assert variant_coverage({"recov": 1.0, "crisi": 1.0}, {"recoveri", "plan"}) == 0.5


def test_every_answer_says_its_route(morocco_engine: QAEngine) -> None:
    profile = morocco_engine.ask("What are Morocco's objectives?").route
    assert profile is not None and profile.kind == "profile"
    detail = morocco_engine.ask("How many hectares of industrial land are available?").route
    assert detail is not None and detail.kind == "sentences" and "hectar" in detail.reason


def test_candidate_evidence_pairs_statements_with_citations(morocco_engine: QAEngine) -> None:
    evidence = morocco_engine.candidate_evidence("Which instruments does Morocco use?")
    assert evidence.answerable and evidence.route is not None
    assert evidence.statements
    for statement in evidence.statements:
        assert statement.text and "[" not in statement.text[-4:]
        assert statement.citation.quote
    declined = morocco_engine.candidate_evidence("How many clusters are there in Casablanca?")
    assert not declined.answerable and declined.statements == ()


def test_search_ranks_annex_definitions_below_the_countrys_statements(
    morocco_engine: QAEngine,
) -> None:
    hits = morocco_engine.search("instruments", 8).hits
    sections = [hit.chunk.section for hit in hits]
    annex = [i for i, section in enumerate(sections) if section and section[0] == "Annex"]
    row = [i for i, section in enumerate(sections) if section[-1:] == ("INSTRUMENTS",)]
    assert sections[0][0] != "Annex" and row and (not annex or row[0] < min(annex))
