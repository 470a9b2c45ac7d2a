"""Factsheet profiles: the ECCP template's fields as structured data, every value with its span.

All 56 ECCP country factsheets share one template. ``parse_profile`` reads a factsheet Document
into a ``FactsheetProfile``:

- Table 1, one row per field (POLICY OBJECTIVES ... POLICY ALIGNMENT WITH THE EU PRIORITIES): its
  standardised categories (the bold lines), its explanation and its sub-rows (INSTRUMENTS'
  "Financial", HISTORY's "Starting year", ...), each value a ``TextSpan`` into ``Document.text``
  with its page. ``render`` already merged the table's page-split rows and dropped the "Policy
  type / Policy name" rows repeated on every page, and the Markdown and the PDF of one factsheet
  render block for block alike, so one parser gives both the same profile.
- The narrative sections (economic context, the policy overview, the state-of-play subsections,
  cooperation), as paragraphs with spans.
- The state of play, one option per criterion (policy scope, continuity, evidence of performance,
  cluster support instruments), classified from what the document asserts: Table 1 (policy type,
  HISTORY, POLICY EVALUATION, INSTRUMENTS) and the narrative under Table 2, by explicit cue
  phrases, each decision keeping the evidence spans it relied on and a one-line reason. Table 2
  itself is never read: the converted Markdown lost its highlighting and lists all four options,
  and the Annex (Table 3) only defines them.

Works on ``Document.blocks`` alone (no I/O, no model): cheap enough to run at every index load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from policyqa.ingest.sentences import sentence_spans
from policyqa.ingest.types import Block, BlockKind, Document, DocumentKind, PartRole


class FieldKey(StrEnum):
    """The fields of Table 1 ("Overview of cluster policy in ...")."""

    OBJECTIVES = "objectives"
    FOCUS = "focus"
    AUTHORITIES = "authorities"
    BENEFICIARIES = "beneficiaries"
    INSTRUMENTS = "instruments"
    HISTORY = "history"
    BUDGET = "budget"
    EVALUATION = "evaluation"
    ALIGNMENT = "alignment"


#: The row label the template prints for each field.
FIELD_LABELS: dict[FieldKey, str] = {
    FieldKey.OBJECTIVES: "POLICY OBJECTIVES",
    FieldKey.FOCUS: "POLICY FOCUS",
    FieldKey.AUTHORITIES: "RESPONSIBLE AUTHORITIES",
    FieldKey.BENEFICIARIES: "BENEFICIARIES",
    FieldKey.INSTRUMENTS: "INSTRUMENTS",
    FieldKey.HISTORY: "HISTORY",
    FieldKey.BUDGET: "BUDGET",
    FieldKey.EVALUATION: "POLICY EVALUATION",
    FieldKey.ALIGNMENT: "POLICY ALIGNMENT WITH THE EU PRIORITIES",
}

#: Sub-rows of the template, by the key the profile files them under.
SUBFIELD_LABELS: dict[str, str] = {
    "financial": "Financial",
    "technical_assistance": "Technical assistance",
    "explanation": "Explanation",
    "period": "Period",
    "ending_year": "Ending year",
    "starting_year": "Starting year",
    "overall": "Overall",
    "annual": "Annual",
    "source": "Source of funding",
    "availability": "Availability",
    "results": "Results",
}


class Criterion(StrEnum):
    """The four criteria of the state of play (Table 2 and the narrative under it)."""

    SCOPE = "scope"
    CONTINUITY = "continuity"
    PERFORMANCE = "performance"
    SUPPORT = "support_instruments"


#: Table 2's heading for each criterion.
CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.SCOPE: "POLICY SCOPE",
    Criterion.CONTINUITY: "CONTINUITY",
    Criterion.PERFORMANCE: "EVIDENCE OF PERFORMANCE",
    Criterion.SUPPORT: "CLUSTER SUPPORT INSTRUMENTS",
}

#: The template's four graded options per criterion, in Table 2's order (level 0 to 3).
STATE_OF_PLAY_OPTIONS: dict[Criterion, tuple[str, str, str, str]] = {
    Criterion.SCOPE: (
        "Absence of cluster policy",
        "Broad policy",
        "Sectoral policy",
        "National and/or regional cluster policy",
    ),
    Criterion.CONTINUITY: (
        "No cluster-specific policy available",
        "Cluster policy established recently",
        "Cluster policy established between over 2 and 10 years",
        "Cluster policy established over 10 years ago",
    ),
    Criterion.PERFORMANCE: (
        "No evaluation and / or monitoring available",
        "Existence of evaluations of past policies",
        "Existence of monitoring or an ongoing / interim evaluation",
        "Existence of monitoring and ex-ante or ongoing / interim evaluation",
    ),
    Criterion.SUPPORT: (
        "No instruments for cluster development",
        "Financial support for cluster development in the broader and / or sectoral policy",
        "Financial or technical support for cluster development in dedicated cluster policy",
        "Financial and technical support for cluster development in dedicated cluster policy",
    ),
}

#: Values the template uses where it records nothing.
UNAVAILABLE = frozenset({"data unavailable", "not available", "n/a", "none", "-", "no data"})


# --- the profile -------------------------------------------------------------------------------


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
        return _fold(self.text).strip(" .") in UNAVAILABLE

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
            for sentence in _sentences(document_text, paragraph)
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


# --- parsing -----------------------------------------------------------------------------------


_LABEL_KEYS: dict[str, FieldKey] = {
    "policy objectives": FieldKey.OBJECTIVES,
    "objectives": FieldKey.OBJECTIVES,
    "policy focus": FieldKey.FOCUS,
    "focus": FieldKey.FOCUS,
    "responsible authorities": FieldKey.AUTHORITIES,
    "responsible authority": FieldKey.AUTHORITIES,
    "beneficiaries": FieldKey.BENEFICIARIES,
    "instruments": FieldKey.INSTRUMENTS,
    "history": FieldKey.HISTORY,
    "budget": FieldKey.BUDGET,
    "policy evaluation": FieldKey.EVALUATION,
    "evaluation": FieldKey.EVALUATION,
    "policy alignment with the eu priorities": FieldKey.ALIGNMENT,
    "policy alignment with eu priorities": FieldKey.ALIGNMENT,
    "alignment with the eu priorities": FieldKey.ALIGNMENT,
}
_SUBFIELD_KEYS: dict[str, str] = {
    "financial": "financial",
    "financial support": "financial",
    "technical assistance": "technical_assistance",
    "technical": "technical_assistance",
    "explanation": "explanation",
    "period": "period",
    "ending year": "ending_year",
    "end year": "ending_year",
    "starting year": "starting_year",
    "start year": "starting_year",
    "overall": "overall",
    "annual": "annual",
    "source of funding": "source",
    "source": "source",
    "availability": "availability",
    "results": "results",
}

#: Narrative sections by heading words: (key, pattern on the folded heading).
NARRATIVE_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scope", re.compile(r"\bpolicy scope\b|^scope\b")),
    ("continuity", re.compile(r"\bcontinuity\b")),
    ("performance", re.compile(r"\bevidence of performance\b|\bperformance\b")),
    ("support_instruments", re.compile(r"\bsupport instruments?\b")),
    ("cooperation", re.compile(r"\bcooperation\b|\bcollaboration\b")),
    ("ecosystems", re.compile(r"\becosystems?\b")),
    ("context", re.compile(r"\bintroduction\b|\beconomic (policy )?context\b")),
    ("overview", re.compile(r"\bnational cluster polic|\bprogrammes and initiatives\b")),
)
_NARRATIVE_BLOCKS = {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM}


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def _label_key(label: str) -> str:
    return re.sub(r"[^a-z/ ]+", " ", _fold(label).rstrip(":")).strip()


def _span(document: Document, start: int, end: int) -> TextSpan:
    return TextSpan(document.text[start:end], start, end, document.page_at(start))


def _sentences(text: str, paragraph: TextSpan) -> list[TextSpan]:
    return [
        TextSpan(text[start:end], start, end, paragraph.page)
        for start, end in sentence_spans(text, paragraph.start, paragraph.end)
    ]


def _table_one_rows(document: Document) -> list[Block]:
    """The rows of Table 1: the table whose row labels are the template's field labels."""
    by_table: dict[str | None, list[Block]] = {}
    for block in document.blocks:
        if block.kind is BlockKind.TABLE_ROW:
            by_table.setdefault(block.table, []).append(block)
    best: list[Block] = []
    best_score = 0
    for rows in by_table.values():
        score = sum(1 for row in rows if row.label and _label_key(row.label) in _LABEL_KEYS)
        if score > best_score:
            best, best_score = rows, score
    return best if best_score >= 2 else []


