"""The wire models of ``/v1/profiles``: the factsheets as structured data (``routes.profiles``).

Every value comes with its span in the document's canonical text (``GET /v1/documents/{doc_id}``
returns that text: ``text[start:end] == value``) and its page (null for Markdown). The state of
play gives, per criterion, the option the document asserts, the evidence spans the decision
relied on and the rule that decided.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from policyqa.ingest import Document
from policyqa.ingest.factsheet import (
    FactsheetProfile,
    Narrative,
    ProfileField,
    StateOfPlay,
    SubField,
    TextSpan,
)


class SpanOut(BaseModel):
    """A value of the factsheet and where it is: ``text == document_text[start:end]``."""

    text: str
    start: int = Field(..., description="Offset of the first character in the document's text.")
    end: int = Field(..., description="Offset one past the last character.")
    page: int | None = Field(..., description="1-based page (null for unpaginated sources).")

    @classmethod
    def of(cls, span: TextSpan) -> SpanOut:
        """Copy a profile span."""
        return cls(text=span.text, start=span.start, end=span.end, page=span.page)


class SubFieldOut(BaseModel):
    """A sub-row of a Table 1 field ("Financial", "Starting year", ...)."""

    key: str = Field(..., description="e.g. 'financial', 'starting_year', 'overall'.")
    label: SpanOut
    categories: list[SpanOut] = Field(..., description="Standardised categories (bold).")
    values: list[SpanOut] = Field(..., description="Regular text: years, amounts, explanations.")

    @classmethod
    def of(cls, sub: SubField) -> SubFieldOut:
        """Copy a profile sub-row."""
        return cls(
            key=sub.key,
            label=SpanOut.of(sub.label),
            categories=[SpanOut.of(s) for s in sub.categories],
            values=[SpanOut.of(s) for s in sub.values],
        )


class FieldOut(BaseModel):
    """A Table 1 field with its standardised categories, explanation and sub-rows."""

    key: str = Field(..., description="objectives, focus, authorities, beneficiaries, ...")
    label: SpanOut
    start: int = Field(..., description="Start of the whole row in the document's text.")
    end: int
    section: str = Field(..., description="Section path of the row.")
    categories: list[SpanOut]
    explanation: list[SpanOut] = Field(
        ..., description="The descriptive text (also the 'Explanation' / 'Results' sub-rows)."
    )
    subfields: list[SubFieldOut]

    @classmethod
    def of(cls, item: ProfileField) -> FieldOut:
        """Copy a profile field."""
        return cls(
            key=item.key.value,
            label=SpanOut.of(item.label),
            start=item.start,
            end=item.end,
            section=" > ".join(item.section),
            categories=[SpanOut.of(s) for s in item.categories],
            explanation=[SpanOut.of(s) for s in item.explanation],
            subfields=[SubFieldOut.of(sub) for sub in item.subfields],
        )


class StateOfPlayOut(BaseModel):
    """The option of one state-of-play criterion the document asserts, and why."""

    criterion: str = Field(..., description="scope, continuity, performance, ...")
    level: int = Field(..., description="0-3: the option's position in Table 2's list.")
    option: str = Field(..., description="The template's wording of the option.")
    reason: str = Field(..., description="The rule that decided.")
    evidence: list[SpanOut] = Field(..., description="The spans the decision relied on.")

    @classmethod
    def of(cls, state: StateOfPlay) -> StateOfPlayOut:
        """Copy a state-of-play decision."""
        return cls(
            criterion=state.criterion.value,
            level=state.level,
            option=state.option,
            reason=state.reason,
            evidence=[SpanOut.of(s) for s in state.evidence],
        )


class NarrativeOut(BaseModel):
    """A narrative section of the factsheet."""

    key: str = Field(..., description="context, overview, scope, continuity, cooperation, ...")
    heading: str
    section: str
    paragraphs: list[SpanOut]

    @classmethod
    def of(cls, narrative: Narrative) -> NarrativeOut:
        """Copy a narrative."""
        return cls(
            key=narrative.key,
            heading=narrative.heading,
            section=" > ".join(narrative.section),
            paragraphs=[SpanOut.of(p) for p in narrative.paragraphs],
        )


class ProfileOut(BaseModel):
    """One factsheet read into the template."""

    doc_id: str
    title: str
    country: str | None
    year: int | None
    synthetic: bool = Field(
        ..., description="True for generated factsheets of fictional countries."
    )
    policy_type: SpanOut | None
    policy_name: SpanOut | None
    fields: list[FieldOut]
    state_of_play: list[StateOfPlayOut]
    narratives: list[NarrativeOut]

    @classmethod
    def of(cls, profile: FactsheetProfile, document: Document) -> ProfileOut:
        """Copy a profile with its document's title."""
        return cls(
            doc_id=profile.doc_id,
            title=document.title,
            country=profile.country,
            year=profile.year,
            synthetic=profile.synthetic,
            policy_type=SpanOut.of(profile.policy_type) if profile.policy_type else None,
            policy_name=SpanOut.of(profile.policy_name) if profile.policy_name else None,
            fields=[FieldOut.of(item) for item in profile.fields],
            state_of_play=[StateOfPlayOut.of(state) for state in profile.state_of_play],
            narratives=[NarrativeOut.of(narrative) for narrative in profile.narratives],
        )


class ProfileList(BaseModel):
    """The profiles of every indexed factsheet, by country."""

    profiles: list[ProfileOut]


class CountryProfiles(BaseModel):
    """The profiles of one country's factsheets, the preferred one (latest edition) first."""

    country: str
    profiles: list[ProfileOut]
