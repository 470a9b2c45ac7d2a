"""Markdown (as converted from published PDFs) into the document tree.

Handles what converters leave behind: HTML tags inside table cells (``<b>``, ``<br>``, ``<p>``),
entities, backslash escapes, links, footnote markers, hard line breaks, and tables split into
several Markdown tables. Block structure is read line by line; inline markup becomes runs that
remember bold text.
"""

from __future__ import annotations

import html
import re

from policyqa.ingest.structure import (
    CellNode,
    HeadingNode,
    ListItemNode,
    Node,
    ParagraphNode,
    RowNode,
    Run,
    TableNode,
)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_LINE = re.compile(r"^\s*\|")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")

# Inline tokens, tried in order at each position.
_INLINE = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<link>\[(?P<link_text>(?:\\.|[^\]\\])*)\]\((?P<link_url>[^)\s]*)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<autolink><(?P<autolink_url>(?:https?|ftp|mailto):[^>\s]+)>)"
    r"|(?P<sup><sup>(?P<sup_text>.*?)</sup>)"
    r"|(?P<bold_on><(?:b|strong)>)"
    r"|(?P<bold_off></(?:b|strong)>)"
    r"|(?P<tag></?[a-zA-Z][^>]*>)"
    r"|(?P<strong>\*\*|__(?=\S))"
    r"|(?P<entity>&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)",
    re.IGNORECASE,
)


def parse_inline(text: str, bold: bool = False) -> list[Run]:
    """Turn inline Markdown and HTML into runs of plain text that remember bold."""
    runs: list[Run] = []
    buffer: list[str] = []
    html_bold = 0
    md_bold = False

    def flush() -> None:
        if buffer:
            runs.append(Run("".join(buffer), bold or md_bold or html_bold > 0))
            buffer.clear()

    position = 0
    for match in _INLINE.finditer(text):
        buffer.append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if match.group("escape"):
            buffer.append(match.group("escape")[1])
        elif match.group("image"):
            continue
        elif match.group("link"):
            flush()
            runs.extend(parse_inline(match.group("link_text"), bold or md_bold or html_bold > 0))
        elif match.group("autolink"):
            buffer.append(match.group("autolink_url"))
        elif match.group("sup"):
            buffer.append(re.sub(r"<[^>]+>", "", match.group("sup_text")))
        elif match.group("bold_on"):
            flush()
            html_bold += 1
        elif match.group("bold_off"):
            flush()
            html_bold = max(0, html_bold - 1)
        elif match.group("tag"):
            continue
        elif match.group("strong"):
            flush()
            md_bold = not md_bold
        elif match.group("entity"):
            buffer.append(html.unescape(match.group("entity")))
        else:  # pragma: no cover - every group is handled above
            raise AssertionError(kind)
    buffer.append(text[position:])
    flush()
    return [run for run in runs if run.text]


_CELL_LINE_BREAK = re.compile(r"<br\s*/?>|</p>|<p(?:\s[^>]*)?>", re.IGNORECASE)


def parse_cell(raw: str) -> CellNode:
    """A table cell: ``<br>`` and ``<p>`` separate its lines (one category per line)."""
    lines = [parse_inline(piece) for piece in _CELL_LINE_BREAK.split(raw)]
    return CellNode([line for line in lines if "".join(run.text for run in line).strip()])


def _split_row(line: str) -> list[str]:
    """Split a table line into raw cells on unescaped pipes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for char in body:
        if escaped:
            current.append("|" if char == "|" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    cells.append("".join(current))
    return cells


def _parse_table(lines: list[str]) -> TableNode:
    header: RowNode | None = None
    body = lines
    if len(lines) >= 2 and _TABLE_SEPARATOR.match(lines[1]):
        header = RowNode([parse_cell(cell) for cell in _split_row(lines[0])])
        body = lines[2:]
    rows = [RowNode([parse_cell(cell) for cell in _split_row(line)]) for line in body]
    return TableNode(rows=rows, header=header)


def parse_markdown(source: str) -> list[Node]:
    """Parse Markdown into document-tree nodes."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nodes: list[Node] = []
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            # hard line breaks ("two spaces" or a backslash at the end) become spaces
            text = " ".join(line.strip().removesuffix("\\") for line in paragraph)
            runs = parse_inline(text)
            if runs:
                nodes.append(ParagraphNode(runs))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            flush_paragraph()
            index += 1
            continue
        fence_match = _FENCE.match(line)
        if fence_match:
            flush_paragraph()
            fence = fence_match.group(1)
            code: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                code.append(lines[index])
                index += 1
            index += 1
            if any(part.strip() for part in code):
                nodes.append(ParagraphNode([Run("\n".join(code))]))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush_paragraph()
            nodes.append(HeadingNode(parse_inline(heading.group(2)), rank=len(heading.group(1))))
            index += 1
            continue
        if _RULE.match(line):
            flush_paragraph()
            index += 1
            continue
        if _TABLE_LINE.match(line):
            flush_paragraph()
            table_lines: list[str] = []
            while index < len(lines) and _TABLE_LINE.match(lines[index]):
                table_lines.append(lines[index])
                index += 1
            nodes.append(_parse_table(table_lines))
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush_paragraph()
            nodes.append(ListItemNode(parse_inline(item.group(1))))
            index += 1
            continue
        paragraph.append(line)
        index += 1
    flush_paragraph()
    return nodes
