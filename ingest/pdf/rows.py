"""A detected table into rows and cells, and those into a ``TableNode``.

Each column is cut into blocks of closely spaced lines. Rows start at each label-column cell or
after a row gap; a first row of short bold titles is the table's header. The rows a table
repeats at the top of each page (a header, or Table 1's "Policy type / Policy name") are
dropped, and a row whose label went to the next page is joined to the cells it labels. The lines
of a cell become separate items (one bold category per line) unless one is the wrapped
continuation of the other, decided by width: a line wrapped when the next line's first word
would not have fitted after it.

Rows and cell items are found from vertical gaps and line widths alone (no ruling lines), tuned
on WeasyPrint's table layout.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from policyqa.ingest.pdf.geometry import (
    MAX_HEADER_WORDS,
    MAX_REPEATED_ROWS,
    ROW_REACH,
    Segment,
)
from policyqa.ingest.pdf.layout import Metrics
from policyqa.ingest.pdf.tables import Table
from policyqa.ingest.pdf.text import join_lines
from policyqa.ingest.structure import CellNode, RowNode, TableNode


@dataclass(slots=True)
class _Block:
    """Consecutive lines of one column with normal line spacing."""

    column: int
    segments: list[Segment]

    @property
    def page(self) -> int:
        return self.segments[0].page

    @property
    def top(self) -> float:
        return self.segments[0].y

    @property
    def bottom(self) -> float:
        return self.segments[-1].y


@dataclass(slots=True)
class _Row:
    cells: list[list[Segment]]
    page: int
    bottom: float
    first_on_page: bool

    @property
    def label(self) -> list[Segment]:
        return self.cells[0]

    def texts(self) -> tuple[str, ...]:
        return tuple(_norm(" ".join(segment.text for segment in cell)) for cell in self.cells)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".:;,")


def _blocks(table: Table, metrics: Metrics) -> list[_Block]:
    """Cut each column into blocks: a larger gap, a page break or a new row starts a new one."""
    blocks: list[_Block] = []
    open_blocks: dict[int, _Block] = {}
    for line in table.lines:
        by_column: dict[int, list[Segment]] = {}
        for segment in line.segments:
            index = table.column_of(segment.x0, metrics.tolerance)
            if index is None:  # inside a column (indented text): the column to its left
                index = max(0, sum(1 for c in table.columns if c <= segment.x0) - 1)
            by_column.setdefault(index, []).append(segment)
        for index in sorted(by_column):
            pieces = by_column[index]
            segment = pieces[0]
            if len(pieces) > 1:
                glyphs = [glyph for piece in pieces for glyph in piece.glyphs]
                segment = Segment(glyphs, segment.page, segment.y)
            block = open_blocks.get(index)
            if (
                block is not None
                and block.page == segment.page
                and segment.y - block.bottom <= metrics.wrap_gap
            ):
                block.segments.append(segment)
            else:
                block = open_blocks[index] = _Block(index, [segment])
                blocks.append(block)
    return blocks


def _rows(table: Table, blocks: list[_Block], metrics: Metrics) -> list[_Row]:
    """Rows start at each label cell, and at cells that start a row gap below the row above."""
    rows: list[_Row] = []
    width = len(table.columns)
    for block in blocks:
        row = rows[-1] if rows else None
        joins = (
            row is not None
            and row.page == block.page
            and block.top - row.bottom <= ROW_REACH * metrics.pitch
            and not (block.column == 0 and row.label)
        )
        if row is None or not joins:
            first = row is None or row.page != block.page
            row = _Row([[] for _ in range(width)], block.page, block.top, first)
            rows.append(row)
        row.cells[block.column].extend(block.segments)
        row.bottom = max(row.bottom, block.bottom)
    return rows


def wraps(previous: Segment, following: Segment, edge: float) -> bool:
    """True when the first word of ``following`` would not have fitted after ``previous``."""
    return previous.x1 + previous.space + following.first_word_width > edge


def _header(rows: list[_Row]) -> _Row | None:
    """A first row of short bold titles above rows with regular text in their value columns."""
    if not rows or not rows[0].label:
        return None
    filled = [cell for cell in rows[0].cells if cell]
    if len(filled) < 2 or not all(segment.bold for cell in filled for segment in cell):
        return None
    if any(len(" ".join(s.text for s in cell).split()) > MAX_HEADER_WORDS for cell in filled):
        return None  # a row of bold categories, not column titles
    regular = any(
        not segment.bold for row in rows[1:] for cell in row.cells[1:] for segment in cell
    )
    return rows[0] if regular else None


def _stitch_pages(rows: list[_Row], header: _Row | None, table: Table) -> list[_Row]:
    """Drop rows repeated at the top of a page; join a row whose label went to the next page.

    Published factsheets repeat a table's header, or its leading rows ("Policy type" and "Policy
    name" of Table 1), on every page the table runs over: those repeats are dropped, so the
    rows continued on the new page follow the rows they continue.
    """
    out: list[_Row] = []
    repeats_dropped: dict[int, int] = {}  # page -> leading rows already dropped on it
    for row in rows:
        previous = out[-1] if out else None
        if previous is None or previous.page == row.page:
            out.append(row)
            continue
        # ``row`` is, so far, the first row kept on its page
        if header is not None and row.texts() == header.texts():
            continue
        dropped = repeats_dropped.get(row.page, 0)
        if (
            row.label
            and dropped < min(MAX_REPEATED_ROWS, len(out))
            and out[dropped].page != row.page
            and row.texts() == out[dropped].texts()
        ):
            repeats_dropped[row.page] = dropped + 1
            continue
        if (
            row.label
            and not previous.label
            and not previous.first_on_page  # a row that started mid-page, not a continuation
            and any(
                previous.cells[i]
                and row.cells[i]
                and wraps(previous.cells[i][-1], row.cells[i][0], table.extents[i])
                for i in range(1, len(row.cells))
            )
        ):
            previous.cells[0] = row.cells[0]
            for index in range(1, len(row.cells)):
                previous.cells[index].extend(row.cells[index])
            previous.page, previous.bottom = row.page, row.bottom
            continue
        out.append(row)
    return out


def cell_items(segments: list[Segment], edge: float, metrics: Metrics) -> list[list[Segment]]:
    """Split a cell's lines into items: categories one per line, wrapped lines kept together.

    A line starts a new item after a paragraph gap, where bold starts or stops, or when the
    previous line broke although the first word of this one would have fitted after it. A line
    that could be a wrap but is bold like the previous one starts a new item when it is
    capitalised, or begins with a word that begins a clear item of the same cell (parallel
    wording: "existence of broader policies", "existence of specific sectoral policies").
    """
    if not segments:
        return []
    clear_start = [True]
    for above, below in itertools.pairwise(segments):
        clear_start.append(
            (above.page == below.page and below.y - above.y > metrics.wrap_gap)
            or above.bold != below.bold
            or not wraps(above, below, edge)
        )
    start_words = {s.first_word for s, clear in zip(segments, clear_start, strict=True) if clear}
    items: list[list[Segment]] = [[segments[0]]]
    for index in range(1, len(segments)):
        above, below = segments[index - 1], segments[index]
        parallel = (
            above.bold
            and below.bold
            and (below.text[:1].isupper() or below.first_word in start_words)
        )
        if clear_start[index] or parallel:
            items.append([below])
        else:
            items[-1].append(below)
    return items


def table_node(table: Table, metrics: Metrics) -> TableNode:
    """The table's rows (repeats dropped) and header, each cell's lines split into items."""
    rows = _rows(table, _blocks(table, metrics), metrics)
    header = _header(rows)
    rows = _stitch_pages(rows[1:] if header else rows, header, table)

    def row_node(row: _Row) -> RowNode:
        cells = [CellNode([join_lines(row.label, metrics)] if row.label else [])]
        for index in range(1, len(row.cells)):
            items = cell_items(row.cells[index], table.extents[index], metrics)
            cells.append(CellNode([join_lines(item, metrics) for item in items]))
        return RowNode(cells)

    return TableNode(
        rows=[row_node(row) for row in rows],
        header=row_node(header) if header else None,
    )
