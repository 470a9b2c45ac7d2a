"""The document's measures, and its running headers and footers.

``measure`` finds the body font size, the line pitch, the heading sizes and the vocabulary that
every threshold and the hyphenation rule rely on. ``drop_running_lines`` drops running headers
and footers: lines near the top or bottom edge whose text, digits masked, repeats on at least
half of the pages.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.ingest.pdf.geometry import (
    COLUMN_TOLERANCE,
    EDGE_BAND,
    HEADING_SIZE,
    WRAP_GAP,
    Line,
    Page,
)

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Metrics:
    """The document's measures, which the thresholds of ``geometry`` are fractions of."""

    body_size: float
    pitch: float  # baseline distance of consecutive body lines
    heading_sizes: tuple[float, ...]  # distinct heading sizes, largest first
    vocabulary: frozenset[str]  # lowercased words and hyphenated compounds of the document

    @property
    def tolerance(self) -> float:
        """How close two left edges must be to start the same column."""
        return COLUMN_TOLERANCE * self.body_size

    @property
    def wrap_gap(self) -> float:
        """The largest baseline distance between lines of one paragraph or cell item."""
        return WRAP_GAP * self.pitch

    def is_heading_size(self, size: float) -> bool:
        """True for a font size larger than the body text's by a heading's margin."""
        return size > HEADING_SIZE * self.body_size

    def rank(self, size: float | None) -> int:
        """1 for the largest heading size; bold body-size headings rank below all sizes."""
        if size is None:
            return len(self.heading_sizes) + 1
        return 1 + sum(1 for known in self.heading_sizes if known > size + 0.25)


def measure(pages: Sequence[Page]) -> Metrics:
    """The most common glyph size and body line pitch, the heading sizes, the vocabulary."""
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
    return Metrics(
        body_size=body,
        pitch=pitch,
        heading_sizes=tuple(size for size in heading_sizes if size > HEADING_SIZE * body),
        vocabulary=frozenset(words),
    )


# --- running headers and footers -----------------------------------------------------------------


def drop_running_lines(pages: list[Page]) -> None:
    """Drop lines at the page edges whose text (digits masked) repeats on half of the pages."""
    with_text = [page for page in pages if page.lines]
    needed = max(3, (len(with_text) + 1) // 2)

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", " ".join(line.text.split()).lower())

    def at_edge(line: Line, page: Page) -> bool:
        band = EDGE_BAND * page.height
        return line.y < band or line.y > page.height - band

    seen: Counter[str] = Counter()
    for page in with_text:
        seen.update({key(line) for line in page.lines if at_edge(line, page)})
    running = {text for text, count in seen.items() if count >= needed}
    for page in with_text:
        page.lines = [
            line for line in page.lines if not (at_edge(line, page) and key(line) in running)
        ]
