"""Ruled tables: the cells pdfplumber finds from a page's ruling lines, filled with its lines.

Where a page draws its table's rules (or cell backgrounds), the cells are known exactly, so no
gap or width has to be guessed: every glyph goes to the cell that contains it, a cell's lines
become items (one bold category per line, wrapped lines kept together, as in ``rows``), and a
table continued on the next page is joined to it, the columns matched by their x-position, the
rows it repeats at the top of each page (a header, or Table 1's "Policy type / Policy name")
dropped. A row that a page break cut keeps its two parts as two rows; ``structure`` joins the
part without a label to the row above, and rejoins a sentence split between them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from policyqa.ingest.pdf.geometry import (
    MAX_HEADER_WORDS,
    MAX_REPEATED_ROWS,
    Glyph,
    Line,
    Segment,
)
from policyqa.ingest.pdf.layout import Metrics
from policyqa.ingest.pdf.rows import cell_items, wraps
from policyqa.ingest.pdf.text import join_lines
from policyqa.ingest.structure import CellNode, RowNode, TableNode

_TERMINAL = (".", "!", "?", ":", ";")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom; y grows downwards


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table as found on one page: its box, column edges and each row's cell boxes."""

    bbox: Box
    columns: tuple[float, ...]  # left edge of each grid column
    rows: tuple[tuple[Box | None, ...], ...]  # None: covered by a cell spanning from the left

    def holds(self, line: Line) -> bool:
        """True when the line's baseline lies inside the table's box."""
        x0, top, x1, bottom = self.bbox
        return top <= line.y <= bottom and x0 - 1 <= line.x0 <= x1


@dataclass(slots=True)
class GridRow:
    """One row of a ruled table: each column's lines (segments), and the page it is on."""

    cells: list[list[Segment]]
    page: int
    first_on_page: bool
    edges: list[float]  # the right edge text may reach in each column

    def texts(self) -> tuple[str, ...]:
        return tuple(
            " ".join(" ".join(s.text for s in cell).split()).casefold().rstrip(".:;,")
            for cell in self.cells
        )


@dataclass(slots=True)
class GridTable:
    """A ruled table's rows, possibly over several pages; ``columns``: the left edges."""

    columns: list[float]
    rows: list[GridRow] = field(default_factory=list)


def _cell_index(row: tuple[Box | None, ...], x: float) -> int | None:
    for index, box in enumerate(row):
        if box is not None and box[0] - 1 <= x <= box[2] + 1:
            return index
    return None


def fill_grid(grid: Grid, lines: list[Line], page: int) -> GridTable:
    """Put every glyph of ``lines`` into the cell of ``grid`` that contains it."""
    rows = [
        GridRow([[] for _ in grid.columns], page, index == 0, [0.0 for _ in grid.columns])
        for index in range(len(grid.rows))
    ]
    for line in lines:
        row_index = next(
            (
                index
                for index, boxes in enumerate(grid.rows)
                if any(box is not None and box[1] <= line.y <= box[3] for box in boxes)
            ),
            None,
        )
        if row_index is None:
            continue
        boxes = grid.rows[row_index]
        by_cell: dict[int, list[Glyph]] = {}
        for segment in line.segments:
            for glyph in segment.glyphs:
                cell = _cell_index(boxes, (glyph.x0 + glyph.x1) / 2)
                if cell is not None:
                    by_cell.setdefault(cell, []).append(glyph)
        for cell, glyphs in by_cell.items():
            row = rows[row_index]
            box = boxes[cell]
            if box is not None and not row.cells[cell]:
                # text may reach as far from the right rule as it starts from the left one
                row.edges[cell] = box[2] - (glyphs[0].x0 - box[0])
            row.cells[cell].append(Segment(glyphs, page, line.y))
    return GridTable(list(grid.columns), [row for row in rows if any(row.cells)])


def continues_grid(previous: GridTable, table: GridTable, tolerance: float) -> bool:
    """True when ``table``, first on its page, goes on with ``previous``: the same left edge,
    and the columns of the narrower one among the other's (a page may lack a column)."""
    shorter, longer = sorted((previous.columns, table.columns), key=len)
    if not shorter or abs(shorter[0] - longer[0]) > tolerance:
        return False
    if len(shorter) == len(longer):
        return True  # the same columns, perhaps of other widths on this page
    return all(any(abs(a - b) <= tolerance for b in longer) for a in shorter)


def merge_grids(previous: GridTable, table: GridTable, tolerance: float) -> None:
    """Append ``table``'s rows to ``previous``, each cell in the column at its x-position."""
    if len(table.columns) == len(previous.columns):
        previous.rows.extend(table.rows)  # matched by order: widths may differ between pages
        return
    for column in table.columns:
        if not any(abs(column - known) <= tolerance for known in previous.columns):
            index = sum(1 for known in previous.columns if known < column)
            previous.columns.insert(index, column)
            for row in previous.rows:
                row.cells.insert(index, [])
                row.edges.insert(index, 0.0)
    for row in table.rows:
        cells: list[list[Segment]] = [[] for _ in previous.columns]
        edges = [0.0 for _ in previous.columns]
        for column, cell, edge in zip(table.columns, row.cells, row.edges, strict=True):
            index = min(
                range(len(previous.columns)), key=lambda i: abs(previous.columns[i] - column)
            )
            cells[index].extend(cell)
            edges[index] = max(edges[index], edge)
        previous.rows.append(GridRow(cells, row.page, row.first_on_page, edges))


