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
from policyqa.ingest.pdf.layout import Metrics, drop_running_lines, measure
from policyqa.ingest.pdf.reader import load_pages
from policyqa.ingest.pdf.rows import table_node
from policyqa.ingest.pdf.tables import Table, continues_table, merge_tables, page_items
from policyqa.ingest.pdf.text import Unit, flow_units, unit_node
from policyqa.ingest.structure import Node


def _document_items(pages: Sequence[Page], metrics: Metrics) -> list[Line | Table | Node]:
    """Lines, tables (joined across pages) and fallback paragraphs in reading order."""
    items: list[Line | Table | Node] = []
    for page in pages:
        if page.fallback:
            items.extend(page.fallback)
            continue
        on_page = page_items(page, metrics)
        if on_page and items:
            previous, first = items[-1], on_page[0]
            if (
                isinstance(previous, Table)
                and isinstance(first, Table)
                and continues_table(previous, first, metrics)
            ):
                merge_tables(previous, first, metrics)
                on_page = on_page[1:]
        items.extend(on_page)
    return items


def _nodes(items: Sequence[Line | Table | Node], metrics: Metrics) -> list[Node]:
    # gather running-text lines into units, keeping tables and fallback nodes in place
    sequence: list[Unit | Table | Node] = []
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
