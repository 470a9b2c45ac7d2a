"""Tables, detected: which lines of a page are laid out in columns.

A line whose segments start at two or more x positions opens a table; lines aligned with its
columns continue it (a sub-row line without its row label may open the sub-label column), and
value-column lines opening a page continue a cell from the page before. A table continued on the
next page is joined to it, columns matched by their left edges. ``rows`` then reads the table's
rows and cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.ingest.pdf.geometry import TABLE_REACH, Line, Page
from policyqa.ingest.pdf.layout import Metrics


@dataclass(slots=True)
class Table:
    """Lines laid out in columns; ``columns`` are the columns' left edges."""

    columns: list[float]
    extents: list[float]  # right-most x reached by text in each column
    lines: list[Line]

    def column_of(self, x: float, tolerance: float) -> int | None:
        """The column starting at ``x``, if any."""
        for index, column in enumerate(self.columns):
            if abs(column - x) <= tolerance:
                return index
        return None

    def add(self, line: Line, tolerance: float, front: bool = False) -> None:
        for segment in line.segments:
            index = self.column_of(segment.x0, tolerance)
            if index is None:
                index = self._new_column(segment.x0)
            self.extents[index] = max(self.extents[index], segment.x1)
        if front:
            self.lines.insert(0, line)
        else:
            self.lines.append(line)

    def _new_column(self, x: float) -> int:
        index = sum(1 for column in self.columns if column < x)
        self.columns.insert(index, x)
        self.extents.insert(index, x)
        return index

    def accepts(self, line: Line, following: Line | None, metrics: Metrics) -> bool:
        """True when the line's segments start at the table's columns (or open one)."""
        gap = line.y - self.lines[-1].y
        if gap > TABLE_REACH * metrics.pitch:
            return False
        tolerance = metrics.tolerance
        if len(line.segments) == 1 and self.column_of(line.x0, tolerance) == 0:
            # a label-only line: a wrapped label, or a label set above its row's first value
            # line; running text after the table would go on below it instead
            return gap <= metrics.wrap_gap or (
                following is not None
                and following.y - line.y <= metrics.pitch
                and (self.column_of(following.x0, tolerance) or 0) > 0
            )
        unknown = [s for s in line.segments if self.column_of(s.x0, tolerance) is None]
        if not unknown:
            return True
        if len(line.segments) < 2:
            return False
        if self.column_of(line.x0, tolerance) != 0 and (
            line.x0 <= self.columns[0] or len(unknown) == len(line.segments)
        ):
            # a line that starts inside the table (a sub-row continued without its row label)
            # may open a column only when another of its segments sits on a known column
            return False
        # a new column may open only where the text of no existing column reaches
        for segment in unknown:
            left = [i for i, column in enumerate(self.columns) if column < segment.x0]
            right = [column for column in self.columns if column > segment.x0]
            if any(self.extents[i] > segment.x0 for i in left):
                return False
            if right and segment.x1 > min(right):
                return False
        return True


def page_items(page: Page, metrics: Metrics) -> list[Line | Table]:
    """The page's lines in reading order, with table lines gathered into tables."""
    items: list[Line | Table] = []
    table: Table | None = None
    lines = page.lines
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if table is not None:
            if table.accepts(line, following, metrics):
                table.add(line, metrics.tolerance)
                continue
            table = None
        if len(line.segments) < 2:
            items.append(line)
            continue
        table = Table([], [], [])
        table.add(line, metrics.tolerance)
        # value-column lines opening the page continue a cell from the previous page
        if items and all(isinstance(item, Line) for item in items):
            opening = [item for item in items if isinstance(item, Line)]
            if _continue_cell(opening, table, metrics):
                for opening_line in reversed(opening):
                    table.add(opening_line, metrics.tolerance, front=True)
                items = []
        items.append(table)
    return items


def _continue_cell(lines: Sequence[Line], table: Table, metrics: Metrics) -> bool:
    """True when all the lines sit in a value column of the table, closely stacked above it."""
    top = table.lines[0].y
    for line in reversed(lines):
        column = table.column_of(line.x0, metrics.tolerance)
        if len(line.segments) != 1 or not column or top - line.y > 2 * metrics.pitch:
            return False
        top = line.y
    return True


def continues_table(previous: Table, table: Table, metrics: Metrics) -> bool:
    """True when ``table`` at the top of a page continues ``previous`` from the page before.

    Both start at the same left edge and every column of the one with fewer columns is a column
    of the other: a page of the table may use only some of its columns (a page without sub-rows
    has no sub-label column).
    """
    shorter, longer = sorted((previous.columns, table.columns), key=len)
    if not shorter or abs(shorter[0] - longer[0]) > metrics.tolerance:
        return False
    return all(any(abs(a - b) <= metrics.tolerance for b in longer) for a in shorter)


def merge_tables(previous: Table, table: Table, metrics: Metrics) -> None:
    """Append ``table``'s lines to ``previous``, matching columns by their left edges."""
    for column, extent in zip(table.columns, table.extents, strict=True):
        index = previous.column_of(column, metrics.tolerance)
        if index is None:
            index = previous._new_column(column)
        previous.extents[index] = max(previous.extents[index], extent)
    previous.lines.extend(table.lines)
