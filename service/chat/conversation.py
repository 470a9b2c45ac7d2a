"""Follow-up questions read in the context of the conversation.

``contextual_question`` resolves "What about its instruments?" after a question on Morocco into a
question restricted to Morocco, and "What about Valdoria?" into the previous question asked about
Valdoria.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from policyqa.index import SearchFilters
from policyqa.index.lexical import analyse
from policyqa.service.chat.schemas import ChatMessage
from policyqa.service.countries import WORLD_ALIASES, CountryMatcher
from policyqa.service.question import parse_question

# Words of a follow-up that ask for "the same again" without naming a topic ("What about
# Valdoria?", "And the same for Valdoria?", "Tell me more"): a message of only these and country
# names takes its topic from the previous question.
_FOLLOW_UP_FILLER = frozenset(
    analyse(
        "same more else too again instead now then ok okay please thanks case tell me us there "
        "here one ones"
    )
)


class ResolvedQuestion(NamedTuple):
    """The question to answer and the filters the conversation implies."""

    text: str
    filters: SearchFilters


def contextual_question(
    messages: Sequence[ChatMessage], matcher: CountryMatcher
) -> ResolvedQuestion:
    """Resolve the latest user message against the earlier user turns of the conversation.

    - A message naming no country is about the country of the most recent earlier user message
      that names exactly one: "What about its instruments?" after a question on Morocco asks about
      Morocco's instruments (a country filter). A carried country that no document covers is
      named in the question instead, so that the answer says the documents do not cover it.
    - A message with no topic of its own ("What about Valdoria?", "And the same for Valdoria")
      asks the previous question again, about the country it names (or the carried one).

    Assistant and system turns are not read: answers name countries they do not cover.
    """
    turns = [message.text for message in messages if message.role == "user" and message.text]
    latest, earlier = turns[-1], turns[:-1]
    named = matcher.find(latest)
    question = latest
    if earlier and not _topic_terms(latest, matcher):
        topic = next((turn for turn in reversed(earlier) if _topic_terms(turn, matcher)), None)
        if topic is not None:
            question = _replace_countries(topic, matcher.find(topic), named[0]) if named else topic
    if matcher.find(question):  # the question names its subject: the engine reads it from there
        return ResolvedQuestion(question, SearchFilters())
    if named:
        subject = named[0]  # "What about Valdoria?" after a question that named no country
    else:
        carried = next((found for turn in reversed(earlier) if (found := matcher.find(turn))), [])
        if len(carried) != 1:  # none, or a comparison of several: no single subject to carry
            return ResolvedQuestion(question, SearchFilters())
        subject = carried[0]
    if not matcher.is_indexed(subject):
        return ResolvedQuestion(f"{question} ({subject})", SearchFilters())
    return ResolvedQuestion(question, SearchFilters(country=subject))


def _topic_terms(text: str, matcher: CountryMatcher) -> set[str]:
    """The terms of ``text`` that say what it asks, beyond countries and follow-up filler."""
    parsed = parse_question(text, matcher)
    country_terms = {term for country in parsed.countries for term in analyse(country)}
    for alias, canonical in WORLD_ALIASES.items():
        if canonical in parsed.countries:
            country_terms.update(analyse(alias))
    return set(parsed.terms) - country_terms - _FOLLOW_UP_FILLER


def _replace_countries(text: str, countries: Sequence[str], new_country: str) -> str:
    """``text`` with every mention of ``countries`` (names and adjectives) replaced."""
    if not countries:
        return text
    aliases = {country.lower() for country in countries} | {
        alias for alias, canonical in WORLD_ALIASES.items() if canonical in countries
    }
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(alias) for alias in sorted(aliases, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        # short aliases ("US", "UK") are also words ("us"): only their upper-case form is a country
        return new_country if len(word) > 3 or word.isupper() else word

    return pattern.sub(replace, text)