def _row_value(document: Document, row: Block) -> TextSpan | None:
    """The value of a "Policy type: ..." row: its parts after the label, as one span."""
    values = [part for part in row.parts if part.role is not PartRole.LABEL]
    if not values:
        return None
    return _span(document, values[0].start, values[-1].end)


def _subfield_key(label: str) -> str:
    key = re.sub(r"\(.*?\)", " ", _fold(label)).strip(" :")
    key = " ".join(key.split())
    return _SUBFIELD_KEYS.get(key) or re.sub(r"\W+", "_", key).strip("_") or "value"


def _profile_field(document: Document, key: FieldKey, row: Block) -> ProfileField:
    label: TextSpan | None = None
    categories: list[TextSpan] = []
    text: list[TextSpan] = []
    subfields: list[SubField] = []
    current: tuple[TextSpan, list[TextSpan], list[TextSpan]] | None = None

    def close() -> None:
        if current is not None:
            sub_label, sub_categories, sub_values = current
            subfields.append(
                SubField(
                    _subfield_key(sub_label.text),
                    sub_label,
                    tuple(sub_categories),
                    tuple(sub_values),
                )
            )

    for part in row.parts:
        span = _span(document, part.start, part.end)
        if part.role is PartRole.LABEL:
            label = span
        elif part.role is PartRole.SUBLABEL:
            close()
            current = (span, [], [])
        elif current is not None:
            (current[1] if part.role is PartRole.CATEGORY else current[2]).append(span)
        else:
            (categories if part.role is PartRole.CATEGORY else text).append(span)
    close()
    return ProfileField(
        key=key,
        label=label or _span(document, row.start, row.start),
        start=row.start,
        end=row.end,
        section=row.section,
        categories=tuple(categories),
        text=tuple(text),
        subfields=tuple(subfields),
    )


