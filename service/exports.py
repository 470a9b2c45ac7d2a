"""A comparison as a file: CSV, XLSX (openpyxl) or JSON, every value with its doc_id and span.

The CSV and the XLSX share one flat table: ``country, year, doc_id, synthetic, policy_name`` and
its span, then per chosen column its value, its span (``<key>_start``, ``<key>_end``) and, for a
state-of-play criterion, its level (``<key>_level``, 0-3). Text that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written
with a leading apostrophe in the CSV, and as a string cell in the XLSX.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from policyqa.service.comparison import Cell, Column, ComparisonRow

#: Leading characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | bool | None


def flat_header(columns: Sequence[Column]) -> list[str]:
    """The header of the CSV and XLSX table."""
    header = ["country", "year", "doc_id", "synthetic"]
    header += ["policy_name", "policy_name_start", "policy_name_end"]
    for column in columns:
        header.append(column.key)
        if column.kind == "criterion":
            header.append(f"{column.key}_level")
        header += [f"{column.key}_start", f"{column.key}_end"]
    return header


def flat_rows(rows: Sequence[ComparisonRow], columns: Sequence[Column]) -> list[list[Value]]:
    """The rows of the CSV and XLSX table, in the header's order."""
    table: list[list[Value]] = []
    for row in rows:
        line: list[Value] = [row.country, row.year, row.doc_id, row.synthetic]
        line += _cell_values(row.policy_name, with_level=False)
        for column in columns:
            line += _cell_values(row.cells.get(column.key), column.kind == "criterion")
        table.append(line)
    return table


def _cell_values(cell: Cell | None, with_level: bool) -> list[Value]:
    if cell is None:
        return [None] * (4 if with_level else 3)
    values: list[Value] = [cell.value]
    if with_level:
        values.append(cell.level)
    return [*values, cell.start, cell.end]


def neutralise_formula(value: Value) -> Value:
    """Text a spreadsheet would run as a formula, with a leading apostrophe; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Sequence[ComparisonRow], columns: Sequence[Column]) -> str:
    """The comparison as CSV (RFC 4180 quoting, CRLF line ends), safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(flat_header(columns))
    for line in flat_rows(rows, columns):
        writer.writerow(["" if value is None else neutralise_formula(value) for value in line])
    return buffer.getvalue()


def to_xlsx(rows: Sequence[ComparisonRow], columns: Sequence[Column]) -> bytes:
    """The comparison as an XLSX workbook of one sheet, written by openpyxl."""
    from openpyxl import Workbook  # imported when an XLSX is asked for (a third of a second)
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "comparison"
    sheet.append(flat_header(columns))
    for line in flat_rows(rows, columns):
        sheet.append(line)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # openpyxl stores any text starting with "=" as a formula: keep it a string
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.freeze_panes = "B2"
    for index, name in enumerate(flat_header(columns), start=1):
        wide = not name.endswith(("_start", "_end", "_level")) and name not in ("year", "synthetic")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 10
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows: Sequence[ComparisonRow], columns: Sequence[Column]) -> dict[str, Any]:
    """The comparison as JSON: the columns (with a criterion's options) and a row per country."""
    return {
        "columns": [
            {"key": c.key, "label": c.label, "kind": c.kind, "options": list(c.options)}
            for c in columns
        ],
        "rows": [
            {
                "doc_id": row.doc_id,
                "title": row.title,
                "country": row.country,
                "year": row.year,
                "synthetic": row.synthetic,
                "policy_name": _cell_json(row.policy_name),
                "cells": {key: _cell_json(cell) for key, cell in row.cells.items()},
            }
            for row in rows
        ],
    }


def _cell_json(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {
        "value": cell.value,
        "level": cell.level,
        "start": cell.start,
        "end": cell.end,
        "page": cell.page,
    }
