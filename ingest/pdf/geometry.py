"""The geometry of a PDF page: glyphs, segments, lines and pages, and the tuning constants.

Thresholds are fractions of a font size, a space width or the body line pitch, the last two
measured per document (``layout.Metrics``). Every run carries its 1-based page number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from policyqa.ingest.structure import Node, Run

# --- tuning (fractions of a font size, a space width or the body line pitch) -------------------

BASELINE_TOLERANCE = 0.15  # x size: glyphs this close vertically share a baseline
SCRIPT_REACH = 0.6  # x size: a smaller-font baseline this close is a super/subscript
WORD_GAP = 0.4  # x space width: a wider gap between glyphs is a space
COLUMN_GAP = 2.0  # x space width: a wider gap between glyphs separates columns
COLUMN_TOLERANCE = 0.2  # x body size: segments starting this close share a column
WRAP_GAP = 1.1  # x pitch: lines closer than this belong to the same paragraph or cell item
ROW_REACH = 1.05  # x pitch: a cell starting this close below a row's text is in that row
TABLE_REACH = 3.0  # x pitch: a larger vertical gap ends a table
HEADING_SIZE = 1.1  # x body size: larger lines are headings
EDGE_BAND = 0.08  # x page height: where running headers and footers live
MAX_HEADING_LINES = 3  # lines one heading may wrap over
MAX_BOLD_HEADING_WORDS = 12  # words of a bold line that can still be a subheading
MAX_HEADER_WORDS = 6  # words of a table's column title (more: a row of bold categories)
MAX_REPEATED_ROWS = 3  # leading rows a table may repeat on each page

BULLETS = "•◦▪▫‣⁃●○■□"


@dataclass(slots=True)
class Glyph:
    """One shown glyph: its text, horizontal extent, baseline (downwards) and font."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    space: float  # width of a space in this font and size


@dataclass(slots=True)
class Segment:
    """The text of one line inside one column: glyphs closer than a column gap."""

    glyphs: list[Glyph]
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
class Line:
    """Segments sharing a baseline, left to right."""

    segments: list[Segment]
    page: int
    y: float
    size: float  # the font size of most of its characters
    rise: float = 0.0  # how far a superscript lifts the line's top above the usual

    def gap_after(self, previous: Line) -> float:
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


def _glyph_runs(glyphs: Sequence[Glyph], page: int) -> list[Run]:
    """Runs of glyphs with the same weight; gaps wider than a fraction of a space are spaces."""
    runs: list[Run] = []
    previous: Glyph | None = None
    for glyph in glyphs:
        gap = glyph.x0 - previous.x1 if previous else 0.0
        spacer = " " if previous and gap > WORD_GAP * previous.space else ""
        if runs and runs[-1].bold == glyph.bold:
            runs[-1].text += spacer + glyph.text
        else:
            if runs:
                runs[-1].text += spacer
            runs.append(Run(glyph.text, glyph.bold, page))
        previous = glyph
    return runs


def _first_word_width(glyphs: Sequence[Glyph]) -> float:
    """Width of the text before the first place a line could break (a space or a hyphen)."""
    first = glyphs[0]
    end = first.x1
    previous = first
    for glyph in glyphs[1:]:
        if glyph.x0 - previous.x1 > WORD_GAP * previous.space:
            break
        end = glyph.x1
        if glyph.text == "-" and previous.text.isalpha():
            break
        previous = glyph
    return end - first.x0


@dataclass(slots=True)
class Page:
    """One page as read: its lines, or plain-text paragraphs when its glyphs could not be read."""

    number: int
    height: float
    lines: list[Line]
    fallback: list[Node]  # paragraphs from extract_text() when the glyph reader failed
    grids: list[Any] = field(default_factory=list)  # ``grids.Grid``: ruled tables found
