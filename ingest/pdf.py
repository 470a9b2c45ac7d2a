"""PDF files into the source-neutral document tree of ``structure.py``.

pypdf's public text API gives either plain text, which merges a table's label and value columns
and loses fonts, or a fixed-width layout string, which loses fonts too. So we read every glyph
that pypdf's layout-mode text-state machine sees, with its font, size and position
(``_page_glyphs`` and ``_show_glyphs``, the only code that touches pypdf internals), and rebuild
the layout from geometry:

1. glyphs -> lines (one baseline; superscripts join their line) -> segments (split at column
   gaps) -> runs (split where bold starts or stops);
2. running headers and footers are dropped: lines near the top or bottom edge whose text, digits
   masked, repeats on at least half of the pages;
3. a line whose segments start at two or more x positions opens a table; lines aligned with its
   columns continue it (a sub-row line without its row label may open the sub-label column); a
   table continued on the next page is joined to it, columns matched by their left edges, and
   the rows it repeats at the top of each page (a header, or Table 1's "Policy type / Policy
   name") are dropped. Rows start at each
   label-column cell or after a row gap; the lines of a cell become separate items (one bold
   category per line) unless one is the wrapped continuation of the other, decided by width:
   a line wrapped when the next line's first word would not have fitted after it;
4. the remaining lines become headings (larger than the body text, or a bold line standing alone
   before running text), list items ("•", "1)") and paragraphs; words hyphenated at a line end
   are rejoined using the document's own vocabulary, URLs broken after "/", "_" or "-" are
   rejoined without a space.

Every run carries its 1-based page number. Thresholds are fractions of the body font size or of
the body line pitch, measured per document.

Known differences from the Markdown conversion of the same factsheet (the Morocco fixture):

- the PDF prints a backslash that the Markdown source escapes: "\\$12" in the PDF, "$12" in the
  Markdown;
- nothing else: headings, section paths, table rows (labels, sub-labels, category lines,
  explanations), the footnote and the references render identically. (The label of Table 3's
  "Continuity of cluster policies" row is printed on page 14 above cells that begin on page 13;
  its runs keep their true pages, so the page spans there read 14, 13, 14.)

Limits: rows and cell items are found from vertical gaps and line widths alone (no ruling lines),
tuned on WeasyPrint's table layout. A bold category line that exactly fills its cell is told from
a wrapped one only by capitalisation or by wording parallel to the cell's other categories.
"""

from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, ContentStream, StreamObject

from policyqa.errors import (
    EmptyDocumentError,
    EncryptedDocumentError,
    IngestError,
    SourceNotFoundError,
    UnreadableDocumentError,
)
from policyqa.ingest.structure import (
    CellNode,
    HeadingNode,
    ListItemNode,
    Node,
    ParagraphNode,
    RowNode,
    Run,
    TableNode,
    normalise_runs,
)
from policyqa.ingest.text import keeps_hyphen

__all__ = ["read_pdf"]

# --- tuning (fractions of a font size, a space width or the body line pitch) -------------------

_BASELINE_TOLERANCE = 0.15  # x size: glyphs this close vertically share a baseline
_SCRIPT_REACH = 0.6  # x size: a smaller-font baseline this close is a super/subscript
_WORD_GAP = 0.4  # x space width: a wider gap between glyphs is a space
_COLUMN_GAP = 2.0  # x space width: a wider gap between glyphs separates columns
_COLUMN_TOLERANCE = 0.2  # x body size: segments starting this close share a column
_WRAP_GAP = 1.1  # x pitch: lines closer than this belong to the same paragraph or cell item
_ROW_REACH = 1.05  # x pitch: a cell starting this close below a row's text is in that row
_TABLE_REACH = 3.0  # x pitch: a larger vertical gap ends a table
_HEADING_SIZE = 1.1  # x body size: larger lines are headings
_EDGE_BAND = 0.08  # x page height: where running headers and footers live
_MAX_HEADING_LINES = 3
_MAX_BOLD_HEADING_WORDS = 12
_MAX_HEADER_WORDS = 6
_MAX_REPEATED_ROWS = 3  # leading rows a table may repeat on each page

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FORCE_BOLD_FLAG = 1 << 18  # font descriptor /Flags bit 19
_BULLETS = "•◦▪▫‣⁃●○■□"
_NUMBERED_ITEM = re.compile(r"^\(?(?:\d{1,2}|[a-z])\)\s")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_URL_TOKEN = re.compile(r"://|^www\.|\w/")
_TRAILING_WORD = re.compile(r"([^\W_]+)-$")
_LEADING_WORD = re.compile(r"^([^\W_]+)")
# Prefixes whose hyphen stays when a line break falls after it ("inter-ministerial").


