"""The HTML writer: ``to_html(truth, style)`` and ``to_weasyprint_pdf(truth, path, style)``.

The factsheet's elements (``document``) as one HTML page, laid out by WeasyPrint under one of
the stylesheets of ``stylesheets``: Table 1 as a real table whose "Policy type / Policy name"
rows are a ``<thead>`` repeated on every page, one ``<tr>`` per sub-row (the label cell empty on
all but the first), rows free to break across pages; running header and footer in the page
margins. Nothing here knows how the parser reads PDFs: column widths are the stylesheet's.
"""

from __future__ import annotations

import html
from pathlib import Path

from policyqa.eval.synthetic.document import (
    Heading,
    Item,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    document_elements,
)
from policyqa.eval.synthetic.stylesheets import Stylesheet, stylesheet_css
from policyqa.eval.synthetic.truth import FactsheetTruth


def _runs(runs: Runs) -> str:
    parts = []
    for text, bold in runs:
        escaped = html.escape(text, quote=False)
        parts.append(f"<b>{escaped}</b>" if bold else escaped)
    return " ".join(parts)


def _cell(lines: tuple[Runs, ...], highlight: frozenset[int] = frozenset()) -> str:
    return "".join(
        f'<p class="hl">{_runs(line)}</p>' if index in highlight else f"<p>{_runs(line)}</p>"
        for index, line in enumerate(lines)
    )


def _table1(table: Table) -> str:
    head, body = table.rows[:2], table.rows[2:]
    out = ['<table class="t1"><colgroup><col class="label"><col class="sub"><col></colgroup>']
    out.append("<thead>")
    for row in head:
        value = _runs(row.groups[0].lines[0])
        out.append(f'<tr><td>{html.escape(row.label)}</td><td colspan="2">{value}</td></tr>')
    out.append("</thead><tbody>")
    for row in body:
        for index, group in enumerate(row.groups):
            label = f"<b>{html.escape(row.label)}</b>" if index == 0 else ""
            cls = ' class="first"' if index == 0 else ""
            if group.sublabel is None:
                out.append(
                    f'<tr{cls}><td>{label}</td><td colspan="2">{_cell(group.lines)}</td></tr>'
                )
            else:
                out.append(
                    f"<tr{cls}><td>{label}</td><td><p>{_runs(group.sublabel)}</p></td>"
                    f"<td>{_cell(group.lines)}</td></tr>"
                )
    out.append("</tbody></table>")
    return "".join(out)


def _simple_table(table: Table) -> str:
    out = [f'<table class="{table.kind}"><thead><tr>']
    out.extend(f"<th>{html.escape(title)}</th>" for title in table.header)
    out.append("</tr></thead><tbody>")
    for row_index, row in enumerate(table.rows):
        lines = row.groups[0].lines
        label = f"<td><b>{html.escape(row.label)}</b></td>"
        if table.kind == "table2":
            marked = frozenset(line for r, line in table.highlight if r == row_index)
            out.append(f"<tr>{label}<td>{_cell(lines, marked)}</td></tr>")
        else:
            out.append(f"<tr>{label}<td>{_cell(lines[:1])}</td><td>{_cell(lines[1:])}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(truth: FactsheetTruth, style: Stylesheet) -> str:
    """The factsheet as an HTML document styled by ``style``."""
    body: list[str] = []
    for element in document_elements(truth):
        if isinstance(element, Heading):
            body.append(f"<h{element.rank}>{html.escape(element.text)}</h{element.rank}>")
        elif isinstance(element, Paragraph):
            body.append(f"<p>{_runs(element.runs)}</p>")
        elif isinstance(element, Item):
            body.append(f'<p class="item">{html.escape(element.text)}</p>')
        elif isinstance(element, PageBreak):
            body.append('<div class="break"></div>')
        elif element.kind == "table1":
            body.append(_table1(element))
        else:
            body.append(_simple_table(element))
    css = stylesheet_css(style, truth.country)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Synthetic factsheet: {html.escape(truth.country)}</title>"
        f"<style>{css}</style></head><body>{''.join(body)}</body></html>"
    )


def to_weasyprint_pdf(truth: FactsheetTruth, path: Path, style: Stylesheet) -> Path:
    """Write the factsheet as a PDF laid out by WeasyPrint under ``style``; returns ``path``."""
    from weasyprint import HTML  # imported here: only PDF writing needs it

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=to_html(truth, style)).write_pdf(str(path))
    return path
