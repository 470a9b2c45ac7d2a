"""Statements that quote a profile's spans: a span, a one-line row, a sub-row's values.

The building blocks of every profile answer, for one country and across countries; each
statement's span is an exact span of the document's canonical text.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.ingest import Block, BlockKind, Document
from policyqa.ingest.factsheet import FactsheetProfile, SubField, TextSpan
from policyqa.service.statements import Statement, clean


def who(profile: FactsheetProfile) -> str:
    """The country and, when known, its policy: "Morocco (2021-2025 Industrial ...)"."""
    name = f" ({profile.policy_name.text})" if profile.policy_name else ""
    return f"{profile.country}{name}"


def say(document: Document, span: TextSpan | tuple[int, int], text: str) -> Statement:
    """``text`` (cleaned to one line) cited to ``span``."""
    start, end = (span.start, span.end) if isinstance(span, TextSpan) else span
    return Statement(clean(text), document, start, end)


def with_lead(statements: list[Statement], lead: str) -> list[Statement]:
    """Prefix the first statement with ``lead`` (who and what the answer is about)."""
    if not statements:
        return statements
    first = statements[0]
    return [first.with_text(lead + first.text), *statements[1:]]


def listed(spans: Sequence[TextSpan]) -> str:
    """The spans' texts as one list: "a; b; c"."""
    return "; ".join(clean(span.text) for span in spans)


def sub_row_statement(document: Document, sub: SubField, start: int | None = None) -> Statement:
    """A sub-row's values: "Starting year: 2021", quoted from its label (or ``start``)."""
    items = sub.items
    end = items[-1].end if items else sub.label.end
    return Statement(f"{sub.label.text}: {listed(items)}", document, start or sub.label.start, end)


def row_statement(document: Document, span: TextSpan) -> Statement:
    """A one-line table row quoted whole ("Policy type: Sectoral policy")."""
    row = _row_of(document, span)
    start = row.start if row is not None and row.kind is BlockKind.TABLE_ROW else span.start
    return Statement(clean(document.text[start : span.end]), document, start, span.end)


def _row_of(document: Document, span: TextSpan) -> Block | None:
    """The table row (or paragraph) that holds ``span``."""
    for block in document.blocks:
        if block.start <= span.start < block.end and block.kind is not BlockKind.HEADING:
            return block
    return None


def unique(statements: list[Statement]) -> list[Statement]:
    """Drop a statement whose span another kept statement already covers."""
    kept: list[Statement] = []
    for statement in statements:
        if any(
            k.document.doc_id == statement.document.doc_id
            and k.start <= statement.start
            and statement.end <= k.end
            for k in kept
        ):
            continue
        kept.append(statement)
    return kept