# --- geometry ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Glyph:
    """One shown glyph: its text, horizontal extent, baseline (downwards) and font."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    space: float  # width of a space in this font and size


@dataclass(slots=True)
class _Segment:
    """The text of one line inside one column: glyphs closer than a column gap."""

    glyphs: list[_Glyph]
    page: int
    y: float  # the line's baseline
    runs: list[Run] = field(init=False)
    text: str = field(init=False)
    bold: bool = field(init=False)  # every glyph is bold
    first_word_width: float = field(init=False)  # up to the first break: "word " or "one-"

    def __post_init__(self) -> None:
        self.runs = _glyph_runs(self.glyphs, self.page)
        self.text = "".join(run.text for run in self.runs)
        self.bold = all(glyph.bold for glyph in self.glyphs)
        self.first_word_width = _first_word_width(self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(glyph.x1 for glyph in self.glyphs)

    @property
    def space(self) -> float:
        return self.glyphs[-1].space

    @property
    def first_word(self) -> str:
        return self.text.split(" ", 1)[0]


@dataclass(slots=True)
class _Line:
    """Segments sharing a baseline, left to right."""

    segments: list[_Segment]
    page: int
    y: float
    size: float  # the font size of most of its characters
    rise: float = 0.0  # how far a superscript lifts the line's top above the usual

    def gap_after(self, previous: _Line) -> float:
        """Baseline distance from ``previous``, not counting the room a superscript takes."""
        return self.y - self.rise - previous.y

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    @property
    def bold(self) -> bool:
        return all(segment.bold for segment in self.segments)

    @property
    def runs(self) -> list[Run]:
        runs: list[Run] = []
        for segment in self.segments:
            if runs:
                runs.append(Run(" ", False, self.page))
            runs.extend(Run(run.text, run.bold, run.page) for run in segment.runs)
        return runs


def _glyph_runs(glyphs: Sequence[_Glyph], page: int) -> list[Run]:
    """Runs of glyphs with the same weight; gaps wider than a fraction of a space are spaces."""
    runs: list[Run] = []
    previous: _Glyph | None = None
    for glyph in glyphs:
        gap = glyph.x0 - previous.x1 if previous else 0.0
        spacer = " " if previous and gap > _WORD_GAP * previous.space else ""
        if runs and runs[-1].bold == glyph.bold:
            runs[-1].text += spacer + glyph.text
        else:
            if runs:
                runs[-1].text += spacer
            runs.append(Run(glyph.text, glyph.bold, page))
        previous = glyph
    return runs


def _first_word_width(glyphs: Sequence[_Glyph]) -> float:
    """Width of the text before the first place a line could break (a space or a hyphen)."""
    first = glyphs[0]
    end = first.x1
    previous = first
    for glyph in glyphs[1:]:
        if glyph.x0 - previous.x1 > _WORD_GAP * previous.space:
            break
        end = glyph.x1
        if glyph.text == "-" and previous.text.isalpha():
            break
        previous = glyph
    return end - first.x0


# --- reading the PDF -----------------------------------------------------------------------------


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's log warnings and Python warnings: damaged files are expected input."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _open_reader(path: Path) -> PdfReader:
    """Open the PDF, decrypting it with the empty password when it is encrypted."""
    if not path.is_file():
        raise SourceNotFoundError(str(path), "no such file")
    try:
        reader = PdfReader(path)  # tries the empty password itself
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedDocumentError(str(path), "the PDF is encrypted and needs a password")
    except IngestError:
        raise
    except DependencyError as error:  # AES without the optional 'cryptography' package
        raise EncryptedDocumentError(
            str(path), f"the PDF is encrypted and cannot be decrypted here ({error})"
        ) from error
    except Exception as error:  # pypdf raises many exception types for damaged files
        raise UnreadableDocumentError(str(path), f"not a readable PDF ({error})") from error
    return reader


def _page_glyphs(page: PageObject) -> list[_Glyph]:
    """Every glyph pypdf's layout-mode text-state machine sees on the page, with its font.

    INTERNAL pypdf API (pyproject pins pypdf>=7.1,<7.2; the seed-PDF tests cover it). The loop is
    ``_layout_mode.text_show_operations`` without its grouping into lines, which throws the fonts
    away. Each text-show operation yields a ``TextStateParams`` with ``text``, ``tx`` (x), ``ty``
    (baseline; PDF y grows upwards), ``displaced_tx`` (x after the text), ``font`` and
    ``font_height`` (effective size); ``_show_glyphs`` splits it into glyphs. Anything
    unexpected raises, and the caller falls back to ``page.extract_text()``.
    """
    from pypdf._text_extraction._layout_mode._fixed_width_page import (
        recurse_to_target_op,
        set_font_operation,
    )
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager

    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    if not isinstance(contents, ArrayObject | StreamObject):
        return []  # no content stream: an empty page
    fonts = page._layout_mode_fonts()
    operations = iter(_joined_text_arrays(ContentStream(contents, page.pdf, "bytes").operations))
    state = TextStateManager()
    shows: list[Any] = []
    for operands, operator in operations:
        if operator in (b"BT", b"q"):
            end: Literal[b"ET", b"Q"] = b"ET" if operator == b"BT" else b"Q"
            shows.extend(recurse_to_target_op(operations, state, end, fonts)[1])
        elif operator == b"Tf":
            set_font_operation(state, fonts, operands)
        elif operator == b"cm":
            # pypdf's own loop ignores a cm outside q/Q; WeasyPrint flips the page with one
            state.add_cm(*operands)
        else:
            state.set_state_param(operator, operands)

    top = float(page.mediabox.top)
    bold_by_font: dict[int, bool] = {}
    glyphs: list[_Glyph] = []
    for show in shows:
        if show.rotated or not show.font.interpretable or not show.text.strip():
            continue  # rotated text (margin notes) and unmapped glyphs cannot be placed in lines
        bold = bold_by_font.get(id(show.font))
        if bold is None:
            bold = bold_by_font[id(show.font)] = _is_bold_font(show.font)
        size = float(show.font_height)
        if size <= 0:
            continue
        space = float(show.space_tx) * abs(float(show.transform[0])) or 0.3 * size
        y = top - float(show.ty)
        for text, x0, x1 in _show_glyphs(show):
            if text.strip():
                glyphs.append(_Glyph(text, x0, max(x0, x1), y, size, bold, space))
    return glyphs


def _joined_text_arrays(operations: list[tuple[Any, bytes]]) -> list[tuple[Any, bytes]]:
    """Join the strings of a TJ array that only a zero adjustment separates.

    WeasyPrint writes one glyph per string (``[<0014>0<0011>0...] TJ``) and pypdf builds a text
    state per string: joining them makes extraction about three times faster. ``_show_glyphs``
    recovers the glyph positions.
    """
    joined: list[tuple[Any, bytes]] = []
    for operands, operator in operations:
        if operator == b"TJ" and operands and isinstance(operands[0], ArrayObject):
            items: list[Any] = []
            for item in operands[0]:
                if isinstance(item, bytes) and items and isinstance(items[-1], bytes):
                    items[-1] = items[-1] + item
                elif isinstance(item, int | float) and item == 0 and items:
                    continue
                else:
                    items.append(item)
            operands = [ArrayObject(items), *operands[1:]]
        joined.append((operands, operator))
    return joined


def _show_glyphs(show: Any) -> list[tuple[str, float, float]]:
    """Split a text-show operation into (text, x0, x1) per character code.

    INTERNAL pypdf API, like ``_page_glyphs``: the text of each code is decoded the way
    ``TextStateParams.__post_init__`` decodes the whole string, and its width is pypdf's own
    ``word_tx``. When the decoded pieces do not add up to pypdf's text, the operation stays one
    piece.
    """
    font = show.font
    codes: str = show._raw_chars
    whole = (show.text, float(show.tx), float(show.displaced_tx))
    if not isinstance(show.value, bytes) or not codes:
        return [whole]
    if isinstance(font.encoding, str):
        texts = [font.character_map.get(code, code) for code in codes]
    else:
        texts = [
            "".join(font.character_map.get(c, c) for c in font.encoding.get(ord(code), code))
            for code in codes
        ]
    if "".join(texts) != show.text:
        return [whole]
    scale = float(show.transform[0])
    x = float(show.tx)
    pieces: list[tuple[str, float, float]] = []
    for code, text in zip(codes, texts, strict=True):
        advance = float(show.word_tx(code)) * scale
        pieces.append((text, x, x + advance))
        x += advance
    return pieces


def _is_bold_font(font: Any) -> bool:
    """Bold by name ("DejaVu-Sans-Bold"), by /FontWeight, or by the ForceBold flag."""
    if _BOLD_NAME.search(str(getattr(font, "name", "")).split("+")[-1]):
        return True
    descriptor = getattr(font, "font_descriptor", None)
    weight = getattr(descriptor, "weight", None)
    if isinstance(weight, int | float) and weight >= 600:
        return True
    if isinstance(weight, str) and _BOLD_NAME.search(weight):
        return True
    flags = getattr(descriptor, "flags", 0)
    return isinstance(flags, int) and bool(flags & _FORCE_BOLD_FLAG)


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    lines: list[_Line]
    fallback: list[Node]  # paragraphs from extract_text() when the glyph reader failed


def _read_page(page: PageObject, number: int) -> _Page:
    """The lines of one page, or its plain-text paragraphs if the glyph reader fails."""
    height = float(page.mediabox.height)
    try:
        lines = _lines(_page_glyphs(page), number)
    except Exception:  # internal API drift or a damaged content stream
        lines = []
    if lines:
        return _Page(number, height, lines, [])
    # nothing readable by glyphs (or only rotated text): pypdf's plain text, one paragraph per
    # blank-line block; a blank page stays empty
    text = page.extract_text()
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return _Page(number, height, [], [ParagraphNode([Run(b, page=number)]) for b in blocks if b])


def _read_pages(reader: PdfReader, path: Path) -> list[_Page]:
    pages: list[_Page] = []
    failures: list[Exception] = []
    try:
        count = len(reader.pages)
    except Exception as error:
        raise UnreadableDocumentError(str(path), f"cannot read the page tree ({error})") from error
    for index in range(count):
        try:
            pages.append(_read_page(reader.pages[index], index + 1))
        except Exception as error:  # a page that neither reader can parse
            failures.append(error)
    if failures and not any(page.lines or page.fallback for page in pages):
        raise UnreadableDocumentError(str(path), f"no page could be parsed ({failures[0]})")
    return pages


# --- glyphs into lines ---------------------------------------------------------------------------


def _lines(glyphs: list[_Glyph], page: int) -> list[_Line]:
    """Group glyphs into lines: one baseline each, super- and subscripts joined to their line."""
    glyphs.sort(key=lambda glyph: (glyph.y, glyph.x0))
    bands: list[list[_Glyph]] = []
    for glyph in glyphs:
        band = bands[-1] if bands else None
        if band and glyph.y - band[0].y <= max(1.0, _BASELINE_TOLERANCE * glyph.size):
            band.append(glyph)
        else:
            bands.append([glyph])
    bands = _attach_scripts(bands)
    lines: list[_Line] = []
    for band in bands:
        band.sort(key=lambda glyph: glyph.x0)
        size = Counter(round(glyph.size, 2) for glyph in band).most_common(1)[0][0]
        baselines = Counter(round(g.y, 1) for g in band if round(g.size, 2) == size)
        baseline = baselines.most_common(1)[0][0]
        rise = max(0.0, baseline - min(glyph.y for glyph in band))
        lines.append(_Line(_segments(band, page, baseline), page, baseline, size, rise))
    lines.sort(key=lambda line: line.y)
    return lines


def _attach_scripts(bands: list[list[_Glyph]]) -> list[list[_Glyph]]:
    """Merge a band of smaller glyphs (a footnote mark) into the adjacent line it belongs to."""

    def size(band: list[_Glyph]) -> float:
        return max(glyph.size for glyph in band)

    out: list[list[_Glyph]] = []
    for index, band in enumerate(bands):
        left, right = min(g.x0 for g in band), max(g.x1 for g in band)
        host: list[_Glyph] | None = None
        # the line below first: a superscript sits above the baseline of its own line
        for neighbour in (index + 1, index - 1):
            if not 0 <= neighbour < len(bands):
                continue
            candidate = bands[neighbour]
            if neighbour < index and not (out and out[-1] is candidate):
                continue  # that band was itself merged away
            reach = size(candidate)
            if (
                size(band) < 0.9 * reach
                and abs(candidate[0].y - band[0].y) <= _SCRIPT_REACH * reach
                and min(g.x0 for g in candidate) - reach <= right
                and left <= max(g.x1 for g in candidate) + reach
            ):
                host = candidate
                break
        if host is None:
            out.append(band)
        else:
            host.extend(band)
    return out


def _segments(glyphs: list[_Glyph], page: int, baseline: float) -> list[_Segment]:
    """Split a line's glyphs where the gap is wider than a column gap."""
    pieces: list[list[_Glyph]] = [[glyphs[0]]]
    for previous, glyph in itertools.pairwise(glyphs):
        if glyph.x0 - previous.x1 > _COLUMN_GAP * max(previous.space, glyph.space):
            pieces.append([glyph])
        else:
            pieces[-1].append(glyph)
    # a bullet set apart from its text by a tab stop is not a column of its own
    merged: list[list[_Glyph]] = []
    for piece in pieces:
        if merged and len(merged[-1]) == 1 and merged[-1][0].text in _BULLETS:
            merged[-1].extend(piece)
        else:
            merged.append(piece)
    return [_Segment(piece, page, baseline) for piece in merged]


