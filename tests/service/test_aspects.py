"""Settling a question's aspect by meaning, with the real model (deterministic vectors)."""

from __future__ import annotations

import pytest

from policyqa.index import Embedder
from policyqa.service.aspects import ASPECT_EXAMPLES, AspectClassifier
from policyqa.service.countries import CountryMatcher
from policyqa.service.question import parse_question

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def classifier(real_embedder: Embedder) -> AspectClassifier:
    classifier = AspectClassifier(real_embedder)
    classifier.warm()
    return classifier


def _resolved(classifier: AspectClassifier, embedder: Embedder, text: str) -> tuple[str, ...]:
    question = parse_question(text, CountryMatcher(["Morocco"]))
    return classifier.resolve(question, embedder.embed_query(text)).aspects


def test_one_aspect_from_wording_is_kept(
    classifier: AspectClassifier, real_embedder: Embedder
) -> None:
    assert _resolved(classifier, real_embedder, "What is the budget of the plan?") == ("budget",)


def test_meaning_decides_between_aspects_the_wording_suggests(
    classifier: AspectClassifier, real_embedder: Embedder
) -> None:
    # "Euro" reads as money, "Partnership" as cooperation
    aspects = _resolved(
        classifier, real_embedder, "Is Morocco part of the Euro-Mediterranean Partnership?"
    )
    assert aspects[0] == "cooperation"


def test_meaning_fills_in_when_no_pattern_matches(
    classifier: AspectClassifier, real_embedder: Embedder
) -> None:
    question = parse_question("How many years will the plan last?", CountryMatcher())
    assert question.aspects == ()  # no pattern matches this phrasing (nor is it an example)
    resolved = classifier.resolve(question, real_embedder.embed_query(question.text))
    assert resolved.aspect == "history" and resolved.aspect_from_meaning


def test_unrelated_questions_get_no_aspect(
    classifier: AspectClassifier, real_embedder: Embedder
) -> None:
    question = parse_question("How do I bake sourdough bread?", CountryMatcher())
    assert classifier.resolve(question, real_embedder.embed_query(question.text)).aspects == ()


def test_every_aspect_has_examples() -> None:
    assert all(len(examples) >= 4 for examples in ASPECT_EXAMPLES.values())
