"""The source-neutral document tree and its rendering into canonical text.

Every loader (Markdown, PDF, plain text) turns its file into the same small tree of nodes:
headings, paragraphs, list items and tables made of rows and cells, where every piece of text is a
run that knows whether it was bold and which page it came from. ``render`` then does, once for all
formats, what makes the text canonical:

- drops page banners that repeat across the document,
- merges paragraphs and table rows that a page break split in two,
- merges a table that continues on the next page, dropping its repeated leading rows,
- keeps every table row together with its label,
- assigns a section path (headings, table, row label) to every block,
- records each block's span, each table row's parts (label, sub-labels, bold categories, text)
  and each page's span in the canonical text.

Because the Markdown and the PDF of one factsheet become the same tree, they render to the same
canonical text and the same structure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policyqa.ingest.types import Block, BlockKind, PageSpan, Part, PartRole

# --- the tree ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """A piece of inline text with its style and page."""

    text: str
    bold: bool = False
    page: int | None = None


@dataclass(slots=True)
class HeadingNode:
    """A heading. ``rank`` orders heading sizes: 1 is the largest (Markdown ``#``)."""

    runs: list[Run]
    rank: int


@dataclass(slots=True)
class ParagraphNode:
    """A paragraph of running text."""

    runs: list[Run]


@dataclass(slots=True)
class ListItemNode:
    """One item of a bulleted or numbered list."""

    runs: list[Run]


@dataclass(slots=True)
class CellNode:
    """A table cell: a list of lines, each a paragraph inside the cell (e.g. one category)."""

    lines: list[list[Run]] = field(default_factory=list)


@dataclass(slots=True)
class RowNode:
    """A table row: its cells from left to right."""

    cells: list[CellNode]


@dataclass(slots=True)
class TableNode:
    """A table; ``header`` is its header row when the source marks one."""

    rows: list[RowNode]
    header: RowNode | None = None


Node = HeadingNode | ParagraphNode | ListItemNode | TableNode


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """Canonical text with its blocks and page spans."""

    text: str
    blocks: tuple[Block, ...]
    pages: tuple[PageSpan, ...]


# --- text helpers -------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TERMINAL = tuple(".!?:;")
_TABLE_CAPTION = re.compile(r"^(Table\s+\d+[A-Za-z]?)\s*[-–—:.]\s*\S")
_SOURCE_CAPTION = re.compile(r"^Sources?\s*:", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_REFERENCE_HEADINGS = {"references", "bibliography", "sources", "literature", "reference list"}
_CONTENTS_HEADINGS = {"content", "contents", "table of contents"}
_DOT_LEADER = re.compile(r"\.{4,}")


def runs_text(runs: Iterable[Run]) -> str:
    """The plain text of runs, whitespace collapsed."""
    return _SPACES.sub(" ", "".join(run.text for run in runs)).strip()


def normalise_runs(runs: Sequence[Run]) -> list[Run]:
    """Collapse whitespace inside and between runs; drop empty runs; trim the ends."""
    out: list[Run] = []
    for run in runs:
        text = _SPACES.sub(" ", run.text.replace("\n", " "))
        if not text:
            continue
        if out and out[-1].bold == run.bold and out[-1].page == run.page:
            out[-1] = Run(out[-1].text + text, run.bold, run.page)
        else:
            out.append(Run(text, run.bold, run.page))
    # collapse a space that straddles two runs
    for index in range(1, len(out)):
        if out[index - 1].text.endswith(" ") and out[index].text.startswith(" "):
            out[index] = Run(out[index].text.lstrip(" "), out[index].bold, out[index].page)
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].page)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].page)
    return [run for run in out if run.text]


def join_runs(left: list[Run], right: list[Run]) -> list[Run]:
    """Join two pieces of one sentence that a line or page break separated."""
    if not left:
        return list(right)
    if not right:
        return list(left)
    glue = Run(" ", left[-1].bold and right[0].bold, right[0].page)
    return normalise_runs([*left, glue, *right])


def _is_bold(runs: Sequence[Run]) -> bool:
    """True when most of the visible characters of the runs are bold."""
    bold = sum(len(run.text.strip()) for run in runs if run.bold)
    total = sum(len(run.text.strip()) for run in runs)
    return total > 0 and bold * 2 > total