def _narratives(document: Document) -> list[Narrative]:
    """Paragraphs under each known heading; a section's own paragraphs, not its subsections'."""
    found: dict[str, tuple[str, tuple[str, ...], list[TextSpan]]] = {}
    headings = {
        block.section: document.text[block.start : block.end]
        for block in document.blocks
        if block.kind is BlockKind.HEADING
    }
    for block in document.blocks:
        if block.kind not in _NARRATIVE_BLOCKS or not block.section:
            continue
        heading = headings.get(block.section, block.section[-1])
        key = _narrative_key(block.section)
        if key is None:
            continue
        if key not in found:
            found[key] = (heading, block.section, [])
        elif found[key][1] != block.section:
            continue  # a second section with the same key (a repeated heading): keep the first
        found[key][2].append(_span(document, block.start, block.end))
    return [
        Narrative(key, heading, section, tuple(paragraphs))
        for key, (heading, section, paragraphs) in found.items()
    ]


def _narrative_key(section: tuple[str, ...]) -> str | None:
    title = _fold(section[-1])
    title = re.sub(r"^\d+(\.\d+)*\.?\s+", "", title)
    for key, pattern in NARRATIVE_KEYS:
        if pattern.search(title):
            # the numbered "3. State of cluster policy" section itself is no criterion
            return key
    return None