# --- document measures ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Metrics:
    body_size: float
    pitch: float  # baseline distance of consecutive body lines
    heading_sizes: tuple[float, ...]  # distinct heading sizes, largest first
    vocabulary: frozenset[str]  # lowercased words and hyphenated compounds of the document

    @property
    def tolerance(self) -> float:
        return _COLUMN_TOLERANCE * self.body_size

    @property
    def wrap_gap(self) -> float:
        return _WRAP_GAP * self.pitch

    def is_heading_size(self, size: float) -> bool:
        return size > _HEADING_SIZE * self.body_size

    def rank(self, size: float | None) -> int:
        """1 for the largest heading size; bold body-size headings rank below all sizes."""
        if size is None:
            return len(self.heading_sizes) + 1
        return 1 + sum(1 for known in self.heading_sizes if known > size + 0.25)


def _measure(pages: Sequence[_Page]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for segment in line.segments:
                sizes.update(round(glyph.size, 2) for glyph in segment.glyphs)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    pitches: Counter[float] = Counter()
    for page in pages:
        body_lines = [line for line in page.lines if abs(line.size - body) < 0.3]
        for upper, lower in itertools.pairwise(body_lines):
            distance = lower.y - upper.y
            if 0.9 * body <= distance <= 2.0 * body:
                pitches[round(distance, 1)] += 1
    pitch = pitches.most_common(1)[0][0] if pitches else 1.2 * body
    heading_sizes = sorted(
        {round(line.size * 4) / 4 for page in pages for line in page.lines},
        reverse=True,
    )
    words = {
        word for page in pages for line in page.lines for word in _WORD.findall(line.text.lower())
    }
    return _Metrics(
        body_size=body,
        pitch=pitch,
        heading_sizes=tuple(size for size in heading_sizes if size > _HEADING_SIZE * body),
        vocabulary=frozenset(words),
    )


# --- running headers and footers -----------------------------------------------------------------


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop lines at the page edges whose text (digits masked) repeats on half of the pages."""
    with_text = [page for page in pages if page.lines]
    needed = max(3, (len(with_text) + 1) // 2)

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.split()).lower())

    def at_edge(line: _Line, page: _Page) -> bool:
        band = _EDGE_BAND * page.height
        return line.y < band or line.y > page.height - band

    seen: Counter[str] = Counter()
    for page in with_text:
        seen.update({key(line) for line in page.lines if at_edge(line, page)})
    running = {text for text, count in seen.items() if count >= needed}
    for page in with_text:
        page.lines = [
            line for line in page.lines if not (at_edge(line, page) and key(line) in running)
        ]


# --- tables: detection ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Table:
    """Lines laid out in columns; ``columns`` are the columns' left edges."""

    columns: list[float]
    extents: list[float]  # right-most x reached by text in each column
    lines: list[_Line]

    def column_of(self, x: float, tolerance: float) -> int | None:
        """The column starting at ``x``, if any."""
        for index, column in enumerate(self.columns):
            if abs(column - x) <= tolerance:
                return index
        return None

    def add(self, line: _Line, tolerance: float, front: bool = False) -> None:
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

    def accepts(self, line: _Line, following: _Line | None, metrics: _Metrics) -> bool:
        """True when the line's segments start at the table's columns (or open one)."""
        gap = line.y - self.lines[-1].y
        if gap > _TABLE_REACH * metrics.pitch:
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


def _page_items(page: _Page, metrics: _Metrics) -> list[_Line | _Table]:
    """The page's lines in reading order, with table lines gathered into tables."""
    items: list[_Line | _Table] = []
    table: _Table | None = None
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
        table = _Table([], [], [])
        table.add(line, metrics.tolerance)
        # value-column lines opening the page continue a cell from the previous page
        if items and all(isinstance(item, _Line) for item in items):
            opening = [item for item in items if isinstance(item, _Line)]
            if _continue_cell(opening, table, metrics):
                for opening_line in reversed(opening):
                    table.add(opening_line, metrics.tolerance, front=True)
                items = []
        items.append(table)
    return items


def _continue_cell(lines: Sequence[_Line], table: _Table, metrics: _Metrics) -> bool:
    """True when all the lines sit in a value column of the table, closely stacked above it."""
    top = table.lines[0].y
    for line in reversed(lines):
        column = table.column_of(line.x0, metrics.tolerance)
        if len(line.segments) != 1 or not column or top - line.y > 2 * metrics.pitch:
            return False
        top = line.y
    return True


def _continues_table(previous: _Table, table: _Table, metrics: _Metrics) -> bool:
    """True when ``table`` at the top of a page continues ``previous`` from the page before.

    Both start at the same left edge and every column of the one with fewer columns is a column
    of the other: a page of the table may use only some of its columns (a page without sub-rows
    has no sub-label column).
    """
    shorter, longer = sorted((previous.columns, table.columns), key=len)
    if not shorter or abs(shorter[0] - longer[0]) > metrics.tolerance:
        return False
    return all(any(abs(a - b) <= metrics.tolerance for b in longer) for a in shorter)


def _merge_tables(previous: _Table, table: _Table, metrics: _Metrics) -> None:
    """Append ``table``'s lines to ``previous``, matching columns by their left edges."""
    for column, extent in zip(table.columns, table.extents, strict=True):
        index = previous.column_of(column, metrics.tolerance)
        if index is None:
            index = previous._new_column(column)
        previous.extents[index] = max(previous.extents[index], extent)
    previous.lines.extend(table.lines)


# --- tables: rows and cells ----------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """Consecutive lines of one column with normal line spacing."""

    column: int
    segments: list[_Segment]

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
    cells: list[list[_Segment]]
    page: int
    bottom: float
    first_on_page: bool

    @property
    def label(self) -> list[_Segment]:
        return self.cells[0]

    def texts(self) -> tuple[str, ...]:
        return tuple(_norm(" ".join(segment.text for segment in cell)) for cell in self.cells)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".:;,")


