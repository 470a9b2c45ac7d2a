"""Running text: lines joined into headings, list items and paragraphs.

Lines larger than the body text are headings, and so is a bold line standing alone before
running text; lines starting with "•" or "1)" are list items; the rest are paragraphs. Lines are
joined with a space, except that words hyphenated at a line end are rejoined using the
document's own vocabulary, and URLs broken after "/", "_" or "-" are rejoined without a space.
Table cells use the same joining (``join_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.ingest.hyphenation import keeps_hyphen
from policyqa.ingest.pdf.geometry import (
    BULLETS,
    MAX_BOLD_HEADING_WORDS,
    MAX_HEADING_LINES,
    Line,
    Segment,
)
from policyqa.ingest.pdf.layout import Metrics
from policyqa.ingest.structure import (
    HeadingNode,
    ListItemNode,
    Node,
    ParagraphNode,
    Run,
    normalise_runs,
)

_NUMBERED_ITEM = re.compile(r"^\(?(?:\d{1,2}|[a-z])\)\s")
_URL_TOKEN = re.compile(r"://|^www\.|\w/")
_TRAILING_WORD = re.compile(r"([^\W_]+)-$")
_LEADING_WORD = re.compile(r"^([^\W_]+)")


def join_lines(lines: Sequence[Segment | Line], metrics: Metrics) -> list[Run]:
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
class Unit:
    """A heading, paragraph or list item made of consecutive lines."""

    kind: str  # "heading", "paragraph" or "item"
    lines: list[Line]


def _is_item_start(line: Line) -> bool:
    text = line.text.lstrip()
    return text[:1] in BULLETS or bool(_NUMBERED_ITEM.match(text))


def flow_units(lines: Sequence[Line], metrics: Metrics) -> list[Unit]:
    """Running-text lines grouped into headings, list items and paragraphs."""
    units: list[Unit] = []
    for line in lines:
        heading = metrics.is_heading_size(line.size)
        kind = "heading" if heading else ("item" if _is_item_start(line) else "paragraph")
        unit = units[-1] if units else None
        if unit is not None and kind != "item" and _continues_unit(unit, line, heading, metrics):
            unit.lines.append(line)
        else:
            units.append(Unit(kind, [line]))
    return units


def _continues_unit(unit: Unit, line: Line, heading: bool, metrics: Metrics) -> bool:
    last = unit.lines[-1]
    if last.page != line.page or (unit.kind == "heading") != heading:
        return False
    if heading:
        return (
            abs(last.size - line.size) < 0.3
            and line.y - last.y <= 1.6 * line.size
            and len(unit.lines) < MAX_HEADING_LINES
        )
    if abs(last.size - line.size) >= 0.3 or line.gap_after(last) > metrics.wrap_gap:
        return False
    if unit.kind == "item":  # wrapped lines of a list item hang under its text
        return line.x0 > unit.lines[0].x0 + metrics.tolerance
    # after the first line (which may be indented) the left edge stays put
    return len(unit.lines) == 1 or abs(line.x0 - last.x0) <= metrics.tolerance


def unit_node(unit: Unit, metrics: Metrics, next_is_text: bool) -> Node:
    """The unit as a heading, list item or paragraph node (``next_is_text``: text follows)."""
    runs = join_lines(unit.lines, metrics)
    if unit.kind == "heading":
        return HeadingNode(runs, metrics.rank(unit.lines[0].size))
    if unit.kind == "item":
        if runs:
            runs[0].text = runs[0].text.lstrip(BULLETS).lstrip()
        return ListItemNode(normalise_runs(runs))
    text = " ".join(run.text for run in runs).strip()
    if (
        next_is_text
        and len(unit.lines) <= 2
        and all(line.bold for line in unit.lines)
        and len(text.split()) <= MAX_BOLD_HEADING_WORDS
        and not text.endswith((".", ":", ";", ","))
    ):
        # a bold line standing alone before running text is a subheading ("Policy scope")
        return HeadingNode(runs, metrics.rank(None))
    return ParagraphNode(runs)
