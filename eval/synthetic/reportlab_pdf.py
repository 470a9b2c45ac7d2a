"""The ReportLab writer: ``to_reportlab_pdf(truth, path)``, a producer held out of development.

ReportLab's platypus lays the factsheet's elements (``document``) out in Times (a base-14 font,
unlike the other producers' TrueType fonts): Table 1 as a ruled ``Table`` whose two policy rows
repeat on every page and whose rows may split across a page break (``splitInRow``), the label
cell empty on a sub-row's line; running header and footer drawn on each page. Written before the
PDF reader it judges, and never tuned to it: only its aggregate accuracy is read.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from policyqa.eval.synthetic.document import (
    Heading,
    Item,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    document_elements,
)
from policyqa.eval.synthetic.truth import FactsheetTruth

_BODY_PT = 10.0


def _markup(runs: Runs) -> str:
    parts = []
    for text, bold in runs:
        escaped = escape(text, quote=False)
        parts.append(f"<b>{escaped}</b>" if bold else escaped)
    return " ".join(parts)


class _Writer:
    def __init__(self, truth: FactsheetTruth) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.truth = truth
        self.body = ParagraphStyle(
            "body",
            fontName="Times-Roman",
            fontSize=_BODY_PT,
            leading=_BODY_PT * 1.25,
            spaceAfter=_BODY_PT * 0.6,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=_BODY_PT * 0.3)
        self.highlight = ParagraphStyle("hl", parent=self.cell, backColor="#ffe98a")
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=14)
        self.headings = {
            rank: ParagraphStyle(
                f"h{rank}",
                parent=self.body,
                fontName="Times-Bold",
                fontSize=size,
                leading=size * 1.2,
                spaceBefore=size * 0.5,
                spaceAfter=size * 0.5,
            )
            for rank, size in ((1, 19.0), (2, 14.5), (3, 12.0))
        }

    def para(self, runs: Runs, style: Any = None) -> Any:
        from reportlab.platypus import Paragraph as RLParagraph

        return RLParagraph(_markup(runs), style or self.body)

    def cell_lines(
        self, lines: tuple[Runs, ...], marked: frozenset[int] = frozenset()
    ) -> list[Any]:
        return [
            self.para(line, self.highlight if index in marked else self.cell)
            for index, line in enumerate(lines)
        ]

    def table1(self, table: Table, width: float) -> Any:
        from reportlab.platypus import Table as RLTable
        from reportlab.platypus import TableStyle

        head, body = table.rows[:2], table.rows[2:]
        data: list[list[Any]] = []
        spans: list[tuple[Any, ...]] = []
        for row in head:
            data.append(
                [
                    self.para(((row.label, False),), self.cell),
                    self.cell_lines(row.groups[0].lines),
                    "",
                ]
            )
            spans.append(("SPAN", (1, len(data) - 1), (2, len(data) - 1)))
        for row in body:
            for index, group in enumerate(row.groups):
                label = self.para(((row.label, True),), self.cell) if index == 0 else ""
                if group.sublabel is None:
                    data.append([label, self.cell_lines(group.lines), ""])
                    spans.append(("SPAN", (1, len(data) - 1), (2, len(data) - 1)))
                else:
                    data.append(
                        [label, self.para(group.sublabel, self.cell), self.cell_lines(group.lines)]
                    )
        widths = [0.28 * width, 0.2 * width, 0.52 * width]
        rl_table = RLTable(data, colWidths=widths, repeatRows=2, splitInRow=1)
        rl_table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                    ("BACKGROUND", (0, 0), (-1, 1), "#dde3ea"),
                    *spans,
                ]
            )
        )
        return rl_table

    def simple_table(self, table: Table, width: float) -> Any:
        from reportlab.platypus import Table as RLTable
        from reportlab.platypus import TableStyle

        data: list[list[Any]] = [[self.para(((title, True),), self.cell) for title in table.header]]
        for row_index, row in enumerate(table.rows):
            lines = row.groups[0].lines
            label = self.para(((row.label, True),), self.cell)
            if table.kind == "table2":
                marked = frozenset(line for r, line in table.highlight if r == row_index)
                data.append([label, self.cell_lines(lines, marked)])
            else:
                data.append([label, self.cell_lines(lines[:1]), self.cell_lines(lines[1:])])
        widths = (
            [0.3 * width, 0.7 * width]
            if table.kind == "table2"
            else [0.2 * width, 0.35 * width, 0.45 * width]
        )
        rl_table = RLTable(data, colWidths=widths, repeatRows=1)
        rl_table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, "#888888"),
                ]
            )
        )
        return rl_table


def to_reportlab_pdf(truth: FactsheetTruth, path: Path) -> Path:
    """Write the factsheet as an A4 PDF laid out by ReportLab; returns ``path``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import SimpleDocTemplate

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _Writer(truth)
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=24 * mm,
        bottomMargin=24 * mm,
        title=f"Synthetic factsheet: {truth.country}",
        creator="policyqa synthetic factsheet generator (ReportLab)",
    )
    width = document.width
    story: list[Any] = []
    for element in document_elements(truth):
        if isinstance(element, Heading):
            story.append(writer.para(((element.text, False),), writer.headings[element.rank]))
        elif isinstance(element, Paragraph):
            story.append(writer.para(element.runs))
        elif isinstance(element, Item):
            story.append(writer.para(((element.text, False),), writer.item))
        elif isinstance(element, PageBreak):
            story.append(RLPageBreak())
        elif element.kind == "table1":
            story.append(writer.table1(element, width))
        else:
            story.append(writer.simple_table(element, width))

    def running(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Times-Roman", 8)
        top, bottom = A4[1] - 14 * mm, 12 * mm
        canvas.drawString(22 * mm, top, f"Country factsheet - {truth.country}")
        canvas.drawRightString(A4[0] - 22 * mm, top, "Synthetic test corpus")
        canvas.drawString(22 * mm, bottom, "Cluster policy factsheets")
        canvas.drawRightString(A4[0] - 22 * mm, bottom, f"Page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=lambda canvas, doc: None, onLaterPages=running)
    return path
