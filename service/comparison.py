"""Countries side by side: Table 1 fields and state-of-play criteria as cited cells.

One ``ComparisonRow`` per country (its preferred factsheet), one ``Cell`` per chosen column.
A cell holds the value as one line of text, and the span of the factsheet it comes from, so
that every value of a comparison, an export or a chart can be followed to its source. The page
(``GET /v1/profiles/export?format=json``), the CSV and XLSX files are all built from these rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.ingest.factsheet import (
    CRITERION_LABELS,
    FIELD_LABELS,
    STATE_OF_PLAY_OPTIONS,
    SUBFIELD_LABELS,
    FactsheetProfile,
    FieldKey,
    ProfileField,
    SubField,
    TextSpan,
)
from policyqa.service.factsheet_answers.library import ProfileLibrary

#: Sub-rows that hold the field's explanation, not its values.
_EXPLANATION_SUBS = frozenset({"explanation", "results"})
#: Separator between the values of one cell.
VALUE_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the comparison: a Table 1 field, the policy type, or a criterion."""

    key: str  # "policy_type", "instruments", "continuity", ...
    label: str  # as the template prints it
    kind: str  # "table1" or "criterion"
    options: tuple[str, ...] = ()  # a criterion's four options, level 0 to 3


#: Every column, in the template's order: policy type, Table 1's fields, the four criteria.
COLUMNS: tuple[Column, ...] = (
    Column("policy_type", "POLICY TYPE", "table1"),
    *(Column(key.value, FIELD_LABELS[key], "table1") for key in FieldKey),
    *(
        Column(criterion.value, CRITERION_LABELS[criterion], "criterion", options)
        for criterion, options in STATE_OF_PLAY_OPTIONS.items()
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass(frozen=True, slots=True)
class Cell:
    """One value of a row: its text and the span of the factsheet it is read from."""

    value: str
    start: int | None  # span in the document's canonical text (None when nothing is cited)
    end: int | None
    page: int | None
    level: int | None = None  # a criterion's option, 0-3


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One country's factsheet in a comparison."""

    doc_id: str
    title: str
    country: str
    year: int | None
    synthetic: bool
    policy_name: Cell | None
    cells: dict[str, Cell | None]  # column key -> cell (None: the factsheet lacks the field)


class UnknownColumnError(ValueError):
    """A column that the comparison does not know."""


class UnknownCountryError(LookupError):
    """A country that no indexed factsheet is about."""


def parse_columns(text: str | None) -> list[Column]:
    """Columns from a comma-separated list of keys (all of them when empty), in that order."""
    keys = [key.strip() for key in (text or "").split(",") if key.strip()]
    if not keys:
        return list(COLUMNS)
    unknown = [key for key in keys if key not in COLUMNS_BY_KEY]
    if unknown:
        raise UnknownColumnError(
            f"unknown column(s) {', '.join(unknown)} (columns: {', '.join(COLUMNS_BY_KEY)})"
        )
    return [COLUMNS_BY_KEY[key] for key in dict.fromkeys(keys)]


def comparison_rows(
    library: ProfileLibrary, columns: Sequence[Column], countries: Sequence[str] = ()
) -> list[ComparisonRow]:
    """A row per country (its preferred factsheet), sorted by country, or only ``countries``."""
    profiles = library.preferred()
    if countries:
        known = {(p.country or "").casefold(): p for p in profiles}
        missing = [name for name in countries if name.casefold() not in known]
        if missing:
            raise UnknownCountryError(
                f"no indexed factsheet about {', '.join(missing)} "
                f"(countries: {', '.join(library.countries()) or 'none'})"
            )
        wanted = {name.casefold() for name in countries}
        profiles = [p for p in profiles if (p.country or "").casefold() in wanted]
    return [_row(profile, library, columns) for profile in profiles]


def _row(
    profile: FactsheetProfile, library: ProfileLibrary, columns: Sequence[Column]
) -> ComparisonRow:
    document = library.documents[profile.doc_id]
    return ComparisonRow(
        doc_id=profile.doc_id,
        title=document.title,
        country=profile.country or "",
        year=profile.year,
        synthetic=profile.synthetic,
        policy_name=_span_cell(profile.policy_name),
        cells={column.key: cell_of(profile, column) for column in columns},
    )


def cell_of(profile: FactsheetProfile, column: Column) -> Cell | None:
    """The cell of ``column`` for a profile, or None when the factsheet does not state it."""
    if column.key == "policy_type":
        return _span_cell(profile.policy_type)
    if column.kind == "criterion":
        state = profile.state(column.key)
        if state is None:
            return None
        # the first piece of evidence is the one the decision rests on; a decision made from
        # the absence of any statement cites nothing
        first = state.evidence[0] if state.evidence else None
        return Cell(
            value=state.option,
            start=first.start if first else None,
            end=first.end if first else None,
            page=first.page if first else None,
            level=state.level,
        )
    item = profile.field(column.key)
    return _field_cell(item) if item is not None else None


def _span_cell(span: TextSpan | None) -> Cell | None:
    return Cell(span.text, span.start, span.end, span.page) if span is not None else None


def _field_cell(item: ProfileField) -> Cell | None:
    """A Table 1 field in one line: its categories and sub-row values, else its explanation.

    The span covers the values shown, from the first to the last, inside the field's row.
    """
    parts: list[str] = []
    spans: list[TextSpan] = list(item.categories)
    if item.categories:
        parts.append(VALUE_SEPARATOR.join(span.text for span in item.categories))
    for sub in item.subfields:
        if sub.key in _EXPLANATION_SUBS or not sub.items:
            continue
        parts.append(f"{_sub_label(sub)}: {', '.join(span.text for span in sub.items)}")
        spans.extend(sub.items)
    if not parts:
        spans = list(item.explanation)
        parts = [" ".join(span.text for span in spans)]
    if not spans:
        return None
    first = min(spans, key=lambda span: span.start)
    return Cell(
        value=VALUE_SEPARATOR.join(part for part in parts if part),
        start=first.start,
        end=max(span.end for span in spans),
        page=first.page,
    )


def _sub_label(sub: SubField) -> str:
    """The template's name of a sub-row ("Starting year"), not its long printed label."""
    return SUBFIELD_LABELS.get(sub.key, sub.label.text)