def _is_header(row: GridRow, rows: list[GridRow]) -> bool:
    """A first row of short bold titles above rows with regular text."""
    filled = [cell for cell in row.cells if cell]
    if len(filled) < 2 or not all(segment.bold for cell in filled for segment in cell):
        return False
    if any(len(" ".join(s.text for s in cell).split()) > MAX_HEADER_WORDS for cell in filled):
        return False
    return any(not s.bold for other in rows[1:] for cell in other.cells for s in cell)


def _filled(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text for text in texts if text)


def _drop_repeats(rows: list[GridRow], header: GridRow | None) -> list[GridRow]:
    """Drop the rows a table repeats on each page it runs over: its header, or its leading rows
    ("Policy type" and "Policy name" of Table 1), at the top of a page or at its bottom."""
    repeated = {_filled(row.texts()) for row in rows[:MAX_REPEATED_ROWS] if any(row.cells)}
    if header is not None:
        repeated.add(_filled(header.texts()))
    parts: list[list[GridRow]] = []
    for row in rows:
        if parts and parts[-1][0].page == row.page:
            parts[-1].append(row)
        else:
            parts.append([row])
    out: list[GridRow] = []
    for index, part in enumerate(parts):
        start, end = 0, len(part)
        if index > 0:
            while start < end and _filled(part[start].texts()) in repeated:
                start += 1
        if len(parts) > 1:
            while end > start + (0 if index > 0 else MAX_REPEATED_ROWS) and (
                _filled(part[end - 1].texts()) in repeated
            ):
                end -= 1
        out.extend(part[start:end])
    return out


def _join_cut_rows(rows: list[GridRow]) -> list[GridRow]:
    """Join the rest of a row that a page break cut to its first part.

    The first row kept on a page continues the last row of the page before when its label cell
    is empty and only its last column holds text: the values of a row (or sub-row) whose label
    and sub-label stayed behind (a row with a sub-label of its own is a new sub-row). It also
    does when the row before has no label and a sentence of its cells goes on in this row: the
    label was set on the new page.
    """
    out: list[GridRow] = []
    for row in rows:
        previous = out[-1] if out else None
        filled = [index for index, cell in enumerate(row.cells) if cell]
        rest_only = filled == [len(row.cells) - 1] and len(row.cells) >= 2
        label_moved = bool(
            row.cells[0]
            and previous is not None
            and not previous.cells[0]
            and any(_goes_on(previous.cells[i], row.cells[i]) for i in range(1, len(row.cells)))
        )
        if previous is not None and row.page != previous.page and (rest_only or label_moved):
            if label_moved:
                previous.cells[0] = []
            for index, cell in enumerate(row.cells):
                previous.cells[index].extend(cell)
                previous.edges[index] = max(previous.edges[index], row.edges[index])
            continue
        out.append(row)
    return out


def _goes_on(above: list[Segment], below: list[Segment]) -> bool:
    """True when the text of ``below`` is the rest of a sentence ``above`` left unfinished."""
    if not above or not below:
        return False
    last, first = above[-1], below[0]
    return (
        last.bold == first.bold
        and not last.text.rstrip().endswith(_TERMINAL)
        and first.text[:1].islower()
    )


def _spaced_items(segments: list[Segment], edge: float, metrics: Metrics) -> list[list[Segment]]:
    """A cell's lines on one page as items. A cell that sets items of one weight apart by a
    paragraph gap (as HTML paragraphs are) makes every gap, and every change of weight, an item
    boundary, and lines at the normal pitch wrapped lines; otherwise ``rows.cell_items`` decides
    by width, as for cells that stack one category per line."""
    pairs = list(itertools.pairwise(segments))
    spaced = any(
        above.bold == below.bold and below.y - above.y > metrics.wrap_gap for above, below in pairs
    )
    if not spaced:
        return cell_items(segments, edge, metrics)
    items: list[list[Segment]] = [segments[:1]] if segments else []
    for above, below in pairs:
        if above.bold != below.bold or below.y - above.y > metrics.wrap_gap:
            items.append([below])
        else:
            items[-1].append(below)
    return items


def _page_cell_items(segments: list[Segment], edge: float, metrics: Metrics) -> list[list[Segment]]:
    """A cell's items page by page; an item a page break cut is rejoined: mid-sentence (no full
    stop before the break, lower case after it), or after a full line."""
    items: list[list[Segment]] = []
    for page in sorted({segment.page for segment in segments}):
        part = _spaced_items([s for s in segments if s.page == page], edge, metrics)
        if items and part:
            above, below = items[-1][-1], part[0][0]
            # the sentence visibly goes on, or the line before the break was full
            if _goes_on(items[-1], part[0]) or (
                above.bold == below.bold and wraps(above, below, edge)
            ):
                items[-1].extend(part.pop(0))
        items.extend(part)
    return items


def grid_node(table: GridTable, metrics: Metrics) -> TableNode:
    """The ruled table as a ``TableNode``: header found, repeats dropped, cells into items."""
    rows = table.rows
    header = rows[0] if rows and _is_header(rows[0], rows) else None
    body = _join_cut_rows(_drop_repeats(rows[1:] if header else rows, header))

    def row_node(row: GridRow) -> RowNode:
        # the label cell is one item however it wraps; other cells hold one item per category
        cells = [CellNode([join_lines(row.cells[0], metrics)] if row.cells[0] else [])]
        for cell, edge in zip(row.cells[1:], row.edges[1:], strict=True):
            items = _page_cell_items(cell, edge, metrics)
            cells.append(CellNode([join_lines(item, metrics) for item in items]))
        return RowNode(cells)

    return TableNode(
        rows=[row_node(row) for row in body], header=row_node(header) if header else None
    )