def _blocks(table: _Table, metrics: _Metrics) -> list[_Block]:
    """Cut each column into blocks: a larger gap, a page break or a new row starts a new one."""
    blocks: list[_Block] = []
    open_blocks: dict[int, _Block] = {}
    for line in table.lines:
        by_column: dict[int, list[_Segment]] = {}
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
                segment = _Segment(glyphs, segment.page, segment.y)
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


def _rows(table: _Table, blocks: list[_Block], metrics: _Metrics) -> list[_Row]:
    """Rows start at each label cell, and at cells that start a row gap below the row above."""
    rows: list[_Row] = []
    width = len(table.columns)
    for block in blocks:
        row = rows[-1] if rows else None
        joins = (
            row is not None
            and row.page == block.page
            and block.top - row.bottom <= _ROW_REACH * metrics.pitch
            and not (block.column == 0 and row.label)
        )
        if row is None or not joins:
            first = row is None or row.page != block.page
            row = _Row([[] for _ in range(width)], block.page, block.top, first)
            rows.append(row)
        row.cells[block.column].extend(block.segments)
        row.bottom = max(row.bottom, block.bottom)
    return rows


def _wraps(previous: _Segment, following: _Segment, edge: float) -> bool:
    """True when the first word of ``following`` would not have fitted after ``previous``."""
    return previous.x1 + previous.space + following.first_word_width > edge


