"""Sentence boundaries as character spans.

A small rule-based splitter tuned for policy prose and reference lists: it does not split after
abbreviations ("e.g.", "i.e.", "et al."), initials ("Amraoui, B.;"), or inside numbers and dates
("1.000 hectares", "25.01.2024"). Lines are always boundaries, so each line of a table row (one
category, one sub-row) is its own unit.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "al",
    "cf",
    "vs",
    "viz",
    "approx",
    "no",
    "nr",
    "vol",
    "pp",
    "p",
    "fig",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "inc",
    "ltd",
    "co",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "art",
    "para",
    "incl",
    "resp",
    "ca",
}

# a candidate end: sentence punctuation, optional closing quotes/brackets, then whitespace
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9À-Ý]")


_WORD_BEFORE_PERIOD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# Only the word before the period matters: look at a short window, not the whole text before it
# (searching text[:end] made splitting quadratic in the document's length).
_WINDOW = 64


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period ending at ``end`` belongs to an abbreviation or an initial."""
    window_start = max(0, end - _WINDOW)
    match = _WORD_BEFORE_PERIOD.search(text, window_start, end)
    if not match:
        return False
    word = match.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # a single capital letter followed by a period: an initial ("Amraoui, B.;")
    return len(word) == 1 and text[match.start(1)].isupper()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]``, trimmed of surrounding whitespace."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _raw_line_spans(text, start, stop):
        cursor = line_start
        for match in _END.finditer(text, line_start, line_end):
            boundary = match.end()
            if boundary >= line_end:
                break
            if match.group(0).startswith(".") and _is_abbreviation(text, match.start() + 1):
                continue
            if not _NEXT_START.match(text, boundary, line_end):
                continue
            spans.append(_trim(text, cursor, boundary))
            cursor = boundary
        spans.append(_trim(text, cursor, line_end))
    return [(left, right) for left, right in spans if right > left]


def line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the lines of ``text[start:end]``, trimmed of surrounding whitespace."""
    return [_trim(text, left, right) for left, right in _raw_line_spans(text, start, end)]


def _raw_line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline < 0 else newline
        spans.append((cursor, stop))
        cursor = stop + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
