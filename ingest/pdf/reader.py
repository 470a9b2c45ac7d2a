"""Where the glyphs come from: every character pdfplumber reports, with its font and position.

pdfplumber (MIT, on pdfminer.six) gives each character's text, box, font name and size and its
text matrix through its public ``Page.chars``; we keep the upright ones as ``Glyph``s, the
baseline taken from the matrix (so a superscript keeps its own baseline) and the width of a space
measured per font from the document's own space characters. pypdf's public API opens the file
first, which keeps its clear verdicts on damaged and encrypted files, and gives the plain text of
a page whose characters cannot be read or placed (only rotated text, say).

This is the only module of the package that imports a PDF library: ``load_pages`` hands the rest
``Page``s of ``Line``s (grouped by ``lines.glyph_lines``).
"""

from __future__ import annotations

import logging
import re
import statistics
import warnings
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from policyqa.errors import (
    EncryptedDocumentError,
    IngestError,
    SourceNotFoundError,
    UnreadableDocumentError,
)
from policyqa.ingest.pdf.geometry import Glyph, Page
from policyqa.ingest.pdf.grids import Grid
from policyqa.ingest.pdf.lines import glyph_lines
from policyqa.ingest.structure import ParagraphNode, Run

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_DEFAULT_SPACE = 0.28  # x font size: a space where the document sets none in that font
_QUIET_LOGGERS = ("pypdf", "pdfminer", "pdfplumber")


def load_pages(path: Path) -> list[Page]:
    """Every page of the PDF at ``path`` as lines (or fallback paragraphs), the libraries quiet."""
    with _quiet_libraries():
        reader = _open_reader(path)
        return _read_pages(reader, path)


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """Silence the PDF libraries' log and Python warnings: damaged files are expected input."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR + 10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
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


def _is_bold(fontname: str) -> bool:
    """Bold by the font's name ("ABCDEF+DejaVuSans-Bold", "Times-Bold")."""
    return bool(_BOLD_NAME.search(fontname.split("+")[-1]))


def _space_widths(chars: list[dict[str, Any]]) -> dict[tuple[str, float], float]:
    """The median width of the space characters of each font and size on the page."""
    widths: dict[tuple[str, float], list[float]] = defaultdict(list)
    for char in chars:
        if char["text"] == " " and char["x1"] > char["x0"]:
            widths[(char["fontname"], round(char["size"], 1))].append(char["x1"] - char["x0"])
    return {key: statistics.median(values) for key, values in widths.items()}


def _page_glyphs(page: Any) -> list[Glyph]:
    """The upright, visible characters of a pdfplumber page as glyphs (baseline downwards)."""
    chars: list[dict[str, Any]] = page.chars
    spaces = _space_widths(chars)
    top = float(page.bbox[3])
    bold_by_font: dict[str, bool] = {}
    glyphs: list[Glyph] = []
    for char in chars:
        text = char["text"]
        size = float(char["size"])
        if not char.get("upright", True) or size <= 0 or not text.strip():
            continue  # rotated text (margin notes) cannot be placed in lines
        fontname = str(char["fontname"])
        bold = bold_by_font.get(fontname)
        if bold is None:
            bold = bold_by_font[fontname] = _is_bold(fontname)
        space = spaces.get((fontname, round(size, 1)), _DEFAULT_SPACE * size)
        baseline = top - float(char["matrix"][5])
        glyphs.append(
            Glyph(text, float(char["x0"]), float(char["x1"]), baseline, size, bold, space)
        )
    return glyphs


def _closing_rules(page: Any) -> list[dict[str, Any]]:
    """Rules that close a row cut by the page's bottom (or top) edge, which has none of its own:
    where vertical rules run on below the lowest (or above the highest) horizontal rule."""
    edges = page.edges
    verticals = [edge for edge in edges if edge["orientation"] == "v"]
    horizontals = [edge for edge in edges if edge["orientation"] == "h"]
    if not verticals or not horizontals:
        return []
    x0 = min(float(edge["x0"]) for edge in verticals)
    x1 = max(float(edge["x1"]) for edge in verticals)
    bottom = max(float(e["bottom"]) for e in verticals)
    top = min(float(e["top"]) for e in verticals)
    lowest = max(float(e["top"]) for e in horizontals)
    highest = min(float(e["top"]) for e in horizontals)
    out: list[dict[str, Any]] = []
    for y, open_edge in ((bottom, bottom > lowest + 1.0), (top, top < highest - 1.0)):
        if open_edge:
            out.append(
                {
                    "x0": x0,
                    "x1": x1,
                    "top": y,
                    "bottom": y,
                    "width": x1 - x0,
                    "height": 0.0,
                    "orientation": "h",
                    "object_type": "line",
                }
            )
    return out


def _page_grids(page: Any) -> list[Grid]:
    """The ruled tables pdfplumber finds from the page's lines and rectangles (two rows and two
    columns at least: a single shaded box is not a table)."""
    grids: list[Grid] = []
    offset = float(page.bbox[1])
    for table in page.find_tables({"explicit_horizontal_lines": _closing_rules(page)}):
        rows = tuple(
            tuple(
                None
                if box is None
                else (float(box[0]), float(box[1]) - offset, float(box[2]), float(box[3]) - offset)
                for box in row.cells
            )
            for row in table.rows
        )
        width = max((len(row) for row in rows), default=0)
        if len(rows) < 2 or width < 2:
            continue
        lefts: list[list[float]] = [[] for _ in range(width)]
        for row in rows:
            for i, box in enumerate(row):
                if box is not None:
                    lefts[i].append(box[0])
        columns = tuple(min(found) if found else 0.0 for found in lefts)
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        grids.append(Grid((x0, top - offset, x1, bottom - offset), columns, rows))
    return grids


def _fallback(reader: PdfReader, index: int, number: int, height: float) -> Page:
    """pypdf's plain text of a page, one paragraph per blank-line block; a blank page stays
    empty."""
    text = reader.pages[index].extract_text()
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return Page(number, height, [], [ParagraphNode([Run(b, page=number)]) for b in blocks if b])


def _read_pages(reader: PdfReader, path: Path) -> list[Page]:
    import pdfplumber  # imported here: only PDF parsing needs it

    try:
        count = len(reader.pages)
    except Exception as error:
        raise UnreadableDocumentError(str(path), f"cannot read the page tree ({error})") from error
    pages: list[Page] = []
    failures: list[Exception] = []
    try:
        plumber = pdfplumber.open(path, password="")
    except Exception as error:
        raise UnreadableDocumentError(str(path), f"not a readable PDF ({error})") from error
    with plumber:
        for index in range(count):
            number = index + 1
            try:
                page = plumber.pages[index]
                height = float(page.height)
                grids: list[Grid] = []
                try:
                    lines = glyph_lines(_page_glyphs(page), number)
                    grids = _page_grids(page) if lines else []
                except Exception:  # a damaged content stream
                    lines = []
                finally:
                    page.close()
                pages.append(
                    Page(number, height, lines, [], grids)
                    if lines
                    else _fallback(reader, index, number, height)
                )
            except Exception as error:  # a page that neither library can parse
                failures.append(error)
    if failures and not any(page.lines or page.fallback for page in pages):
        raise UnreadableDocumentError(str(path), f"no page could be parsed ({failures[0]})")
    return pages
