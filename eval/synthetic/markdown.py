"""The Markdown writer: ``to_markdown(truth)``, the factsheet as the converter wrote Morocco's.

Page banners in the body, ``<b>``, ``<br>`` and ``<p>`` in table cells, Table 1 split over
several Markdown tables that each repeat the "Policy type / Policy name" rows (a long
explanation split mid-sentence between two of them), Table 2 without its highlighting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from policyqa.eval.synthetic.document import (
    Heading,
    Item,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    document_elements,
    plain_text,
)
from policyqa.eval.synthetic.truth import FactsheetTruth

_BANNER = "SYNTHETIC CLUSTER FACTSHEETS  \nGENERATED TEST CORPUS"


def _md_runs(runs: Runs) -> str:
    parts = []
    for text, bold in runs:
        escaped = html.escape(text, quote=False)
        parts.append(f"<b>{escaped}</b>" if bold else escaped)
    return " ".join(parts)


def _md_inline(runs: Runs) -> str:
    """Running text: bold as **...**, everything else escaped for Markdown."""
    parts = []
    for text, bold in runs:
        escaped = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
        parts.append(f"**{escaped}**" if bold else escaped)
    return " ".join(parts)


def _md_cell(lines: Sequence[Runs], style: str) -> str:
    if style == "p":
        return " ".join(f"<p>{_md_runs(line)}</p>" for line in lines)
    return "<br>".join(_md_runs(line) for line in lines)


def to_markdown(truth: FactsheetTruth) -> str:
    """The factsheet as a converter would have written it to Markdown."""
    out: list[str] = ["", "", _BANNER, ""]
    elements = document_elements(truth)
    for element in elements:
        if isinstance(element, Heading):
            out += ["#" * element.rank + " " + element.text, ""]
        elif isinstance(element, Paragraph):
            out += [_md_inline(element.runs), ""]
        elif isinstance(element, Item):
            out += ["- " + _md_inline(plain_text(element.text)), ""]
        elif isinstance(element, PageBreak):
            out += ["", "", _BANNER, "", ""]
        elif element.kind == "table1":
            out += _md_table1(element, truth)
        else:
            out += _md_table(element)
    return "\n".join(out) + "\n"


def _md_table(table: Table) -> list[str]:
    """Table 2 (one option per row, highlighting lost) or Table 3 (the Annex)."""
    lines = ["| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.header)]
    for row in table.rows:
        label = f"<b>{html.escape(row.label, quote=False)}</b>"
        group_lines = row.groups[0].lines
        if table.kind == "table2":
            for index, line in enumerate(group_lines):
                lines.append(f"| {label if index == 0 else ''} | {_md_runs(line)} |")
        else:
            description, *options = group_lines
            lines.append(f"| {label} | {_md_runs(description)} | {_md_cell(options, 'br')} |")
    return [*lines, ""]


def _md_table1(table: Table, truth: FactsheetTruth) -> list[str]:
    """Table 1 split into several Markdown tables, each repeating the policy rows."""
    layout = truth.layout
    style = str(layout.get("md_cells", "br"))
    head, body = table.rows[:2], list(table.rows[2:])
    # Markdown rows: (label, sublabel, lines), a row with sub-rows over several lines
    md_rows: list[tuple[str, Runs | None, list[Runs]]] = []
    for row in body:
        for index, group in enumerate(row.groups):
            md_rows.append((row.label if index == 0 else "", group.sublabel, list(group.lines)))
    chunks = max(1, int(layout.get("md_chunks", 2)))
    size = -(-len(md_rows) // chunks)
    pieces = [md_rows[i : i + size] for i in range(0, len(md_rows), size)]
    if layout.get("md_split_sentence") and len(pieces) > 1:
        _split_sentence_between(pieces)
    out: list[str] = []
    for piece in pieces:
        three = any(sublabel is not None for _, sublabel, _ in piece)
        empty = "|   |   |   |" if three else "|   |  |"
        out += [empty, "|---|---|---|" if three else "|---|--|"]
        for row in head:
            value = _md_runs(row.groups[0].lines[0])
            out.append(f"| {row.label}  | {value}  |" + ("   |" if three else ""))
        for label, sublabel, lines in piece:
            label_cell = f"<b>{html.escape(label, quote=False)}</b><br>" if label else "  "
            if sublabel is not None:
                out.append(f"| {label_cell} | {_md_runs(sublabel)} | {_md_cell(lines, style)} |")
            else:
                out.append(
                    f"| {label_cell} | {_md_cell(lines, style)} |" + ("   |" if three else "")
                )
        out += ["", "", _BANNER, "", ""] if len(pieces) > 1 and piece is not pieces[-1] else []
        out.append("")
    return out


def _split_sentence_between(pieces: list[list[tuple[str, Runs | None, list[Runs]]]]) -> None:
    """Move the end of the last explanation of a piece to the next piece, mid-sentence.

    The converter split Table 1 at page breaks, and a page break can fall inside a sentence:
    the next Markdown table then opens with a row that has no label and the rest of the text.
    """
    for index in range(len(pieces) - 1):
        label, sublabel, lines = pieces[index][-1]
        if not lines or lines[-1][0][1]:
            continue  # ends with a bold category: nothing to split
        text = lines[-1][0][0]
        words = text.split(" ")
        cut = next(
            (
                i
                for i in range(len(words) // 2, len(words) - 2)
                if words[i][:1].islower() and not words[i - 1].endswith((".", ":", ";", "!", "?"))
            ),
            None,
        )
        if cut is None:
            continue
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        pieces[index][-1] = (label, sublabel, [*lines[:-1], plain_text(head)])
        pieces[index + 1].insert(0, ("", None, [plain_text(tail)]))
        return
