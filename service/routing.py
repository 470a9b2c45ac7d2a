"""One router: which kind of answer a question gets, and why (``service.types.Route``).

Three kinds of candidate answer exist: a factsheet field as a whole (the profile), a comparison
across countries, and the retrieved passages' best sentences. The profile is the answer when the
question asks for a field as a whole ("What are Morocco's objectives?"), not when it asks for one
detail inside or near it ("How many hectares of industrial land are available?"). The test is on
the question's terms, not its exact wording: once the words that name the field (what made the
aspect recognised, the field's label, the template's own nouns), the countries and the policy's
name are set aside, what is left is what the question asks about beyond the field. When those
left-over terms carry a fair share of the question's IDF weight, sentences answer it; a
paraphrase with the same content words takes the same route.

The same terms decide an honest abstention: a name or number the question asks about that no
passage of the index contains cannot be answered from the documents, and the answer says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policyqa.index.lexical import analyse
from policyqa.index.passage_store import TermWeights
from policyqa.ingest.factsheet import FIELD_LABELS, SUBFIELD_LABELS
from policyqa.service.countries import CountryMatcher
from policyqa.service.question import _QUESTION_FILLER, ASPECT_PATTERNS, SUBFIELD_PATTERNS
from policyqa.service.relevance import term_weights
from policyqa.service.types import Question

#: Nouns of the template itself: naming them does not single out a detail.
_TEMPLATE_NOUNS = frozenset(
    analyse(
        "policy policies cluster clusters country countries factsheet plan plans programme "
        "programmes strategy national current main key kind kinds type types what which about"
    )
)
#: The share of the question's IDF weight its left-over terms must carry to ask for a detail.
DETAIL_SHARE = 0.3

_LABEL_TERMS = frozenset(
    term for label in [*FIELD_LABELS.values(), *SUBFIELD_LABELS.values()] for term in analyse(label)
)
#: A word that names something: a capitalised word inside the sentence, or one with a digit.
_NAME = re.compile(r"(?<=[\w,;:'’)] )[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*|\b\w*\d[\w.,-]*\w|\b\d\b")


def detail_terms(
    question: Question,
    countries: CountryMatcher,
    lexical: TermWeights,
    policy_names: Iterable[str] = (),
) -> tuple[str, ...]:
    """The terms the question asks about beyond its field; empty when it asks for the field.

    A question that names no field asks for whatever its terms are about.

    Set aside: the words that matched an aspect or sub-row pattern, the field labels, the
    template's nouns, the countries named and their policies' names (``policy_names``).
    """
    text = countries.remove(question.text, question.countries) or question.text
    for _, pattern in ASPECT_PATTERNS:
        text = pattern.sub(" ", text)
    for patterns in SUBFIELD_PATTERNS.values():
        for _, pattern in patterns:
            text = pattern.sub(" ", text)
    explained = set(_LABEL_TERMS | _TEMPLATE_NOUNS | _QUESTION_FILLER)
    explained.update(analyse((question.aspect or "").replace("_", " ")))
    for name in policy_names:
        explained.update(analyse(name))
    left = tuple(dict.fromkeys(term for term in analyse(text) if term not in explained))
    weights = term_weights(question.terms, lexical)
    total = sum(weights.values())
    share = sum(weights.get(term, 0.0) for term in left) / total if total > 0 else 0.0
    return left if share >= DETAIL_SHARE else ()


def unknown_names(question: Question, countries: CountryMatcher, lexical: TermWeights) -> list[str]:
    """Names and numbers of the question that no passage of the index contains, as written."""
    text = countries.remove(question.text, question.countries) or question.text
    missing: list[str] = []
    for match in _NAME.finditer(text):
        word = match.group(0).strip(".,;:'’")
        terms = analyse(word)
        # a name is missing when none of its words is known ("North African" is known by its
        # second word); a word is known in its singular or plural form too ("SME", "SMEs")
        if terms and not any(_known(term, lexical) for term in terms) and word not in missing:
            missing.append(word)
    return missing


def _known(term: str, lexical: TermWeights) -> bool:
    forms = {term, term + "s", term + "es", term.removesuffix("s")}
    return any(lexical.knows(form) for form in forms if form)


def not_mentioned(names: list[str]) -> str:
    """The sentence of a declined answer that names what the documents do not mention."""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"The documents do not mention {listed}."
