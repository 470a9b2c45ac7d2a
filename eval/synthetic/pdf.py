"""The PDF writer: ``to_pdf(truth, path)`` lays a factsheet out with fpdf2.

A4, a running header and footer with page numbers, Table 1 breaking across pages with its
leading rows repeated, bold categories, Table 2 with the applicable option highlighted. Lines
are placed by hand, so the layout is known exactly; column widths come from ``pdf_columns``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from policyqa.eval.synthetic.document import (
    Heading,
    Item,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    annex_table,
    bold_text,
    document_elements,
    plain_text,
    state_of_play_table,
    table1_rows,
)
from policyqa.eval.synthetic.pdf_columns import readable_width
from policyqa.eval.synthetic.truth import FactsheetTruth

_PT = 0.3528  # millimetres per point
_PAGE_TOP = 28.0
_PAGE_BOTTOM = 272.0
_LEFT = 20.0
_RIGHT = 190.0


_TERMINAL = (".", "!", "?", ":", ";")


def _splits(lines: Sequence[Runs]) -> list[int]:
    """Where a paragraph may break across pages: before a line that goes on in lower case.

    The PDF parser rejoins a cell split by a page break only when the sentence visibly goes on
    (no full stop before the break, lower case after it), as in the published factsheets.
    """
    return [
        index
        for index in range(1, len(lines))
        if lines[index][0][0][:1].islower() and not lines[index - 1][-1][0].endswith(_TERMINAL)
    ]


class _PdfWriter:
    """A small typesetter over fpdf2: lines placed by hand, so the layout is known exactly."""

    def __init__(self, truth: FactsheetTruth, body: float) -> None:
        from fpdf import FPDF  # imported here: only PDF writing needs it

        self.truth = truth
        self.body = body
        self.pitch = self.body * 1.42 * _PT  # baseline distance of body lines, mm
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creator("policyqa synthetic factsheet generator")
        self.pdf.set_title(f"Synthetic factsheet: {truth.country}")
        self.y = _PAGE_TOP
        self.pages = 0
        self._widths: dict[tuple[str, bool, float], float] = {}
        self.table1_columns = (_LEFT, _LEFT + 46, _LEFT + 82)
        self.table1_width = _RIGHT - _LEFT - 82
        self.table2_width = _RIGHT - _LEFT - 62
        self.table3_widths = (50.0, _RIGHT - _LEFT - 84)

    # --- primitives ---------------------------------------------------------------------

    def font(self, bold: bool, size: float) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)

    def width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        if key not in self._widths:
            self.font(bold, size)
            self._widths[key] = float(self.pdf.get_string_width(text))
        return self._widths[key]

    def new_page(self, running: bool = True) -> None:
        self.pdf.add_page()
        self.pages += 1
        self.y = _PAGE_TOP
        if not running:
            return
        corpus = "Synthetic test corpus"
        self.font(False, 8)
        self.pdf.text(_LEFT, 12, f"Country factsheet - {self.truth.country}")
        self.pdf.text(_RIGHT - self.width(corpus, False, 8), 12, corpus)
        label = f"Page {self.pages}"
        self.font(False, 8)
        self.pdf.text(_LEFT, 287, "Cluster policy factsheets")
        self.pdf.text(_RIGHT - self.width(label, False, 8), 287, label)

    def wrap(self, runs: Runs, width: float, size: float) -> list[Runs]:
        """Lines of at most ``width`` mm, broken between words (never inside one)."""
        words = [(word, bold) for text, bold in runs for word in text.split(" ") if word]
        lines: list[list[tuple[str, bool]]] = [[]]
        used = 0.0
        for word, bold in words:
            space = self.width(" ", bold, size) if lines[-1] else 0.0
            extra = self.width(word, bold, size) + space
            if lines[-1] and used + extra > width:
                lines.append([])
                used = 0.0
                extra = self.width(word, bold, size)
            lines[-1].append((word, bold))
            used += extra
        return [tuple(line) for line in lines if line]

    def line_width(self, line: Runs, size: float) -> float:
        """The width of a line as ``draw`` sets it."""
        total = sum(self.width(word, bold, size) for word, bold in line)
        return total + sum(self.width(" ", bold, size) for _, bold in line[:-1])

    def plan(self) -> bool:
        """Choose the tables' column widths; False when this body size has no readable ones."""
        layout = self.truth.layout
        label_width = float(layout.get("pdf_label_width", 44.0))
        sub_width = float(layout.get("pdf_sub_width", 34.0))
        self.table1_columns = (_LEFT, _LEFT + label_width + 2, _LEFT + label_width + sub_width + 4)
        cells = [group.lines for row in table1_rows(self.truth) for group in row.groups]
        value = readable_width(self, cells, _RIGHT - self.table1_columns[2], self.body)
        options = [
            [line] for row in state_of_play_table(self.truth).rows for line in row.groups[0].lines
        ]
        table2 = readable_width(self, options, _RIGHT - _LEFT - 62, self.body)
        annex = [list(row.groups[0].lines) for row in annex_table().rows]
        descriptions = readable_width(self, [cell[:1] for cell in annex], 50.0, self.body)
        categories = readable_width(
            self, [cell[1:] for cell in annex], _RIGHT - _LEFT - 84, self.body
        )
        if value is None or table2 is None or descriptions is None or categories is None:
            return False
        self.table1_width = value
        self.table2_width = table2
        self.table3_widths = (descriptions, categories)
        return True

    def draw(self, x: float, y: float, line: Runs, size: float) -> None:
        """Draw one line with its baseline at ``y``."""
        for index, (word, bold) in enumerate(line):
            if index:
                x += self.width(" ", line[index - 1][1], size)
            self.font(bold, size)
            self.pdf.text(x, y, word)
            x += self.width(word, bold, size)

    def room(self, lines: float) -> bool:
        """True when ``lines`` more body lines fit on the page."""
        return self.y + (lines - 1) * self.pitch <= _PAGE_BOTTOM

    # --- flow elements ------------------------------------------------------------------

    def heading(self, rank: int, text: str) -> None:
        size = {1: 20.0, 2: 15.0, 3: 12.5}[rank]
        lines = self.wrap(bold_text(text), _RIGHT - _LEFT, size)
        pitch = size * 1.25 * _PT
        if not self.room(4 + len(lines) * pitch / self.pitch):
            self.new_page()
        self.y += size * _PT * 0.8
        for line in lines:
            self.draw(_LEFT, self.y, line, size)
            self.y += pitch
        self.y += 0.9 * size * _PT

    def paragraph(self, runs: Runs, indent: float = 0.0, hanging: float = 0.0) -> None:
        lines = self.wrap(runs, _RIGHT - _LEFT - indent - hanging, self.body)
        if not self.room(len(lines)):
            self.new_page()
        for index, line in enumerate(lines):
            self.draw(_LEFT + indent + (hanging if index else 0.0), self.y, line, self.body)
            self.y += self.pitch
        self.y += 0.7 * self.pitch

    # --- Table 1 ------------------------------------------------------------------------

    def table1(self, table: Table) -> None:
        """Table 1: label | sub-label | values; the policy rows repeated on every page."""
        x_label, x_sub, x_value = self.table1_columns
        label_width, sub_width = x_sub - x_label - 2, x_value - x_sub - 2
        value_width = self.table1_width
        head, body = table.rows[:2], table.rows[2:]
        gap = 0.6 * self.pitch  # padding between rows

        def policy_rows() -> None:
            for row in head:
                self.draw(x_label, self.y, plain_text(row.label), self.body)
                for line in self.wrap(row.groups[0].lines[0], value_width, self.body):
                    self.draw(x_value, self.y, line, self.body)
                    self.y += self.pitch
                self.y += gap

        def next_page() -> None:
            self.new_page()
            policy_rows()

        if not self.room(10):
            self.new_page()
        policy_rows()
        for row in body:
            label_lines = self.wrap(bold_text(row.label), label_width, self.body)
            for group_index, group in enumerate(row.groups):
                sub_lines = (
                    self.wrap(group.sublabel, sub_width, self.body) if group.sublabel else []
                )
                items = [self.wrap(line, value_width, self.body) for line in group.lines]
                # the label, the sub-label and the start of the first value share a page
                first = items[0] if items else []
                keep = len(first) if first and first[0][0][1] else [*_splits(first), len(first)][0]
                own = max(len(label_lines) if group_index == 0 else 0, len(sub_lines), keep, 1)
                if not self.room(own):
                    next_page()
                top = self.y
                bottom = top
                if group_index == 0:
                    for index, line in enumerate(label_lines):
                        self.draw(x_label, top + index * self.pitch, line, self.body)
                    bottom = top + len(label_lines) * self.pitch
                for index, line in enumerate(sub_lines):
                    self.draw(x_sub, top + index * self.pitch, line, self.body)
                bottom = max(bottom, top + len(sub_lines) * self.pitch)
                y = top
                for item in items:
                    lines = list(item)
                    bold = lines[0][0][1]
                    while lines:
                        fits = max(0, int((_PAGE_BOTTOM - y) // self.pitch) + 1)
                        if len(lines) <= fits:
                            count = len(lines)
                        elif bold:
                            count = 0  # a category is never split across pages
                        else:
                            count = max((k for k in _splits(lines) if k <= fits), default=0)
                        for line in lines[:count]:
                            self.draw(x_value, y, line, self.body)
                            y += self.pitch
                        lines = lines[count:]
                        if lines:
                            next_page()
                            y = bottom = self.y
                self.y = max(y, bottom) + gap
        self.y += 0.4 * self.pitch

    # --- Table 2 and Table 3 ------------------------------------------------------------

    def simple_table(self, table: Table) -> None:
        """Table 2 (each option a row, the applicable one highlighted) or Table 3 (the Annex);
        both are kept on one page."""
        size = self.body
        if table.kind == "table2":
            columns, widths = [_LEFT, _LEFT + 62], [58.0, self.table2_width]
        else:
            columns = [_LEFT, _LEFT + 30, _LEFT + 84]
            widths = [27.0, *self.table3_widths]
        laid: list[tuple[list[Runs], list[list[Runs]], list[Runs]]] = []
        height = 2.0
        for row in table.rows:
            label = self.wrap(bold_text(row.label), widths[0], size)
            lines = row.groups[0].lines
            if table.kind == "table2":
                blocks = [self.wrap(line, widths[1], size) for line in lines]
                laid.append((label, blocks, []))
                height += sum(len(b) + 0.4 for b in blocks) + 0.4
            else:
                description = self.wrap(lines[0], widths[1], size)
                blocks = [self.wrap(line, widths[2], size) for line in lines[1:]]
                laid.append((label, blocks, description))
                height += max(len(description), sum(len(b) for b in blocks)) + 0.6
        if not self.room(height):
            self.new_page()
        for column, title in zip(columns, table.header, strict=True):
            self.draw(column, self.y, bold_text(title), size)
        self.y += 1.6 * self.pitch
        for row_index, (label, blocks, description) in enumerate(laid):
            top = self.y
            for index, line in enumerate(label):
                self.draw(columns[0], top + index * self.pitch, line, size)
            bottom = top + len(label) * self.pitch
            for index, line in enumerate(description):
                self.draw(columns[1], top + index * self.pitch, line, size)
            bottom = max(bottom, top + len(description) * self.pitch)
            column = columns[1] if table.kind == "table2" else columns[2]
            width = widths[1] if table.kind == "table2" else widths[2]
            y = top
            for block_index, block in enumerate(blocks):
                if (row_index, block_index) in table.highlight:
                    self.pdf.set_fill_color(255, 236, 150)
                    self.pdf.rect(
                        column - 1, y - 0.8 * self.pitch, width + 2, len(block) * self.pitch, "F"
                    )
                for line in block:
                    self.draw(column, y, line, size)
                    y += self.pitch
                if table.kind == "table2":
                    y += 0.4 * self.pitch  # each option of Table 2 is a row of its own
            self.y = max(bottom, y) + 0.6 * self.pitch
        self.y += 0.4 * self.pitch


def to_pdf(truth: FactsheetTruth, path: Path) -> Path:
    """Write the factsheet as an A4 PDF to ``path``; returns ``path``."""
    preferred = float(truth.layout.get("pdf_body", 10.0))
    for body in (preferred, 10.0, 9.5, 10.5, 9.0, 11.0):
        writer = _PdfWriter(truth, body)
        if writer.plan():
            break
    writer.new_page(running=False)
    for element in document_elements(truth):
        if isinstance(element, Heading):
            writer.heading(element.rank, element.text)
        elif isinstance(element, Paragraph):
            writer.paragraph(element.runs)
        elif isinstance(element, Item):
            marker = element.text.split(" ", 1)[0]
            indent = writer.width(marker + " ", False, writer.body)
            writer.paragraph(plain_text(element.text), indent=4.0, hanging=indent)
        elif isinstance(element, PageBreak):
            writer.new_page()
        elif element.kind == "table1":
            writer.table1(element)
        else:
            writer.simple_table(element)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.pdf.output(str(path))
    return path
