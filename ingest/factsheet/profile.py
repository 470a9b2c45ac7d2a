"""The profile types: a factsheet read into the template, every value a span of its text.

A ``FactsheetProfile`` holds Table 1's fields (``ProfileField``, with their ``SubField`` rows),
the narrative sections (``Narrative``) and the state-of-play decisions (``StateOfPlay``). Every
value is a ``TextSpan`` into ``Document.text`` with its page, so that an answer can cite it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policyqa.ingest.factsheet.template import UNAVAILABLE, Criterion, FieldKey, fold
from policyqa.ingest.sentences import sentence_spans


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A piece of the document's canonical text: a category, a value, a sentence."""

    text: str  # == Document.text[start:end]
    start: int  # offset of the first character in Document.text
    end: int  # offset one past the last character
    page: int | None  # page of the first character (None for unpaginated sources)

    @property
    def unavailable(self) -> bool:
        """True for the template's "Data unavailable" (and the like)."""
        return fold(self.text).strip(" .") in UNAVAILABLE

    def plain(self, spans: bool) -> Any:
        """The text, or [text, start, end] when ``spans``."""
        return [self.text, self.start, self.end] if spans else self.text


@dataclass(frozen=True, slots=True)
class SubField:
    """A sub-row of a Table 1 field, e.g. INSTRUMENTS' "Financial" or HISTORY's "Starting year"."""

    key: str  # "financial", "technical_assistance", "explanation", "period", "starting_year", ...
    label: TextSpan  # the sub-row label as printed, e.g. "Ending year (for policies with ...)"
    categories: tuple[TextSpan, ...]  # bold standardised categories ("Limited period")
    values: tuple[TextSpan, ...]  # regular text: "2021", "Data unavailable", an explanation

    @property
    def items(self) -> tuple[TextSpan, ...]:
        """Categories and values in document order."""
        return tuple(sorted((*self.categories, *self.values), key=lambda span: span.start))

    @property
    def unavailable(self) -> bool:
        """True when the sub-row records no value ("Data unavailable") or nothing at all."""
        return all(item.unavailable for item in self.items)


@dataclass(frozen=True, slots=True)
class ProfileField:
    """One field (row) of Table 1 with its categories, explanation and sub-rows."""

    key: FieldKey
    label: TextSpan  # the row label, e.g. "POLICY OBJECTIVES"
    start: int  # the whole row's span in Document.text
    end: int
    section: tuple[str, ...]  # section path of the row, e.g. (..., "Table 1", "INSTRUMENTS")
    categories: tuple[TextSpan, ...]  # bold categories directly under the label
    text: tuple[TextSpan, ...]  # regular text directly under the label (the explanation)
    subfields: tuple[SubField, ...] = ()

    def sub(self, key: str) -> SubField | None:
        """The sub-row filed under ``key`` ("financial", "starting_year", ...), if present."""
        return next((sub for sub in self.subfields if sub.key == key), None)

    @property
    def all_categories(self) -> tuple[TextSpan, ...]:
        """Every bold category of the row, sub-rows included, except "explanation" ones."""
        found = list(self.categories)
        for sub in self.subfields:
            if sub.key not in ("explanation", "results"):
                found.extend(sub.categories)
        return tuple(found)

    @property
    def explanation(self) -> tuple[TextSpan, ...]:
        """The descriptive text: direct text, or the "Explanation" / "Results" sub-rows."""
        found = list(self.text)
        for sub in self.subfields:
            if sub.key in ("explanation", "results"):
                found.extend(sub.values)
        return tuple(found)

    @property
    def unavailable(self) -> bool:
        """True when every value of the row is "Data unavailable" (or it states nothing)."""
        values = [*self.categories, *self.text]
        values += [item for sub in self.subfields for item in sub.items]
        return all(value.unavailable for value in values)

    def plain(self, spans: bool) -> dict[str, Any]:
        """The field as plain data (for comparisons and JSON)."""
        return {
            "label": self.label.plain(spans),
            "categories": [c.plain(spans) for c in self.categories],
            "text": [t.plain(spans) for t in self.text],
            "subfields": {
                sub.key: {
                    "label": sub.label.plain(spans),
                    "categories": [c.plain(spans) for c in sub.categories],
                    "values": [v.plain(spans) for v in sub.values],
                }
                for sub in self.subfields
            },
        }


