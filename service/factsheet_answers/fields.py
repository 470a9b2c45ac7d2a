"""Statements for one country's Table 1: a field (categories, sub-rows, explanation), its policy.

A field answer quotes the standardised categories with the row label, then the sub-rows (those
the question singles out first: "Starting year" for "When did it start?"), then the
explanation.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.ingest import Document
from policyqa.ingest.factsheet import FactsheetProfile, ProfileField
from policyqa.service.factsheet_answers.quotes import (
    listed,
    row_statement,
    say,
    sub_row_statement,
    with_lead,
)
from policyqa.service.statements import Statement

#: Sub-rows that describe rather than state values: shown as explanation unless categorised.
DESCRIPTIVE_SUB_ROWS = frozenset({"explanation", "results"})


def field_statements(
    document: Document, item: ProfileField, lead: str, focus: Sequence[str] = ()
) -> list[Statement]:
    """A Table 1 field: categories (quoted with the row label), sub-rows, explanation.

    ``lead`` opens the first statement; sub-rows named in ``focus`` come first, in that order.
    """
    statements: list[Statement] = []
    label = item.label.text
    if item.categories:
        statements.append(
            Statement(
                f"{lead}{label}: {listed(item.categories)}",
                document,
                item.label.start,
                item.categories[-1].end,
            )
        )
    rows = [sub for sub in item.subfields if sub.key not in DESCRIPTIVE_SUB_ROWS or sub.categories]
    rows.sort(
        key=lambda sub: (
            list(focus).index(sub.key) if sub.key in focus else len(focus),
            item.subfields.index(sub),
        )
    )
    for sub in rows:
        first_in_row = not statements and sub is item.subfields[0]
        statement = sub_row_statement(document, sub, item.label.start if first_in_row else None)
        if not statements:
            prefix = f"{lead}{label}: " if first_in_row else f"{lead}{label} — "
            statement = statement.with_text(prefix + statement.text)
        statements.append(statement)
    for span in item.explanation:
        statement = say(document, span, span.text)
        if not statements:
            statement = statement.with_text(f"{lead}{label}: {statement.text}")
        statements.append(statement)
    if not statements:
        # a row with nothing under its label: the label itself says so
        statements.append(Statement(f"{lead}{label}: (empty)", document, item.start, item.end))
    return statements


def policy_statements(profile: FactsheetProfile, document: Document) -> list[Statement]:
    """The policy's name and type rows."""
    statements = [
        row_statement(document, span)
        for span in (profile.policy_name, profile.policy_type)
        if span is not None
    ]
    return with_lead(statements, f"{profile.country}: ")