def parse_profile(document: Document) -> FactsheetProfile | None:
    """The factsheet's profile, or None when the document is no factsheet with a Table 1."""
    if document.kind is not DocumentKind.FACTSHEET:
        return None
    rows = _table_one_rows(document)
    if not rows:
        return None
    policy_type: TextSpan | None = None
    policy_name: TextSpan | None = None
    fields: list[ProfileField] = []
    seen: set[FieldKey] = set()
    for row in rows:
        key_text = _label_key(row.label or "")
        if key_text == "policy type" and policy_type is None:
            policy_type = _row_value(document, row)
        elif key_text == "policy name" and policy_name is None:
            policy_name = _row_value(document, row)
        elif key_text in _LABEL_KEYS and _LABEL_KEYS[key_text] not in seen:
            # a factsheet describing a second policy repeats the labels: the first one is kept
            key = _LABEL_KEYS[key_text]
            seen.add(key)
            fields.append(_profile_field(document, key, row))
    narratives = _narratives(document)
    table_section = rows[0].section[:-1] if rows[0].label else rows[0].section
    partial = FactsheetProfile(
        doc_id=document.doc_id,
        country=document.country,
        year=document.year,
        synthetic=document.synthetic,
        policy_type=policy_type,
        policy_name=policy_name,
        fields=tuple(fields),
        narratives=tuple(narratives),
        state_of_play=(),
        table_section=table_section,
    )
    states = classify_state_of_play(partial, document.text)
    return FactsheetProfile(
        doc_id=partial.doc_id,
        country=partial.country,
        year=partial.year,
        synthetic=partial.synthetic,
        policy_type=policy_type,
        policy_name=policy_name,
        fields=partial.fields,
        narratives=partial.narratives,
        state_of_play=tuple(states),
        table_section=table_section,
    )


# --- the state of play ---------------------------------------------------------------------------
#
# Each criterion is decided by explicit rules over the document's own statements, in this order:
# an option named word for word in the criterion's narrative; cue phrases in the narrative; the
# Table 1 values the template defines for it. Every rule records the spans it used.

_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}

# "no dedicated cluster policy", "no cluster specific initiative or strategy", "does not have a
# cluster policy", "non-existence of a national cluster policy", "absence of a cluster policy"
_NO_CLUSTER_POLICY = re.compile(
    r"\b(?:no|not|non-existence of|absence of|lacks?|without|neither)\b[^.;]{0,30}?"
    r"\b(?:cluster[- ]specific|dedicated|targeted|national cluster|cluster)\b[^.;]{0,30}?"
    r"\b(?:polic(?:y|ies)|initiatives?|strateg(?:y|ies)|programmes?)\b"
)
_DEDICATED = re.compile(
    r"\b(?:dedicated|targeted|specific|national|regional)\s+cluster\s+"
    r"(?:polic(?:y|ies)|programmes?|strateg(?:y|ies))\b"
)
_SECTORAL = re.compile(r"\bsectoral\b|\bsector[- ]specific\b|\bindustrial polic")
_BROAD = re.compile(r"\bbroad(?:er)?\b|\bhorizontal\b|\bgeneral innovation polic")

