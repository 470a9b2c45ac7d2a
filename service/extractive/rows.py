"""Statements for a table row that states values (Table 1 of a factsheet).

A row holds its label ("INSTRUMENTS"), bold standardised categories, sub-rows ("Financial",
"Starting year") with their values, and explanations. The answer lists each group's values in
one statement quoted from its label, then the explanation's sentences that match the question.
"""

from __future__ import annotations

from collections.abc import Mapping

from policyqa.index.lexical import analyse
from policyqa.ingest import PartRole
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.extractive.passages import RankedPassage, in_supplementary_section
from policyqa.service.relevance import term_coverage
from policyqa.service.statements import Statement, clean


def row_statements(passage: RankedPassage, weights: Mapping[str, float]) -> list[Statement]:
    """Statements for a table row that states values: its categories and sub-rows."""
    block = passage.block
    if block is None or in_supplementary_section(block.section):
        return []
    # the whole row, also the parts a long row's other passages hold (quotes stay exact spans)
    parts = list(block.parts)
    if not any(part.role in (PartRole.CATEGORY, PartRole.SUBLABEL) for part in parts):
        return []  # a list of options (Table 2) or plain text: answer with sentences instead
    hit = passage.hit
    text = hit.document.text
    statements: list[Statement] = []
    group_start: int | None = None  # where the current group's quote starts
    values: list[tuple[int, int]] = []
    prose: list[tuple[int, int]] = []

    def say(start: int, end: int, words: str) -> None:
        statements.append(Statement(words, hit.document, start, end, passage=hit))

    def close_group() -> None:
        if values:
            start = group_start if group_start is not None else values[0][0]
            end = values[-1][1]
            say(start, end, _listing(text, start, end))
        for start, end in _best_sentences(text, prose, weights, limit=2):
            say(start, end, clean(text[start:end]))

    for part in parts:
        if part.role is PartRole.LABEL:
            group_start = part.start
        elif part.role is PartRole.SUBLABEL:
            first_subrow = group_start is not None and not values and not prose
            close_group()
            # the first sub-row's quote keeps the row label ("INSTRUMENTS\nFinancial: ...")
            group_start = group_start if first_subrow and not statements else part.start
            values, prose = [], []
        elif part.role is PartRole.CATEGORY or _is_value(text[part.start : part.end]):
            values.append((part.start, part.end))
        else:
            prose.append((part.start, part.end))
            if not values:
                group_start = None  # the explanation starts its own quote
    close_group()
    return statements


def _best_sentences(
    text: str,
    spans: list[tuple[int, int]],
    weights: Mapping[str, float],
    limit: int,
) -> list[tuple[int, int]]:
    """The ``limit`` sentences of ``spans`` sharing most question terms (first on ties)."""
    sentences = [s for start, end in spans for s in sentence_spans(text, start, end)]
    scored = [
        (term_coverage(weights, set(analyse(text[start:end]))), -index, (start, end))
        for index, (start, end) in enumerate(sentences)
    ]
    scored.sort(reverse=True)
    return sorted(span for _, _, span in scored[:limit])


def _is_value(line: str) -> bool:
    """Short regular-text values in a row ("2021", "Data unavailable"), not explanations."""
    return len(line.split()) <= 6 and not line.rstrip().endswith(".")


def _listing(text: str, start: int, end: int) -> str:
    """A row's lines as one readable statement: "LABEL: a; b; c" or "Sub-label: a; b"."""
    lines = [line.strip() for line in text[start:end].split("\n") if line.strip()]
    if len(lines) > 1 and ":" not in lines[0]:
        return f"{lines[0]}: {'; '.join(lines[1:])}"  # the row label heads the list
    return "; ".join(lines)