def _header(rows: list[_Row]) -> _Row | None:
    """A first row of short bold titles above rows with regular text in their value columns."""
    if not rows or not rows[0].label:
        return None
    filled = [cell for cell in rows[0].cells if cell]
    if len(filled) < 2 or not all(segment.bold for cell in filled for segment in cell):
        return None
    if any(len(" ".join(s.text for s in cell).split()) > _MAX_HEADER_WORDS for cell in filled):
        return None  # a row of bold categories, not column titles
    regular = any(
        not segment.bold for row in rows[1:] for cell in row.cells[1:] for segment in cell
    )
    return rows[0] if regular else None


def _stitch_pages(rows: list[_Row], header: _Row | None, table: _Table) -> list[_Row]:
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
            and dropped < min(_MAX_REPEATED_ROWS, len(out))
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
                and _wraps(previous.cells[i][-1], row.cells[i][0], table.extents[i])
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


def _cell_items(segments: list[_Segment], edge: float, metrics: _Metrics) -> list[list[_Segment]]:
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
            or not _wraps(above, below, edge)
        )
    start_words = {s.first_word for s, clear in zip(segments, clear_start, strict=True) if clear}
    items: list[list[_Segment]] = [[segments[0]]]
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


def _table_node(table: _Table, metrics: _Metrics) -> TableNode:
    rows = _rows(table, _blocks(table, metrics), metrics)
    header = _header(rows)
    rows = _stitch_pages(rows[1:] if header else rows, header, table)

    def row_node(row: _Row) -> RowNode:
        cells = [CellNode([_join_lines(row.label, metrics)] if row.label else [])]
        for index in range(1, len(row.cells)):
            items = _cell_items(row.cells[index], table.extents[index], metrics)
            cells.append(CellNode([_join_lines(item, metrics) for item in items]))
        return RowNode(cells)

    return TableNode(
        rows=[row_node(row) for row in rows],
        header=row_node(header) if header else None,
    )


