"""The producer test bed: every way the synthetic generator can lay a factsheet out as a PDF.

``PRODUCERS`` maps a name to a writer ``(truth, path) -> path``: fpdf2 (``pdf``, hand-placed
lines), WeasyPrint under each development stylesheet and under the held-out one, and ReportLab
(held out). ``HELD_OUT`` names the producers written before the PDF reader and never looked at
while developing it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from policyqa.eval.synthetic.html import to_weasyprint_pdf
from policyqa.eval.synthetic.pdf import to_pdf
from policyqa.eval.synthetic.reportlab_pdf import to_reportlab_pdf
from policyqa.eval.synthetic.stylesheets import DEVELOPMENT_STYLESHEETS, HELD_OUT_STYLESHEET
from policyqa.eval.synthetic.truth import FactsheetTruth

Producer = Callable[[FactsheetTruth, Path], Path]

PRODUCERS: dict[str, Producer] = {
    "fpdf2": to_pdf,
    **{
        f"weasyprint:{style.name}": partial(to_weasyprint_pdf, style=style)
        for style in DEVELOPMENT_STYLESHEETS
    },
    f"weasyprint:{HELD_OUT_STYLESHEET.name}": partial(to_weasyprint_pdf, style=HELD_OUT_STYLESHEET),
    "reportlab": to_reportlab_pdf,
}

HELD_OUT: frozenset[str] = frozenset({f"weasyprint:{HELD_OUT_STYLESHEET.name}", "reportlab"})
