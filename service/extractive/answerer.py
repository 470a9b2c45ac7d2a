"""``ExtractiveAnswerer``: the default answerer, quoting the retrieved passages.

It answers from the best passage's table row when that row states values, else from the
sentences that best match the question; below the calibrated relevance it says the documents do
not cover the question (see the package's docstring).
"""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.index import Hit
from policyqa.service.extractive.passages import RankedPassage, rank_passages
from policyqa.service.extractive.rows import row_statements
from policyqa.service.extractive.sentences import (
    sentence_keys,
    sentence_statements,
    without_repeats,
)
from policyqa.service.relevance import relevance, term_weights
from policyqa.service.statements import compose
from policyqa.service.types import Answer, Evidence
from policyqa.settings import AnswerSettings

NOT_COVERED = "The indexed documents do not cover this question."


class ExtractiveAnswerer:
    """Composes answers from the retrieved passages' own sentences and table values."""

    def __init__(self, settings: AnswerSettings) -> None:
        self.settings = settings

    def answer(self, evidence: Evidence) -> Answer:
        """A cited answer, or a plain "not covered" with no citations."""
        question = evidence.question
        if question.missing_countries and not question.covered_countries:
            return _not_covered(question.missing_countries, evidence.index_countries)
        if relevance(evidence, self.settings.coverage_weight) < self.settings.min_relevance:
            return Answer(NOT_COVERED, answerable=False)
        weights = term_weights(question.terms, evidence.lexical)
        passages = self._ranked(evidence)
        # a row's listing answers a question about the field, not one about a detail near it
        listing = passages and not evidence.detail_terms
        statements = row_statements(passages[0], weights) if listing else []
        used = {(statement.start, statement.end) for statement in statements}
        if statements:
            # The row answers the question. Add sentences only from passages whose own heading
            # or row label matches the question too (the narrative on the same topic), and only
            # when they match it closely.
            related = [p for p in passages[1:] if p.label_match > 0 and p.block_kind_ok]
            room = min(2, self.settings.max_statements - len(statements))
            row = passages[0].block
            seen = (
                sentence_keys(passages[0].hit.document.text, row.start, row.end) if row else set()
            )
            extra = sentence_statements(
                related,
                weights,
                used,
                room,
                min_overlap=0.5,
                seen=seen,
                cosines=evidence.sentence_cosines,
            )
        else:
            extra = sentence_statements(
                passages,
                weights,
                used,
                self.settings.max_statements,
                min_overlap=0.0,
                cosines=evidence.sentence_cosines,
            )
        statements = without_repeats([*statements, *extra])
        if not statements:
            return Answer(NOT_COVERED, answerable=False)
        return compose(statements)

    def rank_passages(self, evidence: Evidence) -> list[Hit]:
        """The retrieved passages in the order this answerer weighs them.

        The passages it reads (``settings.passages``) in its own re-ranked order, then any further
        retrieved passages in retrieval order. Used by the evaluation to score the ranking that
        the answers are built from; answering does not call it.
        """
        ranked = [passage.hit for passage in self._ranked(evidence)]
        seen = {hit.chunk.chunk_id for hit in ranked}
        return [*ranked, *(hit for hit in evidence.hits if hit.chunk.chunk_id not in seen)]

    def _ranked(self, evidence: Evidence) -> list[RankedPassage]:
        weights = term_weights(evidence.question.terms, evidence.lexical)
        return rank_passages(evidence.hits, weights, self.settings.passages, evidence.preferred)


def _not_covered(missing: Sequence[str], covered: Sequence[str]) -> Answer:
    """Which named countries the documents do not cover, and which they do."""
    named = ", ".join(missing)
    countries = ", ".join(covered) if covered else "none"
    return Answer(
        f"The indexed documents do not cover {named} (countries covered: {countries}).",
        answerable=False,
    )