_OVER_TEN = re.compile(
    r"\b(?:more than|over|for over|well over)\s+(?:ten|10|a decade|fifteen|twenty|1\d|2\d)\b"
    r"|\blong[- ](?:standing|tradition|history|established)\b|\blongstanding\b"
    r"|\bdecades?\b|\bover 10 years\b"
)
_RECENT = re.compile(
    r"\brecent(?:ly)?\b|\bnewly\b|\bwithin the (?:last|past) (?:two|2) years\b"
    r"|\b(?:only|just) (?:been )?(?:launched|introduced|adopted|started)\b|\bnew cluster polic"
)
_BETWEEN = re.compile(
    r"\bbetween (?:over )?(?:2|two) and (?:10|ten) years\b"
    r"|\bfor (?:several|a few|some|three|four|five|six|seven|eight|nine|[3-9]) years\b"
    r"|\b(?:less|fewer) than (?:ten|10|a decade) years\b|\bless than a decade\b"
)
_SINCE_YEAR = re.compile(
    r"\b(?:since|from|dates back to|date back to|goes back to|go back to|began in|started in|"
    r"launched in|introduced in|established in|adopted in|set up in|created in|first\b[^.;]{0,60}"
    r"\bin)\s+((?:19|20)\d\d)\b"
)
_ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_NEGATED_EVALUATION = re.compile(
    r"\b(?:no|not|none|neither|nor|without|lack(?:s|ing)?|absence of|never)\b[^.;]{0,60}?\bevaluat"
    r"|\bevaluat\w*\b[^.;]{0,30}\b(?:not|never)\b[^.;]{0,20}\b(?:available|carried out|done|"
    r"conducted|performed|published)"
)
_NEGATED_MONITORING = re.compile(
    r"\b(?:no|not|none|neither|nor|without|lack(?:s|ing)?|absence of|never)\b[^.;]{0,60}?\bmonitor"
)
_MONITORING = re.compile(r"\bmonitor(?:s|ed|ing)?\b|\bmonitoring system\b")
_EX_ANTE = re.compile(r"\bex[- ]ante\b")
_INTERIM = re.compile(
    r"\binterim\b|\bmid[- ]term\b|\bongoing evaluation\b|\bon-going evaluation\b|\bin[- ]itinere\b"
    r"|\bintermediate evaluation\b"
)
_PAST_EVALUATION = re.compile(
    r"\bex[- ]post\b|\bevaluations? of (?:the )?(?:past|previous|former|earlier)\b"
    r"|\b(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?evaluated\b|\bfinal evaluation\b"
)
_NO_INSTRUMENTS = re.compile(
    r"\bno\b[^.;]{0,30}\b(?:support )?instruments?\b|\bno (?:financial|technical) support\b"
)
_FINANCIAL = re.compile(
    r"\bfinanc\w*|\bfund(?:s|ing|ed)?\b|\bgrants?\b|\bvouchers?\b|\bsubsid\w*|\bco-financ\w*"
)
_TECHNICAL = re.compile(
    r"\btechnical (?:support|assistance)\b|\bcoaching\b|\btraining\b|\badvisory\b|\badvice\b"
    r"|\bmentoring\b|\bcapacity building\b|\bnetworking support\b"
)


def _option_named(
    criterion: Criterion, sentences: Sequence[TextSpan]
) -> tuple[int, TextSpan] | None:
    """An option of the criterion named word for word in one of the sentences."""
    options = STATE_OF_PLAY_OPTIONS[criterion]
    for sentence in sentences:
        folded = _squash(sentence.text)
        for level in range(3, -1, -1):
            if _squash(options[level]) in folded:
                return level, sentence
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s*/\s*", "/", _fold(text))


def _narrative_sentences(profile: FactsheetProfile, text: str, *keys: str) -> list[TextSpan]:
    sentences: list[TextSpan] = []
    for key in keys:
        narrative = profile.narrative(key)
        if narrative is not None:
            sentences.extend(narrative.sentences(text))
    return sentences


def _ordered(spans: Iterable[TextSpan]) -> tuple[TextSpan, ...]:
    unique = {(span.start, span.end): span for span in spans}
    return tuple(unique[key] for key in sorted(unique))


def _state(
    criterion: Criterion, level: int, evidence: Iterable[TextSpan], reason: str
) -> StateOfPlay:
    return StateOfPlay(
        criterion, level, STATE_OF_PLAY_OPTIONS[criterion][level], _ordered(evidence), reason
    )


def classify_state_of_play(profile: FactsheetProfile, text: str) -> list[StateOfPlay]:
    """The four state-of-play decisions for a profile whose fields and narratives are read."""
    scope = _classify_scope(profile, text)
    return [
        scope,
        _classify_continuity(profile, text, scope),
        _classify_performance(profile, text),
        _classify_support(profile, text, scope),
    ]


