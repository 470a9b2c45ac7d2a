"""``FactsheetAnswerer``: answers template questions from profiles, None for everything else.

It decides whether a profile answers (the aspect is part of the template, the factsheet is
known or found), which factsheet, and which statements; questions over several countries go to
``factsheet_answers.comparisons``.
"""

from __future__ import annotations

from policyqa.index import SearchFilters
from policyqa.ingest import Document
from policyqa.ingest.factsheet import FactsheetProfile
from policyqa.service.factsheet_answers.comparisons import compare
from policyqa.service.factsheet_answers.fields import field_statements, policy_statements
from policyqa.service.factsheet_answers.library import ProfileLibrary
from policyqa.service.factsheet_answers.quotes import say, who, with_lead
from policyqa.service.factsheet_answers.state_of_play import (
    continuity_statements,
    criterion_statements,
    scope_statements,
)
from policyqa.service.factsheet_answers.template import (
    CRITERION_ASPECTS,
    FIELD_ASPECTS,
    PROFILE_ASPECTS,
)
from policyqa.service.relevance import relevance
from policyqa.service.statements import Statement, compose
from policyqa.service.types import Answer, Evidence, Question
from policyqa.settings import AnswerSettings


class FactsheetAnswerer:
    """Answers template questions from profiles; returns None for everything else."""

    def __init__(self, library: ProfileLibrary, settings: AnswerSettings) -> None:
        self.library = library
        self.settings = settings

    def answers_directly(self, question: Question, filters: SearchFilters | None = None) -> bool:
        """True when a profile answers the question whatever retrieval finds: its aspect is
        part of the template and its country (or countries) are known, or it compares
        countries on a template aspect."""
        filters = filters or SearchFilters()
        if not self.library or filters.section is not None or question.missing_countries:
            return False
        if question.aspect not in PROFILE_ASPECTS:
            return False
        if question.comparison and filters.country is None and filters.doc_id is None:
            return True
        if filters.doc_id is not None:
            return filters.doc_id in self.library.by_doc
        country = filters.country or (
            question.covered_countries[0] if question.covered_countries else None
        )
        return country is not None and self.library.for_country(country) is not None

    def answer(self, evidence: Evidence, filters: SearchFilters | None = None) -> Answer | None:
        """A profile answer, or None when the question is not one the profiles answer."""
        question = evidence.question
        filters = filters or SearchFilters()
        if not self.library or filters.section is not None:
            return None
        if question.missing_countries and not question.covered_countries:
            return None  # the extractive answerer says which countries are covered
        aspect = question.aspect if question.aspect in PROFILE_ASPECTS else None
        if question.comparison and filters.country is None and filters.doc_id is None:
            return compare(self.library, question, aspect, evidence.hits)
        if aspect is None:
            return None
        profile = self._target(question, filters, evidence)
        if profile is None:
            return None
        document = self.library.documents[profile.doc_id]
        statements = _statements(profile, document, question, aspect)
        return compose(statements, evidence.hits) if statements else None

    def _target(
        self, question: Question, filters: SearchFilters, evidence: Evidence
    ) -> FactsheetProfile | None:
        """The factsheet the question is about, if one is."""
        if filters.doc_id is not None:
            return self.library.by_doc.get(filters.doc_id)
        country = filters.country or (
            question.covered_countries[0] if question.covered_countries else None
        )
        if country is not None:
            return self.library.for_country(country)
        # No country named: the factsheet the best passage comes from (when that passage is not
        # from a factsheet, a report or a note, no profile answers). A question whose wording
        # names a template field ("How long is the programme in force?") is about the template;
        # otherwise it must pass the calibrated gate of the extractive answerer.
        if not evidence.hits:
            return None
        worded = bool(question.aspects) and not question.aspect_from_meaning
        gate = relevance(evidence, self.settings.coverage_weight) >= self.settings.min_relevance
        if not (worded or gate):
            return None
        return self.library.by_doc.get(evidence.hits[0].document.doc_id)


def _statements(
    profile: FactsheetProfile, document: Document, question: Question, aspect: str
) -> list[Statement]:
    """What one country's factsheet says on ``aspect``."""
    if aspect in FIELD_ASPECTS:
        item = profile.field(FIELD_ASPECTS[aspect])
        if item is None:
            return []
        return field_statements(document, item, f"{who(profile)} — ", question.subfields)
    if aspect == "scope":
        return scope_statements(profile, document, question)
    if aspect == "continuity":
        return continuity_statements(profile, document)
    if aspect in CRITERION_ASPECTS:
        return criterion_statements(profile, document, CRITERION_ASPECTS[aspect])
    if aspect == "cooperation":
        narrative = profile.narrative("cooperation")
        if narrative is None:
            return []
        statements = [say(document, p, p.text) for p in narrative.paragraphs]
        return with_lead(statements, f"{profile.country}, {narrative.heading.lower()}: ")
    if aspect == "policy":
        return policy_statements(profile, document)
    return []
