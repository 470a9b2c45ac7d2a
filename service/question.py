"""What a question asks about: its search terms and the countries it names."""

from __future__ import annotations

from dataclasses import dataclass

from policyqa.index.lexical import analyse
from policyqa.service.countries import CountryMatcher

# Words that shape a question without naming its subject ("Which instruments does it *use*?",
# "*Tell* me about..."): left out of the question's terms so they do not count as unmatched content.
_QUESTION_FILLER = frozenset(
    analyse(
        "use uses used using tell describe explain list give show say says said mention mentions "
        "mentioned provide provides provided please know find exist exists existing there here "
        "me us anything something thing things much many"
    )
)


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question."""

    text: str
    terms: tuple[str, ...]  # analysed BM25 terms (lower-cased, stemmed, no stop words)
    countries: tuple[str, ...]  # countries named, indexed or not, in order of mention
    indexed_countries: tuple[str, ...]  # the named countries that indexed documents cover
    missing_countries: tuple[str, ...]  # named countries no indexed document covers


def parse_question(text: str, matcher: CountryMatcher) -> Question:
    """Analyse ``text`` against the countries of the index."""
    countries = matcher.find(text)
    indexed = [country for country in countries if matcher.is_indexed(country)]
    missing = [country for country in countries if not matcher.is_indexed(country)]
    return Question(
        text=text,
        terms=tuple(term for term in analyse(text) if term not in _QUESTION_FILLER),
        countries=tuple(countries),
        indexed_countries=tuple(indexed),
        missing_countries=tuple(missing),
    )