def _classify_scope(profile: FactsheetProfile, text: str) -> StateOfPlay:
    criterion = Criterion.SCOPE
    sentences = _narrative_sentences(profile, text, "scope", "overview")
    negations = [s for s in sentences if _NO_CLUSTER_POLICY.search(_fold(s.text))]
    named = _option_named(criterion, _narrative_sentences(profile, text, "scope"))
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the policy-scope narrative names the option")
    policy_type = profile.policy_type
    if policy_type is not None and not policy_type.unavailable:
        folded = _fold(policy_type.text)
        if "cluster" in folded and not _NO_CLUSTER_POLICY.search(folded):
            dedicated = [s for s in sentences if _DEDICATED.search(_fold(s.text))]
            positive = [s for s in dedicated if s not in negations][:1]
            return _state(criterion, 3, [policy_type, *positive], "Table 1 policy type")
        if _SECTORAL.search(folded):
            return _state(criterion, 2, [policy_type, *negations[:1]], "Table 1 policy type")
        if _BROAD.search(folded):
            return _state(criterion, 1, [policy_type, *negations[:1]], "Table 1 policy type")
    # no usable policy type: what the narrative says
    for sentence in negations:
        folded = _fold(sentence.text)
        if _SECTORAL.search(folded):
            return _state(criterion, 2, [sentence], "narrative: no cluster policy, a sectoral one")
        if _BROAD.search(folded):
            return _state(criterion, 1, [sentence], "narrative: no cluster policy, a broader one")
    dedicated = [s for s in sentences if _DEDICATED.search(_fold(s.text)) and s not in negations]
    if dedicated and not negations:
        return _state(criterion, 3, dedicated[:1], "narrative: a dedicated cluster policy")
    if profile.fields:
        return _state(criterion, 1, negations[:1], "a policy is described, but no cluster policy")
    return _state(criterion, 0, negations[:1], "no policy described")


def _continuity_level(age: int) -> int:
    """The template's bands: recent (up to 2 years), over 2 and up to 10, over 10 years."""
    if age <= 2:
        return 1
    return 2 if age <= 10 else 3


def _classify_continuity(profile: FactsheetProfile, text: str, scope: StateOfPlay) -> StateOfPlay:
    criterion = Criterion.CONTINUITY
    sentences = _narrative_sentences(profile, text, "continuity")
    if scope.level < 3:
        # the criterion assesses targeted cluster policies only (the Annex's definition)
        negations = [s for s in sentences if _NO_CLUSTER_POLICY.search(_fold(s.text))]
        evidence = negations[:1] or list(scope.evidence)
        return _state(criterion, 0, evidence, "no dedicated cluster policy (policy scope)")
    named = _option_named(criterion, sentences)
    if named is not None and named[0] > 0:
        level, sentence = named
        return _state(criterion, level, [sentence], "the continuity narrative names the option")
    for pattern, level, reason in (
        (_OVER_TEN, 3, "narrative: over ten years"),
        (_BETWEEN, 2, "narrative: between two and ten years"),
    ):
        for sentence in sentences:
            if pattern.search(_fold(sentence.text)):
                return _state(criterion, level, [sentence], reason)
    # the earliest year the narrative says cluster policy started ("since 2009", "dates back to")
    starts: list[tuple[int, TextSpan]] = []
    for sentence in sentences:
        for match in _SINCE_YEAR.finditer(_fold(sentence.text)):
            starts.append((int(match.group(1)), sentence))
    if starts and profile.year is not None:
        year, sentence = min(starts, key=lambda item: item[0])
        age = profile.year - year
        return _state(criterion, _continuity_level(age), [sentence], f"narrative: since {year}")
    for sentence in sentences:
        if _RECENT.search(_fold(sentence.text)):
            return _state(criterion, 1, [sentence], "narrative: recently")
    history = profile.field(FieldKey.HISTORY)
    start_row = history.sub("starting_year") if history else None
    if start_row is not None and profile.year is not None:
        for item in start_row.items:
            found = _ANY_YEAR.search(item.text)
            if found:
                age = profile.year - int(found.group(0))
                return _state(
                    criterion, _continuity_level(age), [item], "Table 1 HISTORY starting year"
                )
    return _state(criterion, 1, sentences[:1], "a dedicated policy with no stated start")


