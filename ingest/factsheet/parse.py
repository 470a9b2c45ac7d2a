"""``parse_profile``: a factsheet Document read into a ``FactsheetProfile``.

- Table 1, one row per field (POLICY OBJECTIVES ... POLICY ALIGNMENT WITH THE EU PRIORITIES): its
  standardised categories (the bold lines), its explanation and its sub-rows (INSTRUMENTS'
  "Financial", HISTORY's "Starting year", ...), each value a ``TextSpan`` into ``Document.text``
  with its page. ``render`` already merged the table's page-split rows and dropped the "Policy
  type / Policy name" rows repeated on every page, and the Markdown and the PDF of one factsheet
  render block for block alike, so one parser gives both the same profile.
- The narrative sections (economic context, the policy overview, the state-of-play subsections,
  cooperation), as paragraphs with spans.
- The state of play, decided by ``state_of_play.classify_state_of_play`` once the fields and
  narratives are read.

Works on ``Document.blocks`` alone (no I/O, no model): cheap enough to run at every index load.
"""

from __future__ import annotations

import re

from policyqa.ingest.factsheet.profile import (
    FactsheetProfile,
    Narrative,
    ProfileField,
    SubField,
    TextSpan,
)
from policyqa.ingest.factsheet.state_of_play import classify_state_of_play
from policyqa.ingest.factsheet.template import (
    LABEL_KEYS,
    NARRATIVE_KEYS,
    SUBFIELD_KEYS,
    FieldKey,
    fold,
)
from policyqa.ingest.types import Block, BlockKind, Document, DocumentKind, PartRole

_NARRATIVE_BLOCKS = {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM}


def _label_key(label: str) -> str:
    return re.sub(r"[^a-z/ ]+", " ", fold(label).rstrip(":")).strip()


def _span(document: Document, start: int, end: int) -> TextSpan:
    return TextSpan(document.text[start:end], start, end, document.page_at(start))


def _table_one_rows(document: Document) -> list[Block]:
    """The rows of Table 1: the table whose row labels are the template's field labels."""
    by_table: dict[str | None, list[Block]] = {}
    for block in document.blocks:
        if block.kind is BlockKind.TABLE_ROW:
            by_table.setdefault(block.table, []).append(block)
    best: list[Block] = []
    best_score = 0
    for rows in by_table.values():
        score = sum(1 for row in rows if row.label and _label_key(row.label) in LABEL_KEYS)
        if score > best_score:
            best, best_score = rows, score
    return best if best_score >= 2 else []


def _row_value(document: Document, row: Block) -> TextSpan | None:
    """The value of a "Policy type: ..." row: its parts after the label, as one span."""
    values = [part for part in row.parts if part.role is not PartRole.LABEL]
    if not values:
        return None
    return _span(document, values[0].start, values[-1].end)


def _subfield_key(label: str) -> str:
    key = re.sub(r"\(.*?\)", " ", fold(label)).strip(" :")
    key = " ".join(key.split())
    return SUBFIELD_KEYS.get(key) or re.sub(r"\W+", "_", key).strip("_") or "value"


def _profile_field(document: Document, key: FieldKey, row: Block) -> ProfileField:
    label: TextSpan | None = None
    categories: list[TextSpan] = []
    text: list[TextSpan] = []
    subfields: list[SubField] = []
    current: tuple[TextSpan, list[TextSpan], list[TextSpan]] | None = None

    def close() -> None:
        if current is not None:
            sub_label, sub_categories, sub_values = current
            subfields.append(
                SubField(
                    _subfield_key(sub_label.text),
                    sub_label,
                    tuple(sub_categories),
                    tuple(sub_values),
                )
            )

    for part in row.parts:
        span = _span(document, part.start, part.end)
        if part.role is PartRole.LABEL:
            label = span
        elif part.role is PartRole.SUBLABEL:
            close()
            current = (span, [], [])
        elif current is not None:
            (current[1] if part.role is PartRole.CATEGORY else current[2]).append(span)
        else:
            (categories if part.role is PartRole.CATEGORY else text).append(span)
    close()
    return ProfileField(
        key=key,
        label=label or _span(document, row.start, row.start),
        start=row.start,
        end=row.end,
        section=row.section,
        categories=tuple(categories),
        text=tuple(text),
        subfields=tuple(subfields),
    )


def _narratives(document: Document) -> list[Narrative]:
    """Paragraphs under each known heading; a section's own paragraphs, not its subsections'."""
    found: dict[str, tuple[str, tuple[str, ...], list[TextSpan]]] = {}
    headings = {
        block.section: document.text[block.start : block.end]
        for block in document.blocks
        if block.kind is BlockKind.HEADING
    }
    for block in document.blocks:
        if block.kind not in _NARRATIVE_BLOCKS or not block.section:
            continue
        heading = headings.get(block.section, block.section[-1])
        key = _narrative_key(block.section)
        if key is None:
            continue
        if key not in found:
            found[key] = (heading, block.section, [])
        elif found[key][1] != block.section:
            continue  # a second section with the same key (a repeated heading): keep the first
        found[key][2].append(_span(document, block.start, block.end))
    return [
        Narrative(key, heading, section, tuple(paragraphs))
        for key, (heading, section, paragraphs) in found.items()
    ]


def _narrative_key(section: tuple[str, ...]) -> str | None:
    title = fold(section[-1])
    title = re.sub(r"^\d+(\.\d+)*\.?\s+", "", title)
    for key, pattern in NARRATIVE_KEYS:
        if pattern.search(title):
            # the numbered "3. State of cluster policy" section itself is no criterion
            return key
    return None


def parse_profile(document: Document) -> FactsheetProfile | None:
    """The factsheet's profile, or None when the document is no factsheet with a Table 1."""
    if document.kind is not DocumentKind.FACTSHEET:
        return None
    rows = _table_one_rows(document)
    if not rows:
        return None
    policy_type: TextSpan | None = None
    policy_name: TextSpan | None = None
    fields: list[ProfileField] = []
    seen: set[FieldKey] = set()
    for row in rows:
        key_text = _label_key(row.label or "")
        if key_text == "policy type" and policy_type is None:
            policy_type = _row_value(document, row)
        elif key_text == "policy name" and policy_name is None:
            policy_name = _row_value(document, row)
        elif key_text in LABEL_KEYS and LABEL_KEYS[key_text] not in seen:
            # a factsheet describing a second policy repeats the labels: the first one is kept
            key = LABEL_KEYS[key_text]
            seen.add(key)
            fields.append(_profile_field(document, key, row))
    narratives = _narratives(document)
    table_section = rows[0].section[:-1] if rows[0].label else rows[0].section
    partial = FactsheetProfile(
        doc_id=document.doc_id,
        country=document.country,
        year=document.year,
        synthetic=document.synthetic,
        policy_type=policy_type,
        policy_name=policy_name,
        fields=tuple(fields),
        narratives=tuple(narratives),
        state_of_play=(),
        table_section=table_section,
    )
    states = classify_state_of_play(partial, document.text)
    return FactsheetProfile(
        doc_id=partial.doc_id,
        country=partial.country,
        year=partial.year,
        synthetic=partial.synthetic,
        policy_type=policy_type,
        policy_name=policy_name,
        fields=partial.fields,
        narratives=partial.narratives,
        state_of_play=tuple(states),
        table_section=table_section,
    )
