"""Synthetic country factsheets on the ECCP template, with the ground truth of every field.

Only Morocco's factsheet is real in this project; tests, the evaluation and the benchmarks need
many near-identical factsheets to tell countries apart, so this package writes them about
fictional countries (names built from syllables, checked against the world list), marked as
synthetic in their text ("Synthetic factsheet: ...", which ``ingest.metadata`` detects):

- ``make_truth(seed)`` draws a ``FactsheetTruth``: policy type and name; every Table 1 field
  with categories from the template's standardised vocabulary (as in the Morocco factsheet and
  its Annex) and explanations in varied wording; years, budgets in EUR or "Data unavailable";
  the narratives, which state the applicable state-of-play option in varied ways; and that
  option per criterion. Some countries have a dedicated cluster policy, some a broad one, some
  a sectoral one.
- ``to_markdown(truth)`` writes it the way the converter wrote the Morocco factsheet: page
  banners in the body, ``<b>``, ``<br>`` and ``<p>`` in table cells, Table 1 split over several
  Markdown tables that each repeat the "Policy type / Policy name" rows (a long explanation
  split mid-sentence between two of them), Table 2 without its highlighting.
- ``to_pdf(truth, path)`` lays it out with fpdf2: A4, a running header and footer with page
  numbers, Table 1 breaking across pages with its leading rows repeated, bold categories,
  Table 2 with the applicable option highlighted.
- ``gold_questions(truth, doc_id)`` and ``comparison_questions(...)`` write evaluation questions
  with their ground truth (the JSONL schema of ``eval/data``).

``FactsheetTruth.from_profile(parse_profile(document))`` reads a profile back into a truth, so a
round trip is ``FactsheetTruth.from_profile(...) == truth``. Layout choices (font size, column
widths, where tables split) are drawn from the seed too, but are not part of the truth.

One job per module; this file only gathers the names the rest of the project imports:

- ``vocabulary``: the template's categories, and the parts names and texts are drawn from;
- ``truth``: ``FactsheetTruth``, its fields and sub-rows;
- ``draw``: ``make_truth(s)``, the fixed order of the draws over ``drawer`` (the decisions the
  texts agree with), ``draw_fields`` (Table 1) and ``draw_narratives``;
- ``document``: the elements both writers write, in reading order; ``markdown`` and ``pdf``
  write them, ``pdf_columns`` chooses column widths the PDF parser reads back as written;
- ``questions`` (gold, comparison and rephrased questions, ``write_gold``) and ``phrasings``;
- ``corpus``: ``write_factsheets`` and ``write_corpus``, the files of a synthetic corpus.
"""

from policyqa.eval.synthetic.corpus import write_corpus, write_factsheets
from policyqa.eval.synthetic.document import Runs
from policyqa.eval.synthetic.draw import country_name, make_truth, make_truths
from policyqa.eval.synthetic.markdown import to_markdown
from policyqa.eval.synthetic.pdf import to_pdf
from policyqa.eval.synthetic.phrasings import PHRASINGS, UNSEEN_PHRASINGS
from policyqa.eval.synthetic.questions import (
    comparison_questions,
    gold_questions,
    rephrased_questions,
    write_gold,
)
from policyqa.eval.synthetic.truth import FactsheetTruth, FieldTruth, SubFieldTruth
from policyqa.eval.synthetic.vocabulary import (
    ALIGNMENT,
    AUTHORITY_ROLES,
    BENEFICIARIES,
    EDITION_YEARS,
    FINANCIAL,
    FOCUS,
    OBJECTIVES,
    SYNTHETIC_MARKER,
    TECHNICAL,
    UNAVAILABLE,
)

__all__ = [
    "ALIGNMENT",
    "AUTHORITY_ROLES",
    "BENEFICIARIES",
    "EDITION_YEARS",
    "FINANCIAL",
    "FOCUS",
    "OBJECTIVES",
    "PHRASINGS",
    "SYNTHETIC_MARKER",
    "TECHNICAL",
    "UNAVAILABLE",
    "UNSEEN_PHRASINGS",
    "FactsheetTruth",
    "FieldTruth",
    "Runs",
    "SubFieldTruth",
    "comparison_questions",
    "country_name",
    "gold_questions",
    "make_truth",
    "make_truths",
    "rephrased_questions",
    "to_markdown",
    "to_pdf",
    "write_corpus",
    "write_factsheets",
    "write_gold",
]