def _norm_key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _continues(left: list[Run], right: list[Run]) -> bool:
    """True when ``right`` is the rest of a sentence that ``left`` left unfinished."""
    left_text, right_text = runs_text(left), runs_text(right)
    if not left_text or not right_text:
        return False
    if left_text.endswith(_TERMINAL) or _is_bold(left) != _is_bold(right):
        return False
    return right_text[0].islower()


# --- tree clean-up ------------------------------------------------------------------------------


def _drop_banners(nodes: list[Node], min_repeats: int = 3) -> list[Node]:
    """Drop short paragraphs that repeat across the document: page banners and slogans.

    A banner is detected by repetition, not by its wording. Lines with digits are kept: a
    repeated caption such as "Source: ECCP (2023)" is content, and banners with page numbers are
    removed by position in the PDF loader.
    """
    counts = Counter(
        _norm_key(runs_text(node.runs)) for node in nodes if isinstance(node, ParagraphNode)
    )

    def is_banner(node: Node) -> bool:
        if not isinstance(node, ParagraphNode):
            return False
        text = runs_text(node.runs)
        key = _norm_key(text)
        return (
            counts[key] >= min_repeats
            and len(text.split()) <= 15
            and not any(char.isdigit() for char in text)
        )

    return [node for node in nodes if not is_banner(node)]


def _row_key(row: RowNode) -> tuple[str, ...]:
    return tuple(_norm_key(" ".join(runs_text(line) for line in cell.lines)) for cell in row.cells)


def _first_cell_text(row: RowNode) -> str:
    return " ".join(runs_text(line) for line in row.cells[0].lines) if row.cells else ""


def _merge_continued_tables(nodes: list[Node]) -> list[Node]:
    """Merge a table with the next one when the next repeats its leading rows (a page break).

    Published factsheets repeat the "Policy type / Policy name" rows on every page of Table 1;
    the repeats are dropped so the table reads as one.
    """
    out: list[Node] = []
    for node in nodes:
        previous = out[-1] if out else None
        if isinstance(node, TableNode) and isinstance(previous, TableNode) and node.rows:
            leading = [_row_key(row) for row in previous.rows[:3]]
            first_key = _row_key(node.rows[0])
            if leading and _row_key_matches(first_key, leading[0]):
                rows = list(node.rows)
                for key in leading:
                    if rows and _row_key_matches(_row_key(rows[0]), key):
                        rows.pop(0)
                previous.rows.extend(rows)
                continue
        out.append(node)
    return out