# --- joining lines -------------------------------------------------------------------------------


def _join_lines(lines: Sequence[_Segment | _Line], metrics: _Metrics) -> list[Run]:
    """Join lines of one paragraph or cell item, rejoining hyphenated words and broken URLs."""
    out: list[Run] = []
    for line in lines:
        runs = [Run(run.text, run.bold, run.page) for run in line.runs]
        if not runs:
            continue
        if out:
            _glue(out, runs, metrics.vocabulary)
        out.extend(runs)
    return normalise_runs(out)


def _glue(out: list[Run], runs: list[Run], vocabulary: frozenset[str]) -> None:
    """Prepare ``out`` for the next line: add a space, or join a word or URL broken at the end."""
    out[-1].text = out[-1].text.rstrip()
    left = "".join(run.text for run in out)
    right = "".join(run.text for run in runs).lstrip()
    runs[0].text = runs[0].text.lstrip()
    token = left.rsplit(" ", 1)[-1]
    if _URL_TOKEN.search(token) and left.endswith(("/", "_", "-")):
        return  # a URL broken after "/", "_" or "-": the pieces join as they are
    hyphen = _TRAILING_WORD.search(left)
    following = _LEADING_WORD.match(right)
    if hyphen and following:
        if not keeps_hyphen(hyphen.group(1), following.group(1), vocabulary):
            out[-1].text = out[-1].text[:-1]
        return
    out[-1].text += " "


