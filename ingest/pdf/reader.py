"""Where the glyphs come from: pypdf opens the file, and we read it glyph by glyph.

pypdf's public text API gives either plain text, which merges a table's label and value columns
and loses fonts, or a fixed-width layout string, which loses fonts too. So we read every glyph
that pypdf's layout-mode text-state machine sees, with its font, size and position
(``_page_glyphs`` and ``_show_glyphs``, the only code that touches pypdf internals). A page
whose glyphs cannot be read falls back to pypdf's plain text.

This is the only module of the package that imports pypdf: ``load_pages`` hands the rest
``Page``s of ``Line``s (grouped by ``lines.glyph_lines``), so another PDF library can replace
this module alone.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, ContentStream, StreamObject

from policyqa.errors import (
    EncryptedDocumentError,
    IngestError,
    SourceNotFoundError,
    UnreadableDocumentError,
)
from policyqa.ingest.pdf.geometry import Glyph, Page
from policyqa.ingest.pdf.lines import glyph_lines
from policyqa.ingest.structure import ParagraphNode, Run

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_FORCE_BOLD_FLAG = 1 << 18  # font descriptor /Flags bit 19


def load_pages(path: Path) -> list[Page]:
    """Every page of the PDF at ``path`` as lines (or fallback paragraphs), pypdf kept quiet."""
    with _quiet_pypdf():
        reader = _open_reader(path)
        return _read_pages(reader, path)


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


def _page_glyphs(page: PageObject) -> list[Glyph]:
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
    glyphs: list[Glyph] = []
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
                glyphs.append(Glyph(text, x0, max(x0, x1), y, size, bold, space))
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


def _read_page(page: PageObject, number: int) -> Page:
    """The lines of one page, or its plain-text paragraphs if the glyph reader fails."""
    height = float(page.mediabox.height)
    try:
        lines = glyph_lines(_page_glyphs(page), number)
    except Exception:  # internal API drift or a damaged content stream
        lines = []
    if lines:
        return Page(number, height, lines, [])
    # nothing readable by glyphs (or only rotated text): pypdf's plain text, one paragraph per
    # blank-line block; a blank page stays empty
    text = page.extract_text()
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return Page(number, height, [], [ParagraphNode([Run(b, page=number)]) for b in blocks if b])


def _read_pages(reader: PdfReader, path: Path) -> list[Page]:
    pages: list[Page] = []
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
