"""Glyphs into lines: one baseline each, super- and subscripts joined to their line.

A line is cut into segments where the gap between glyphs is wider than a column gap (a bullet
set apart by a tab stop stays with its text); a segment's runs split where bold starts or stops.
"""

from __future__ import annotations

import itertools
from collections import Counter

from policyqa.ingest.pdf.geometry import (
    BASELINE_TOLERANCE,
    BULLETS,
    COLUMN_GAP,
    SCRIPT_REACH,
    Glyph,
    Line,
    Segment,
)


def glyph_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """Group glyphs into lines: one baseline each, super- and subscripts joined to their line."""
    glyphs.sort(key=lambda glyph: (glyph.y, glyph.x0))
    bands: list[list[Glyph]] = []
    for glyph in glyphs:
        band = bands[-1] if bands else None
        if band and glyph.y - band[0].y <= max(1.0, BASELINE_TOLERANCE * glyph.size):
            band.append(glyph)
        else:
            bands.append([glyph])
    bands = _attach_scripts(bands)
    lines: list[Line] = []
    for band in bands:
        band.sort(key=lambda glyph: glyph.x0)
        size = Counter(round(glyph.size, 2) for glyph in band).most_common(1)[0][0]
        baselines = Counter(round(g.y, 1) for g in band if round(g.size, 2) == size)
        baseline = baselines.most_common(1)[0][0]
        rise = max(0.0, baseline - min(glyph.y for glyph in band))
        lines.append(Line(_segments(band, page, baseline), page, baseline, size, rise))
    lines.sort(key=lambda line: line.y)
    return lines


def _attach_scripts(bands: list[list[Glyph]]) -> list[list[Glyph]]:
    """Merge a band of smaller glyphs (a footnote mark) into the adjacent line it belongs to."""

    def size(band: list[Glyph]) -> float:
        return max(glyph.size for glyph in band)

    out: list[list[Glyph]] = []
    for index, band in enumerate(bands):
        left, right = min(g.x0 for g in band), max(g.x1 for g in band)
        host: list[Glyph] | None = None
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
                and abs(candidate[0].y - band[0].y) <= SCRIPT_REACH * reach
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


def _segments(glyphs: list[Glyph], page: int, baseline: float) -> list[Segment]:
    """Split a line's glyphs where the gap is wider than a column gap."""
    pieces: list[list[Glyph]] = [[glyphs[0]]]
    for previous, glyph in itertools.pairwise(glyphs):
        if glyph.x0 - previous.x1 > COLUMN_GAP * max(previous.space, glyph.space):
            pieces.append([glyph])
        else:
            pieces[-1].append(glyph)
    # a bullet set apart from its text by a tab stop is not a column of its own
    merged: list[list[Glyph]] = []
    for piece in pieces:
        if merged and len(merged[-1]) == 1 and merged[-1][0].text in BULLETS:
            merged[-1].extend(piece)
        else:
            merged.append(piece)
    return [Segment(piece, page, baseline) for piece in merged]