# --- running text --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    """A heading, paragraph or list item made of consecutive lines."""

    kind: str  # "heading", "paragraph" or "item"
    lines: list[_Line]


def _is_item_start(line: _Line) -> bool:
    text = line.text.lstrip()
    return text[:1] in _BULLETS or bool(_NUMBERED_ITEM.match(text))


def _flow_units(lines: Sequence[_Line], metrics: _Metrics) -> list[_Unit]:
    units: list[_Unit] = []
    for line in lines:
        heading = metrics.is_heading_size(line.size)
        kind = "heading" if heading else ("item" if _is_item_start(line) else "paragraph")
        unit = units[-1] if units else None
        if unit is not None and kind != "item" and _continues_unit(unit, line, heading, metrics):
            unit.lines.append(line)
        else:
            units.append(_Unit(kind, [line]))
    return units


def _continues_unit(unit: _Unit, line: _Line, heading: bool, metrics: _Metrics) -> bool:
    last = unit.lines[-1]
    if last.page != line.page or (unit.kind == "heading") != heading:
        return False
    if heading:
        return (
            abs(last.size - line.size) < 0.3
            and line.y - last.y <= 1.6 * line.size
            and len(unit.lines) < _MAX_HEADING_LINES
        )
    if abs(last.size - line.size) >= 0.3 or line.gap_after(last) > metrics.wrap_gap:
        return False
    if unit.kind == "item":  # wrapped lines of a list item hang under its text
        return line.x0 > unit.lines[0].x0 + metrics.tolerance
    # after the first line (which may be indented) the left edge stays put
    return len(unit.lines) == 1 or abs(line.x0 - last.x0) <= metrics.tolerance


