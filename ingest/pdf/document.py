"""``read_pdf``: a PDF file into document-tree nodes, the package's steps in order.

Pages are loaded (``reader``), running headers and footers dropped and the document measured
(``layout``); each page's lines are gathered into tables, joined across pages (``tables``), and
running text and tables become nodes (``text``, ``rows``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from policyqa.errors import EmptyDocumentError
from policyqa.ingest.pdf.geometry import Line, Page
from policyqa.ingest.pdf.grids import GridTable, continues_grid, fill_grid, grid_node, merge_grids
from policyqa.ingest.pdf.layout import Metrics, drop_running_lines, measure
from policyqa.ingest.pdf.reader import load_pages
from policyqa.ingest.pdf.rows import table_node
from policyqa.ingest.pdf.tables import Table, continues_table, merge_tables, page_items
from policyqa.ingest.pdf.text import Unit, flow_units, unit_node
from policyqa.ingest.structure import Node

Item = Line | Table | GridTable | Node


def _page_items(page: Page, metrics: Metrics) -> list[Line | Table | GridTable]:
    """The page's lines and tables in reading order: ruled tables (``grids``) filled with the
    lines inside them, the other lines read by ``tables``."""
    if not page.grids:
        return list(page_items(page, metrics))
    items: list[Line | Table | GridTable] = []
    pending: list[Line] = []
    held: dict[int, list[Line]] = {}
    placed: list[tuple[int, int]] = []  # (position in items, grid index)

    def flush() -> None:
        if pending:
            stretch = Page(page.number, page.height, list(pending), [])
            items.extend(page_items(stretch, metrics))
            pending.clear()

    for line in page.lines:
        grid = next((i for i, g in enumerate(page.grids) if g.holds(line)), None)
        if grid is None:
            pending.append(line)
            continue
        flush()
        if grid not in held:
            held[grid] = []
            placed.append((len(items), grid))
            items.append(Line([], page.number, line.y, line.size))  # a placeholder
        held[grid].append(line)
    flush()
    for position, grid in placed:
        items[position] = fill_grid(page.grids[grid], held[grid], page.number)
    return items


def _joined_grids(
    items: list[Line | Table | GridTable], metrics: Metrics
) -> list[Line | Table | GridTable]:
    """Join a ruled table to the one right before it on the page when they share columns (the
    rows a table repeats at a page's bottom may be drawn as a table of their own)."""
    out: list[Line | Table | GridTable] = []
    for item in items:
        previous = out[-1] if out else None
        if (
            isinstance(item, GridTable)
            and isinstance(previous, GridTable)
            and continues_grid(previous, item, metrics.tolerance)
        ):
            merge_grids(previous, item, metrics.tolerance)
            continue
        out.append(item)
    return out


def _document_items(pages: Sequence[Page], metrics: Metrics) -> list[Item]:
    """Lines, tables (joined across pages) and fallback paragraphs in reading order."""
    items: list[Item] = []
    for page in pages:
        if page.fallback:
            items.extend(page.fallback)
            continue
        on_page = _joined_grids(_page_items(page, metrics), metrics)
        if on_page and items:
            previous, first = items[-1], on_page[0]
            if (
                isinstance(previous, Table)
                and isinstance(first, Table)
                and continues_table(previous, first, metrics)
            ):
                merge_tables(previous, first, metrics)
                on_page = on_page[1:]
            elif (
                isinstance(previous, GridTable)
                and isinstance(first, GridTable)
                and continues_grid(previous, first, metrics.tolerance)
            ):
                merge_grids(previous, first, metrics.tolerance)
                on_page = on_page[1:]
        items.extend(on_page)
    return items


def _nodes(items: Sequence[Item], metrics: Metrics) -> list[Node]:
    # gather running-text lines into units, keeping tables and fallback nodes in place
    sequence: list[Unit | Table | GridTable | Node] = []
    pending: list[Line] = []
    for item in [*items, None]:
        if isinstance(item, Line):
            pending.append(item)
            continue
        if pending:
            sequence.extend(flow_units(pending, metrics))
            pending = []
        if item is not None:
            sequence.append(item)
    nodes: list[Node] = []
    for index, entry in enumerate(sequence):
        if isinstance(entry, Unit):
            following = sequence[index + 1] if index + 1 < len(sequence) else None
            next_is_text = isinstance(following, Unit) and following.kind != "heading"
            nodes.append(unit_node(entry, metrics, next_is_text))
        elif isinstance(entry, Table):
            nodes.append(table_node(entry, metrics))
        elif isinstance(entry, GridTable):
            nodes.append(grid_node(entry, metrics))
        else:
            nodes.append(entry)
    return nodes


def read_pdf(path: Path) -> list[Node]:
    """Parse a PDF into document-tree nodes; every Run carries its 1-based page number."""
    path = Path(path)
    pages = load_pages(path)
    if not pages:
        raise EmptyDocumentError(str(path), "the PDF has no pages")
    if not any(page.lines or page.fallback for page in pages):
        raise EmptyDocumentError(
            str(path), "no page has extractable text (a scanned PDF without a text layer?)"
        )
    drop_running_lines(pages)
    metrics = measure(pages)
    return _nodes(_document_items(pages, metrics), metrics)
