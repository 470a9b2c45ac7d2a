"""The checkable facts of a sentence: numbers, years, names and quoted phrases.

A generated sentence may rephrase its quotes, but not its facts: every number (digits or a number
word), year, name (a capitalised word, an acronym) and quoted phrase it states must occur in the
text it cites. ``missing_facts`` names the ones that do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_QUOTED = re.compile(r"[\"“”]([^\"“”]{2,200})[\"“”]")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_YEAR = re.compile(r"^(1[89]|20|21)\d\d$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Number words are facts as much as digits ("a four year period").
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand million billion twice double triple half".split()
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a sentence states that must be found verbatim in its citations."""

    numbers: tuple[str, ...]  # digits as written, and number words
    years: tuple[str, ...]  # the numbers that are years (also in ``numbers``)
    names: tuple[str, ...]  # capitalised words and acronyms, possessive dropped
    quoted: tuple[str, ...]  # phrases in quotation marks

    def all(self) -> tuple[str, ...]:
        """Every fact, numbers first."""
        return (*self.numbers, *self.names, *self.quoted)


def extract_facts(sentence: str) -> Facts:
    """The numbers, years, names and quoted phrases of ``sentence`` (markers [n] removed)."""
    text = re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", sentence)
    quoted = tuple(match.group(1).strip() for match in _QUOTED.finditer(text))
    numbers = [match.group(0) for match in _NUMBER.finditer(text)]
    years = tuple(number for number in numbers if _YEAR.match(number))
    names: list[str] = []
    words = list(_WORD.finditer(text))
    for position, match in enumerate(words):
        word = re.sub(r"['’]s$", "", match.group(0))
        lower = word.lower()
        if lower in NUMBER_WORDS:
            numbers.append(lower)
            continue
        if not word[:1].isupper():
            continue
        first = position == 0 or _starts_sentence(text, match.start())
        # a sentence's first word is capitalised anyway: a name only when it looks like one
        # (a possessive, an acronym, capitals inside)
        looks_like_name = (
            match.group(0).endswith(("'s", "’s"))
            or word.isupper()
            or any(c.isupper() for c in word[1:])
        )
        if not first or looks_like_name:
            names.append(word)
    return Facts(tuple(numbers), years, tuple(dict.fromkeys(names)), quoted)


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[:offset].rstrip()
    return not before or before.endswith((".", "!", "?", ":", ";", "\n", "(", "-", "–"))


def missing_facts(facts: Facts, cited_texts: Iterable[str]) -> list[str]:
    """The facts that occur in none of ``cited_texts`` (case-insensitive, as whole words)."""
    haystack = _normalise(" \n ".join(cited_texts))
    return [fact for fact in facts.all() if not _occurs(_normalise(fact), haystack)]


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text)


def _occurs(fact: str, haystack: str) -> bool:
    """``fact`` as a whole word (or number) in ``haystack``; a number word also as a prefix of a
    compound ("three-year")."""
    if not fact:
        return True
    pattern = r"(?<![\w.,])" + re.escape(fact) + r"(?![\w]|[.,]\d)"
    return re.search(pattern, haystack) is not None
