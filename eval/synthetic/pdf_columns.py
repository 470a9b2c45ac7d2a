"""Column widths the PDF parser reads back as written: ``readable_width``.

The PDF writer picks each table column's width with this check, so that every line break it
sets is one that ``ingest.pdf`` reads the way it was meant (a wrapped line, or the next item of
a cell). The check needs only text measures, given by ``TextMeasure`` (the PDF writer).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Protocol

from policyqa.eval.synthetic.document import Runs


class TextMeasure(Protocol):
    """Widths of text as the PDF writer sets it, in mm."""

    def width(self, text: str, bold: bool, size: float) -> float:
        """The width of ``text`` in the given weight and size."""
        ...

    def wrap(self, runs: Runs, width: float, size: float) -> list[Runs]:
        """``runs`` broken into lines of at most ``width``."""
        ...

    def line_width(self, line: Runs, size: float) -> float:
        """The width of one line."""
        ...


def readable_width(
    measure: TextMeasure, cells: Sequence[Sequence[Runs]], widest: float, size: float
) -> float | None:
    """The widest column width, down from ``widest``, at which the PDF parser reads the
    items of ``cells`` (one cell: the lines of one table cell) as they are; None if none.

    The parser (``ingest.pdf``) tells a wrapped line from the next item of a cell by
    geometry only: a line is a wrap when its first word (up to a hyphen, where a line may
    also break) would not have fitted on the line above within the column's extent, and a
    bold line that begins with a capital or with the first word of another item starts a
    new category. Widths where some line break of this document falls foul of these rules
    are skipped: they are documented limits of the parser, not what this generator tests.
    """
    for step in range(60):
        width = widest - 0.5 * step
        if _reads_back(measure, cells, width, size):
            return width
    return None


def _would_wrap(
    measure: TextMeasure, above: Runs, word: str, bold: bool, extent: float, size: float
) -> bool:
    """True when the parser takes ``word``, below the line ``above``, for a wrapped line: its
    first piece would not have fitted after ``above`` within ``extent``."""
    piece = re.match(r"[^\W_]+-|\S+", word)
    start = piece.group(0) if piece else word
    room = measure.line_width(above, size) + measure.width(" ", above[-1][1], size)
    return room + measure.width(start, bold, size) > extent


def _reads_back(
    measure: TextMeasure, cells: Sequence[Sequence[Runs]], width: float, size: float
) -> bool:
    """True when every item start and every wrapped line of ``cells``, set ``width`` wide, reads
    back as such."""
    wrapped = [[measure.wrap(item, width, size) for item in cell] for cell in cells]
    extent = max(
        (measure.line_width(line, size) for cell in wrapped for item in cell for line in item),
        default=width,
    )
    for items in wrapped:
        # item boundaries: the parser must see each item start
        starts: set[str] = set()
        for index, lines in enumerate(items):
            word, bold = lines[0][0]
            if index == 0:
                starts.add(word)
                continue
            above = items[index - 1][-1]
            if above[-1][1] != bold or not _would_wrap(measure, above, word, bold, extent, size):
                starts.add(word)
            elif not (bold and (word[:1].isupper() or word in starts)):
                return False
        # wrapped lines: the parser must see each of them continue its item
        for lines in items:
            for above, below in itertools.pairwise(lines):
                word, bold = below[0]
                if not _would_wrap(measure, above, word, bold, extent, size):
                    return False
                if bold and above[-1][1] and (word[:1].isupper() or word in starts):
                    return False
    return True
