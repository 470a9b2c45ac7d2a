"""Factsheet profiles: the ECCP template's fields as structured data, every value with its span.

All 56 ECCP country factsheets share one template. ``parse_profile`` reads a factsheet Document
into a ``FactsheetProfile``:

- Table 1, one row per field (POLICY OBJECTIVES ... POLICY ALIGNMENT WITH THE EU PRIORITIES): its
  standardised categories (the bold lines), its explanation and its sub-rows (INSTRUMENTS'
  "Financial", HISTORY's "Starting year", ...), each value a ``TextSpan`` into ``Document.text``
  with its page. ``render`` already merged the table's page-split rows and dropped the "Policy
  type / Policy name" rows repeated on every page, and the Markdown and the PDF of one factsheet
  render block for block alike, so one parser gives both the same profile.
- The narrative sections (economic context, the policy overview, the state-of-play subsections,
  cooperation), as paragraphs with spans.
- The state of play, one option per criterion (policy scope, continuity, evidence of performance,
  cluster support instruments), classified from what the document asserts: Table 1 (policy type,
  HISTORY, POLICY EVALUATION, INSTRUMENTS) and the narrative under Table 2, by explicit cue
  phrases, each decision keeping the evidence spans it relied on and a one-line reason. Table 2
  itself is never read: the converted Markdown lost its highlighting and lists all four options,
  and the Annex (Table 3) only defines them.

Works on ``Document.blocks`` alone (no I/O, no model): cheap enough to run at every index load.

The modules, each with one job:

- ``template``: the template's vocabulary (fields, sub-rows, criteria, options, headings);
- ``profile``: the profile types (``TextSpan``, ``ProfileField``, ``FactsheetProfile``, ...);
- ``parse``: ``parse_profile``, Table 1 rows and narrative sections into a profile;
- ``state_of_play``: ``classify_state_of_play`` and its cue rules.
"""

from policyqa.ingest.factsheet.parse import parse_profile
from policyqa.ingest.factsheet.profile import (
    FactsheetProfile,
    Narrative,
    ProfileField,
    StateOfPlay,
    SubField,
    TextSpan,
)
from policyqa.ingest.factsheet.state_of_play import classify_state_of_play
from policyqa.ingest.factsheet.template import (
    CRITERION_LABELS,
    FIELD_LABELS,
    NARRATIVE_KEYS,
    STATE_OF_PLAY_OPTIONS,
    SUBFIELD_LABELS,
    UNAVAILABLE,
    Criterion,
    FieldKey,
)

__all__ = [
    "CRITERION_LABELS",
    "FIELD_LABELS",
    "NARRATIVE_KEYS",
    "STATE_OF_PLAY_OPTIONS",
    "SUBFIELD_LABELS",
    "UNAVAILABLE",
    "Criterion",
    "FactsheetProfile",
    "FieldKey",
    "Narrative",
    "ProfileField",
    "StateOfPlay",
    "SubField",
    "TextSpan",
    "classify_state_of_play",
    "parse_profile",
]