def _unit_node(unit: _Unit, metrics: _Metrics, next_is_text: bool) -> Node:
    runs = _join_lines(unit.lines, metrics)
    if unit.kind == "heading":
        return HeadingNode(runs, metrics.rank(unit.lines[0].size))
    if unit.kind == "item":
        if runs:
            runs[0].text = runs[0].text.lstrip(_BULLETS).lstrip()
        return ListItemNode(normalise_runs(runs))
    text = " ".join(run.text for run in runs).strip()
    if (
        next_is_text
        and len(unit.lines) <= 2
        and all(line.bold for line in unit.lines)
        and len(text.split()) <= _MAX_BOLD_HEADING_WORDS
        and not text.endswith((".", ":", ";", ","))
    ):
        # a bold line standing alone before running text is a subheading ("Policy scope")
        return HeadingNode(runs, metrics.rank(None))
    return ParagraphNode(runs)


# --- the document --------------------------------------------------------------------------------


def _document_items(pages: Sequence[_Page], metrics: _Metrics) -> list[_Line | _Table | Node]:
    """Lines, tables (joined across pages) and fallback paragraphs in reading order."""
    items: list[_Line | _Table | Node] = []
    for page in pages:
        if page.fallback:
            items.extend(page.fallback)
            continue
        page_items = _page_items(page, metrics)
        if page_items and items:
            previous, first = items[-1], page_items[0]
            if (
                isinstance(previous, _Table)
                and isinstance(first, _Table)
                and _continues_table(previous, first, metrics)
            ):
                _merge_tables(previous, first, metrics)
                page_items = page_items[1:]
        items.extend(page_items)
    return items


def _nodes(items: Sequence[_Line | _Table | Node], metrics: _Metrics) -> list[Node]:
    # gather running-text lines into units, keeping tables and fallback nodes in place
    sequence: list[_Unit | _Table | Node] = []
    pending: list[_Line] = []
    for item in [*items, None]:
        if isinstance(item, _Line):
            pending.append(item)
            continue
        if pending:
            sequence.extend(_flow_units(pending, metrics))
            pending = []
        if item is not None:
            sequence.append(item)
    nodes: list[Node] = []
    for index, entry in enumerate(sequence):
        if isinstance(entry, _Unit):
            following = sequence[index + 1] if index + 1 < len(sequence) else None
            next_is_text = isinstance(following, _Unit) and following.kind != "heading"
            nodes.append(_unit_node(entry, metrics, next_is_text))
        elif isinstance(entry, _Table):
            nodes.append(_table_node(entry, metrics))
        else:
            nodes.append(entry)
    return nodes


def read_pdf(path: Path) -> list[Node]:
    """Parse a PDF into document-tree nodes; every Run carries its 1-based page number."""
    path = Path(path)
    with _quiet_pypdf():
        reader = _open_reader(path)
        pages = _read_pages(reader, path)
    if not pages:
        raise EmptyDocumentError(str(path), "the PDF has no pages")
    if not any(page.lines or page.fallback for page in pages):
        raise EmptyDocumentError(
            str(path), "no page has extractable text (a scanned PDF without a text layer?)"
        )
    _drop_running_lines(pages)
    metrics = _measure(pages)
    return _nodes(_document_items(pages, metrics), metrics)
