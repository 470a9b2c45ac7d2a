"""Recognising the countries a question names."""

from __future__ import annotations

from policyqa.service.countries import CountryMatcher
from policyqa.service.question import parse_question


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
    assert question.indexed_countries == ("Norlandia",)
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
