"""Write the damaged-PDF fixtures in ``tests/data/bad/`` that loader tests read.

- ``corrupt.pdf``: a one-page text PDF cut off after its first 200 bytes;
- ``encrypted.pdf``: the same PDF encrypted (RC4-128) with the user password "secret";
- ``blank.pdf``: one blank page and no text at all (what a scan without OCR looks like to us).

Run from the repository root: ``.venv/bin/python tests/data/make_bad_pdfs.py``. The encrypted
file differs byte-wise on every run (pypdf draws a random file identifier); the others do not.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

BAD = Path(__file__).resolve().parent / "bad"
TEXT = b"BT /F1 12 Tf 72 720 Td (A factsheet page with some text on it.) Tj ET"


def text_pdf() -> bytes:
    """A valid one-page PDF showing a line of Helvetica text."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    contents = DecodedStreamObject()
    contents.set_data(TEXT)
    page[NameObject("/Contents")] = writer._add_object(contents)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def main() -> None:
    BAD.mkdir(exist_ok=True)
    valid = text_pdf()
    (BAD / "corrupt.pdf").write_bytes(valid[:200])

    encrypted = PdfWriter(clone_from=io.BytesIO(valid))
    encrypted.encrypt("secret")
    encrypted.write(BAD / "encrypted.pdf")

    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(BAD / "blank.pdf")
    print(f"wrote corrupt.pdf, encrypted.pdf and blank.pdf in {BAD}")


if __name__ == "__main__":
    main()
