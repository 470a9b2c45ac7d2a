"""Recognising the countries a question names."""

from __future__ import annotations

import pytest

from policyqa.service.countries import CountryMatcher
from policyqa.service.question import detect_aspects, parse_question


def test_names_and_adjectives() -> None:
    matcher = CountryMatcher(["Morocco"])
    assert matcher.find("What does Moroccan industrial policy aim at?") == ["Morocco"]
    assert matcher.find("Compare Morocco's instruments with Germany's") == ["Morocco", "Germany"]
    assert matcher.find("Is the Czech Republic covered?") == ["Czechia"]
    assert matcher.find("Türkiye and South Sudan") == ["Turkey", "South Sudan"]


def test_ambiguous_words_need_capitals() -> None:
    matcher = CountryMatcher()
    assert matcher.find("a turkey in the chad of us") == []
    assert matcher.find("policies in the US") == ["United States"]


def test_fictional_indexed_countries_are_recognised() -> None:
    matcher = CountryMatcher(["Norlandia"])
    question = parse_question("What instruments does Norlandia use? And France?", matcher)
    assert question.covered_countries == ("Norlandia",)
    assert question.missing_countries == ("France",)
    assert "instrument" in question.terms and "use" not in question.terms


def test_the_country_a_search_is_restricted_to_leaves_the_search_text() -> None:
    matcher = CountryMatcher(["Morocco"])
    assert (
        matcher.remove("What are the objectives of Morocco's industrial policy?", ["Morocco"])
        == "What are the objectives of industrial policy?"
    )
    assert matcher.remove("Did the Moroccan government act?", ["Morocco"]) == (
        "Did the government act?"
    )
    assert matcher.remove("Compare Morocco and Germany", ["Morocco"]) == "Compare and Germany"
    assert matcher.remove("Morocco", ["Morocco"]) == ""


# --- aspects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("What are the policy objectives of Morocco?", "objectives"),
        ("What does Moroccan industrial policy aim at?", "objectives"),
        ("What is Morocco's cluster policy trying to accomplish?", "objectives"),
        ("What is the focus of the policy?", "focus"),
        ("Which ministry is in charge of the plan?", "authorities"),
        ("Who gets help from this programme?", "beneficiaries"),
        ("Which tools does it use?", "instruments"),
        ("What support measures exist?", "instruments"),
        ("When did the plan start?", "history"),
        ("How much money is allocated to it?", "budget"),
        ("Has the policy been evaluated?", "evaluation"),
        ("Which EU priorities is it aligned with?", "alignment"),
        ("How long has it existed?", "continuity"),
        ("Is there continuity?", "continuity"),
        ("Does Morocco have a dedicated cluster policy?", "scope"),
        ("Does it run a cluster programme of its own?", "scope"),
        ("Is there evidence of performance?", "performance"),
        ("What cluster support instruments exist?", "support_instruments"),
        ("Are Moroccan clusters part of INNOSUP-1 consortia?", "cooperation"),
        ("What is the policy called?", "policy"),
        ("Which reference discusses the performance of clusters?", "references"),
        ("How did the pandemic affect the economy?", "context"),
    ],
)
def test_aspects_through_synonyms_and_paraphrases(question: str, aspect: str) -> None:
    assert detect_aspects(question)[0] == aspect


def test_off_topic_questions_have_no_aspect() -> None:
    for question in ("What is the capital of France?", "How do I bake sourdough bread?"):
        assert detect_aspects(question) == ()


def test_sub_rows_comparisons_and_yes_no() -> None:
    matcher = CountryMatcher(["Morocco", "Velora"])
    start = parse_question("When did the plan start?", matcher)
    assert start.aspect == "history" and start.subfields == ("starting_year",)
    annual = parse_question("What is the annual budget?", matcher)
    assert annual.subfields == ("annual",)
    compare = parse_question("Compare the instruments of Morocco and Velora", matcher)
    assert compare.comparison and compare.covered_countries == ("Morocco", "Velora")
    assert parse_question("Which countries have a dedicated cluster policy?", matcher).comparison
    assert not parse_question("Which policy does Morocco's factsheet describe?", matcher).comparison
    dedicated = parse_question("Does Morocco have a dedicated cluster policy?", matcher)
    assert dedicated.yes_no and dedicated.aspect == "scope"


def test_adjectives_of_fictional_countries() -> None:
    matcher = CountryMatcher(["Velora", "Morocco"])
    assert matcher.find("What does Veloran cluster policy aim at?") == ["Velora"]
    assert matcher.find("Moroccan policy") == ["Morocco"]