def _row_key_matches(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Rows match when their non-empty cells agree (a continuation may add an empty column)."""
    return [cell for cell in left if cell] == [cell for cell in right if cell]


def _merge_split_paragraphs(nodes: list[Node]) -> list[Node]:
    """Join a paragraph that a page or column break split: it continues in lowercase."""
    out: list[Node] = []
    for node in nodes:
        previous = out[-1] if out else None
        if (
            isinstance(node, ParagraphNode)
            and isinstance(previous, ParagraphNode)
            and _continues(previous.runs, node.runs)
        ):
            previous.runs = join_runs(previous.runs, node.runs)
            continue
        out.append(node)
    return out


# --- table rows ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _SubRow:
    sublabel: list[Run] | None
    lines: list[list[Run]]


@dataclass(slots=True)
class _RowGroup:
    label: list[Run]
    subrows: list[_SubRow]


def _cell_lines(cell: CellNode) -> list[list[Run]]:
    return [line for line in (normalise_runs(line) for line in cell.lines) if line]


def _group_rows(table: TableNode) -> list[_RowGroup]:
    """Group rows under their label: rows with an empty first cell continue the row above."""
    has_header = table.header is not None and any(_cell_lines(cell) for cell in table.header.cells)
    groups: list[_RowGroup] = []
    for row in table.rows:
        cells = [_cell_lines(cell) for cell in row.cells]
        if not any(cells):
            continue
        label_lines = cells[0] if cells else []
        rest = cells[1:]
        label: list[Run] = []
        for line in label_lines:
            label = join_runs(label, line)
        sublabel: list[Run] | None = None
        values: list[list[Run]] = []
        # Without a header, a three-column row reads "label | sub-label | value" (Table 1's
        # INSTRUMENTS, HISTORY, BUDGET). With a header, or when the last column is empty, the
        # remaining cells are plain values.
        if not has_header and len(rest) >= 2 and rest[0] and any(rest[1:]):
            for line in rest[0]:
                sublabel = join_runs(sublabel or [], line)
            for cell in rest[1:]:
                values.extend(cell)
        else:
            for cell in rest:
                values.extend(cell)
        if label or not groups:
            groups.append(_RowGroup(label=label, subrows=[_SubRow(sublabel, values)]))
            continue
        group = groups[-1]
        last = group.subrows[-1]
        if sublabel is None and values and last.lines and _continues(last.lines[-1], values[0]):
            # a cell that a page break split mid-sentence
            last.lines[-1] = join_runs(last.lines[-1], values[0])
            values = values[1:]
        if sublabel is None:
            last.lines.extend(values)
        else:
            group.subrows.append(_SubRow(sublabel, values))
    return [group for group in groups if group.label or any(sub.lines for sub in group.subrows)]


# --- sections -----------------------------------------------------------------------------------


class _SectionTracker:
    """Turns a stream of headings into section paths.

    Heading levels in converted factsheets are unreliable (``### 3. State of cluster policy`` is
    followed by ``### Continuity``), so levels come from numbering first: "2." is a level-1
    section and "2.1" level 2. An unnumbered heading is a subsection of the current numbered
    section unless it is larger than that section's heading (then it starts a new top-level
    section, like "References" or "Annex").
    """

    def __init__(self) -> None:
        self.path: list[tuple[str, int, int]] = []  # (title, level, rank)
        self.numbered_rank: int | None = None

    def enter(self, title: str, rank: int) -> None:
        match = _NUMBERED_HEADING.match(title)
        if title.isdigit():
            # a chapter divider such as "02" on its own page starts a new top-level part
            level = 1
            self.numbered_rank = None
        elif match:
            level = match.group(1).count(".") + 1
            self.numbered_rank = rank if level == 1 else self.numbered_rank
        elif self.numbered_rank is not None and rank >= self.numbered_rank:
            top = next((item for item in self.path if item[1] == 1), None)
            level = 2 if top is not None else 1
            # deeper unnumbered headings nest under shallower unnumbered ones
            for item in reversed(self.path):
                if item[1] >= 2 and not _NUMBERED_HEADING.match(item[0]) and item[2] < rank:
                    level = item[1] + 1
                    break
        else:
            level = 1
            self.numbered_rank = None
        self.path = [item for item in self.path if item[1] < level]
        self.path.append((title, level, rank))

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(item[0] for item in self.path)


# --- rendering ----------------------------------------------------------------------------------


class _Writer:
    """Appends text and records which page every character came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.pages: list[PageSpan] = []

    def write(self, text: str, page: int | None = None) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if page is not None and text:
            if self.pages and self.pages[-1].page == page:
                last = self.pages[-1]
                self.pages[-1] = PageSpan(page, last.start, self.length)
            else:
                self.pages.append(PageSpan(page, start, self.length))
        return start, self.length

    def write_runs(self, runs: Sequence[Run]) -> tuple[int, int]:
        start = self.length
        for run in runs:
            self.write(run.text, run.page)
        return start, self.length

    def separate(self, separator: str) -> None:
        if self.length:
            self.write(separator)

    def text(self) -> str:
        return "".join(self.parts)

    def page_spans(self) -> tuple[PageSpan, ...]:
        """Page spans that cover the whole text: separators go to the page before them."""
        if not self.pages:
            return ()
        spans: list[PageSpan] = []
        for index, span in enumerate(self.pages):
            start = 0 if index == 0 else span.start
            end = self.pages[index + 1].start if index + 1 < len(self.pages) else self.length
            if spans and spans[-1].page == span.page:
                spans[-1] = PageSpan(span.page, spans[-1].start, end)
            else:
                spans.append(PageSpan(span.page, start, end))
        return tuple(spans)


def render(nodes: Sequence[Node]) -> RenderedDocument:
    """Render the tree into canonical text, blocks and page spans."""
    cleaned = _drop_banners(list(nodes))
    cleaned = _merge_continued_tables(cleaned)
    cleaned = _merge_split_paragraphs(cleaned)

    writer = _Writer()
    blocks: list[Block] = []
    sections = _SectionTracker()
    current_table: str | None = None
    in_references = False
    in_contents = False

    for node in cleaned:
        if isinstance(node, HeadingNode):
            runs = normalise_runs(node.runs)
            title = runs_text(runs)
            if not title:
                continue
            sections.enter(title, node.rank)
            current_table = None
            in_references = _norm_key(title) in _REFERENCE_HEADINGS
            in_contents = _norm_key(title) in _CONTENTS_HEADINGS
            writer.separate("\n\n")
            start, end = writer.write_runs(runs)
            blocks.append(Block(BlockKind.HEADING, start, end, sections.titles))
        elif isinstance(node, ParagraphNode | ListItemNode):
            runs = normalise_runs(node.runs)
            text = runs_text(runs)
            if not text:
                continue
            caption = _TABLE_CAPTION.match(text)
            if caption:
                current_table = caption.group(1)
                kind = BlockKind.CAPTION
            elif _SOURCE_CAPTION.match(text) and len(text) < 80:
                kind = BlockKind.CAPTION
            elif in_references:
                kind = BlockKind.REFERENCE
            elif isinstance(node, ListItemNode):
                kind = BlockKind.LIST_ITEM
            else:
                kind = BlockKind.PARAGRAPH
            section = sections.titles
            if current_table and kind is not BlockKind.CAPTION:
                current_table = None  # running text ends the table's scope
            writer.separate("\n\n")
            start, end = writer.write_runs(runs)
            blocks.append(Block(kind, start, end, section))
        else:
            _render_table(node, writer, blocks, sections.titles, current_table, in_contents)
    return RenderedDocument(writer.text(), tuple(blocks), writer.page_spans())


def _render_table(
    table: TableNode,
    writer: _Writer,
    blocks: list[Block],
    section: tuple[str, ...],
    table_name: str | None,
    in_contents: bool,
) -> None:
    table_path = (*section, table_name) if table_name else section
    header_cells = [_cell_lines(cell) for cell in table.header.cells] if table.header else []
    if any(header_cells):
        writer.separate("\n\n")
        start = writer.length
        for index, cell in enumerate(header_cells):
            if index:
                writer.write(" | ")
            for line_index, line in enumerate(cell):
                if line_index:
                    writer.write(" ")
                writer.write_runs(line)
        blocks.append(
            Block(BlockKind.TABLE_HEADER, start, writer.length, table_path, table=table_name)
        )
    for group in _group_rows(table):
        writer.separate("\n\n")
        label = runs_text(group.label)
        is_contents = (
            in_contents
            or any(
                _DOT_LEADER.search(runs_text(line)) for sub in group.subrows for line in sub.lines
            )
            or bool(_DOT_LEADER.search(label))
        )
        start = writer.length
        parts: list[Part] = []
        key_value = label.endswith(":")
        if group.label:
            label_start, label_end = writer.write_runs(group.label)
            parts.append(Part(label_start, label_end, PartRole.LABEL))
        first_line = True
        for sub in group.subrows:
            if sub.sublabel:
                writer.write("\n" if writer.length > start else "")
                sub_start, sub_end = writer.write_runs(sub.sublabel)
                parts.append(Part(sub_start, sub_end, PartRole.SUBLABEL))
                glue = " " if runs_text(sub.sublabel).endswith(":") else ": "
                for index, line in enumerate(sub.lines):
                    writer.write(glue if index == 0 else "\n")
                    line_start, line_end = writer.write_runs(line)
                    parts.append(Part(line_start, line_end, _line_role(line)))
                continue
            for line in sub.lines:
                if writer.length > start:
                    writer.write(" " if (key_value and first_line) else "\n")
                line_start, line_end = writer.write_runs(line)
                parts.append(Part(line_start, line_end, _line_role(line)))
                first_line = False
        kind = BlockKind.CONTENTS if is_contents else BlockKind.TABLE_ROW
        row_path = (*table_path, label.rstrip(":")) if label else table_path
        blocks.append(
            Block(
                kind,
                start,
                writer.length,
                row_path,
                label=label.rstrip(":") or None,
                table=table_name,
                parts=tuple(parts),
            )
        )


def _line_role(line: Sequence[Run]) -> PartRole:
    return PartRole.CATEGORY if _is_bold(line) else PartRole.TEXT