@dataclass(frozen=True, slots=True)
class Narrative:
    """A narrative section: economic context, overview, a state-of-play criterion, cooperation."""

    key: str  # "context", "overview", "scope", "continuity", "performance", ... (NARRATIVE_KEYS)
    heading: str  # the heading as printed, e.g. "Cross-regional / international cooperation"
    section: tuple[str, ...]  # section path of the heading
    paragraphs: tuple[TextSpan, ...]

    def sentences(self, document_text: str) -> list[TextSpan]:
        """The narrative's sentences as spans (pages copied from their paragraph)."""
        return [
            sentence
            for paragraph in self.paragraphs
            for sentence in paragraph_sentences(document_text, paragraph)
        ]


@dataclass(frozen=True, slots=True)
class StateOfPlay:
    """The option of one state-of-play criterion that the document asserts, and why."""

    criterion: Criterion
    level: int  # 0..3: position of the option in Table 2's list
    option: str  # the template's wording, STATE_OF_PLAY_OPTIONS[criterion][level]
    evidence: tuple[TextSpan, ...]  # the spans the decision relied on, in document order
    reason: str  # one line: which rule decided

    def plain(self, spans: bool) -> dict[str, Any]:
        """The decision as plain data."""
        return {
            "option": self.option,
            "level": self.level,
            "evidence": [e.plain(spans) for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class FactsheetProfile:
    """A factsheet read into the template: policy, Table 1 fields, narratives, state of play."""

    doc_id: str
    country: str | None
    year: int | None  # edition year
    synthetic: bool  # a generated test factsheet about a fictional country
    policy_type: TextSpan | None  # Table 1 "Policy type", e.g. "Sectoral policy"
    policy_name: TextSpan | None  # Table 1 "Policy name"
    fields: tuple[ProfileField, ...]  # Table 1 rows in document order
    narratives: tuple[Narrative, ...]
    state_of_play: tuple[StateOfPlay, ...]  # one per criterion, in Criterion order
    table_section: tuple[str, ...] = ()  # section path of Table 1's rows (without the label)
    _fields: dict[FieldKey, ProfileField] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fields", {f.key: f for f in self.fields})

    def field(self, key: FieldKey | str) -> ProfileField | None:
        """The Table 1 field ``key``, if the factsheet has it."""
        return self._fields.get(FieldKey(key))

    def state(self, criterion: Criterion | str) -> StateOfPlay | None:
        """The state-of-play decision for ``criterion``."""
        wanted = Criterion(criterion)
        return next((s for s in self.state_of_play if s.criterion is wanted), None)

    def narrative(self, key: str) -> Narrative | None:
        """The narrative section filed under ``key``, if present."""
        return next((n for n in self.narratives if n.key == key), None)

    @property
    def dedicated(self) -> bool:
        """True when the country has a dedicated (national and/or regional) cluster policy."""
        scope = self.state(Criterion.SCOPE)
        return scope is not None and scope.level == 3

    def plain(self, spans: bool = True) -> dict[str, Any]:
        """The profile as plain data; ``spans=False`` keeps only texts and decisions.

        Pages are left out: the Markdown and the PDF of one factsheet have the same text and
        spans but only the PDF has pages.
        """
        return {
            "country": self.country,
            "year": self.year,
            "policy_type": self.policy_type.plain(spans) if self.policy_type else None,
            "policy_name": self.policy_name.plain(spans) if self.policy_name else None,
            "fields": {f.key.value: f.plain(spans) for f in self.fields},
            "narratives": {n.key: [p.plain(spans) for p in n.paragraphs] for n in self.narratives},
            "state_of_play": {s.criterion.value: s.plain(spans) for s in self.state_of_play},
        }


def paragraph_sentences(text: str, paragraph: TextSpan) -> list[TextSpan]:
    """The sentences of a paragraph (or any span) of ``text``, with the paragraph's page."""
    return [
        TextSpan(text[start:end], start, end, paragraph.page)
        for start, end in sentence_spans(text, paragraph.start, paragraph.end)
    ]