def _classify_performance(profile: FactsheetProfile, text: str) -> StateOfPlay:
    criterion = Criterion.PERFORMANCE
    narrative = _narrative_sentences(profile, text, "performance")
    named = _option_named(criterion, narrative)
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the performance narrative names the option")
    evaluation = profile.field(FieldKey.EVALUATION)
    results = evaluation.sub("results") if evaluation else None
    availability = evaluation.sub("availability") if evaluation else None
    sentences = list(narrative)
    if results is not None:
        sentences.extend(s for value in results.values for s in _sentences(text, value))
    monitoring: list[TextSpan] = []
    negated_evaluation: list[TextSpan] = []
    ex_ante: list[TextSpan] = []
    interim: list[TextSpan] = []
    past: list[TextSpan] = []
    for sentence in sentences:
        folded = _fold(sentence.text)
        if _MONITORING.search(folded) and not _NEGATED_MONITORING.search(folded):
            monitoring.append(sentence)
        if _NEGATED_EVALUATION.search(folded):
            negated_evaluation.append(sentence)
            continue
        if _EX_ANTE.search(folded):
            ex_ante.append(sentence)
        if _INTERIM.search(folded):
            interim.append(sentence)
        if _PAST_EVALUATION.search(folded):
            past.append(sentence)
    # Table 1's availability counts as an evaluation unless the text says there is none
    stated = [] if availability is None else [a for a in availability.items if not a.unavailable]
    for value in stated:
        folded = _fold(value.text)
        if negated_evaluation and not (ex_ante or interim or past):
            break
        if _EX_ANTE.search(folded):
            ex_ante.append(value)
        if _INTERIM.search(folded):
            interim.append(value)
        if re.search(r"\bex[- ]post\b", folded):
            past.append(value)
    supporting = [value for value in stated if _INTERIM.search(_fold(value.text))]
    if monitoring and (ex_ante or interim):
        evidence = [*monitoring[:1], *(ex_ante or interim)[:1]]
        return _state(criterion, 3, evidence, "monitoring and an ex-ante or interim evaluation")
    if monitoring or interim:
        evidence = [*negated_evaluation[:1], *monitoring[:1], *interim[:1], *supporting]
        return _state(criterion, 2, evidence, "monitoring or an interim evaluation")
    if past or ex_ante:
        return _state(criterion, 1, (past or ex_ante)[:1], "an evaluation of past policies")
    evidence = negated_evaluation[:1] or list(availability.items if availability else ())
    return _state(criterion, 0, evidence, "no evaluation or monitoring stated")


def _classify_support(profile: FactsheetProfile, text: str, scope: StateOfPlay) -> StateOfPlay:
    criterion = Criterion.SUPPORT
    narrative = _narrative_sentences(profile, text, "support_instruments")
    named = _option_named(criterion, narrative)
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the instruments narrative names the option")
    instruments = profile.field(FieldKey.INSTRUMENTS)
    financial_row = instruments.sub("financial") if instruments else None
    technical_row = instruments.sub("technical_assistance") if instruments else None
    financial = [c for c in (financial_row.items if financial_row else ()) if not c.unavailable]
    technical = [c for c in (technical_row.items if technical_row else ()) if not c.unavailable]
    negations = [s for s in narrative if _NO_INSTRUMENTS.search(_fold(s.text))]
    positive = [s for s in narrative if s not in negations]
    financial_text = [s for s in positive if _FINANCIAL.search(_fold(s.text))]
    technical_text = [s for s in positive if _TECHNICAL.search(_fold(s.text))]
    has_financial = bool(financial or financial_text)
    has_technical = bool(technical or technical_text)
    table_evidence = [_joined(text, items) for items in (financial, technical) if items]
    if scope.level == 3:
        if has_financial and has_technical:
            evidence = [*table_evidence, *(financial_text or technical_text)[:1]]
            return _state(criterion, 3, evidence, "financial and technical support, dedicated")
        if has_financial or has_technical:
            evidence = [*table_evidence, *(financial_text or technical_text)[:1]]
            return _state(criterion, 2, evidence, "financial or technical support, dedicated")
        return _state(criterion, 0, negations[:1], "no support instruments stated")
    if has_financial or has_technical:
        evidence = [*negations[:1], *financial_text[:1], *table_evidence[:1]]
        return _state(criterion, 1, evidence, "support within a broader or sectoral policy")
    return _state(criterion, 0, negations[:1], "no support instruments stated")


def _joined(text: str, items: Sequence[TextSpan]) -> TextSpan:
    """Consecutive lines of one sub-row as one span of the document's text."""
    first, last = items[0], items[-1]
    return TextSpan(text[first.start : last.end], first.start, last.end, first.page)
