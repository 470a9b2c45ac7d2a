"""PDF files into the source-neutral document tree of ``structure.py``.

pdfplumber's public API gives every character with its font, size and position (``reader``, the
only module that touches a PDF library; pypdf's public API opens and decrypts the file), and we
rebuild the layout from geometry:

1. glyphs -> lines (one baseline; superscripts join their line) -> segments (split at column
   gaps) -> runs (split where bold starts or stops);
2. running headers and footers are dropped: lines near the top or bottom edge whose text, digits
   masked, repeats on at least half of the pages;
3. a table drawn with rules takes its cells from pdfplumber's table finder (``grids``): each
   glyph goes to the cell holding it. Elsewhere, a line whose segments start at two or more x
   positions opens a table; lines aligned with its columns continue it (a sub-row line without
   its row label may open the sub-label column); a table continued on the next page is joined to
   it, columns matched by their left edges, and the rows it repeats at the top of each page (a
   header, or Table 1's "Policy type / Policy name") are dropped. Rows start at each label-
   column cell or after a row gap; the lines of a cell become separate items (one bold category
   per line) unless one is the wrapped continuation of the other, decided by width: a line
   wrapped when the next line's first word would not have fitted after it;
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

Limits: in tables without rules (borderless, or drawn by shading alone), rows and cell items are
found from vertical gaps and line widths alone, tuned on WeasyPrint's table layout. A bold
category line that exactly fills its cell is told from a wrapped one only by capitalisation or
by wording parallel to the cell's other categories.

The modules, in the order the steps use them:

- ``geometry``: glyphs, segments, lines and pages, and the tuning constants;
- ``reader``: where glyphs come from: pdfplumber (glyphs, fonts, ruled tables), pypdf (opening,
  decryption, plain-text fallback);
- ``grids``: ruled tables from pdfplumber's cells, joined across pages (step 3, before the
  layout-based tables);
- ``lines``: glyphs into lines and segments (step 1);
- ``layout``: the document's measures and its running headers and footers (step 2);
- ``tables``: which lines form a table, and tables continued across pages (step 3);
- ``rows``: a table's rows and cells, repeated rows dropped, into a ``TableNode`` (step 3);
- ``text``: joining lines, and running text into headings, list items, paragraphs (step 4);
- ``document``: ``read_pdf``, the steps in order.
"""

from policyqa.ingest.pdf.document import read_pdf

__all__ = ["read_pdf"]
