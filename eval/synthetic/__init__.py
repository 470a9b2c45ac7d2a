"""Synthetic country factsheets on the ECCP template, with the ground truth of every field.

Only Morocco's factsheet is real in this project; tests, the evaluation and the benchmarks need
many near-identical factsheets to tell countries apart, so this module writes them about
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
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyqa.eval.synthetic.draw import country_name, make_truth, make_truths
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
from policyqa.ingest.factsheet import (
    CRITERION_LABELS,
    FIELD_LABELS,
    STATE_OF_PLAY_OPTIONS,
    SUBFIELD_LABELS,
    Criterion,
    FieldKey,
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


# --- the document model shared by both writers ----------------------------------------------------

Runs = tuple[tuple[str, bool], ...]  # (text, bold) pieces of one line of text


@dataclass(frozen=True, slots=True)
class _Heading:
    rank: int  # 1 largest
    text: str


@dataclass(frozen=True, slots=True)
class _Paragraph:
    runs: Runs


@dataclass(frozen=True, slots=True)
class _Item:
    text: str


@dataclass(frozen=True, slots=True)
class _PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class _Group:
    """A sub-row (or the body of a plain row): its sub-label and its lines."""

    sublabel: Runs | None
    lines: tuple[Runs, ...]


@dataclass(frozen=True, slots=True)
class _Row:
    label: str
    groups: tuple[_Group, ...]
    bold_label: bool = True


@dataclass(frozen=True, slots=True)
class _Table:
    kind: str  # "table1", "table2", "table3"
    rows: tuple[_Row, ...]
    header: tuple[str, ...] = ()
    highlight: frozenset[tuple[int, int]] = frozenset()  # (row, line) of Table 2's options


_Element = _Heading | _Paragraph | _Item | _PageBreak | _Table


def _plain(text: str) -> Runs:
    return ((text, False),)


def _bold(text: str) -> Runs:
    return ((text, True),)


def _table1_rows(truth: FactsheetTruth) -> list[_Row]:
    rows = [
        _Row("Policy type:", (_Group(None, (_plain(truth.policy_type),)),), bold_label=False),
        _Row("Policy name:", (_Group(None, (_plain(truth.policy_name),)),), bold_label=False),
    ]
    for item in truth.fields:
        groups: list[_Group] = []
        lines = [_bold(c) for c in item.categories] + [_plain(t) for t in item.text]
        if lines or not item.subfields:
            groups.append(_Group(None, tuple(lines)))
        for sub in item.subfields:
            label = SUBFIELD_LABELS[sub.key]
            sublabel: Runs = _bold(label)
            if sub.key == "ending_year":
                sublabel = ((label, True), ("(for policies with limited period)", False))
            sub_lines = [_bold(c) for c in sub.categories] + [_plain(v) for v in sub.values]
            groups.append(_Group(sublabel, tuple(sub_lines)))
        rows.append(_Row(FIELD_LABELS[item.key], tuple(groups)))
    return rows


def _table2(truth: FactsheetTruth) -> _Table:
    rows = []
    highlight = set()
    for index, criterion in enumerate(Criterion):
        options = STATE_OF_PLAY_OPTIONS[criterion]
        rows.append(
            _Row(
                CRITERION_LABELS[criterion],
                (_Group(None, tuple(_plain(option) for option in options)),),
            )
        )
        highlight.add((index, truth.level(criterion)))
    return _Table("table2", tuple(rows), (truth.country, "State of play"), frozenset(highlight))


_ANNEX = (
    (
        "Policy scope",
        "Whether the country has a dedicated cluster policy, or targets cluster development "
        "through broader or sectoral policies.",
        (
            "absence of cluster policy",
            "existence of broader policies",
            "existence of specific sectoral policies",
            "existence of targeted cluster policies",
        ),
    ),
    (
        "Continuity of cluster policies",
        "How long the country has carried out cluster policies; only targeted cluster "
        "policies count.",
        (
            "absence of policies supporting cluster development",
            "cluster policy established recently (within the last 2 years)",
            "cluster policy established between over 2 and 10 years",
            "cluster policy established over 10 years ago",
        ),
    ),
    (
        "Evidence of performance",
        "Whether past and ongoing policies are evaluated and monitored.",
        (
            "no evaluation and / or monitoring available",
            "existence of evaluations of past policies, e.g. ex-ante",
            "existence of monitoring or an ongoing / interim evaluation",
            "existence of monitoring and ex-ante or ongoing / interim evaluation",
        ),
    ),
    (
        "Cluster Support Instruments",
        "Whether the policies provide financial and/or technical instruments.",
        (
            "no instruments for cluster development",
            "financial support for cluster development in the broader and / or sectoral policy",
            "financial or technical support for cluster development in dedicated cluster policy",
            "financial and technical support for cluster development in dedicated cluster policy",
        ),
    ),
)


def _table3() -> _Table:
    rows = tuple(
        _Row(
            label,
            (_Group(None, (_plain(description), *(_bold(option) for option in options))),),
        )
        for label, description, options in _ANNEX
    )
    return _Table("table3", rows, ("Criterion", "Description", "Categorical variables"))


def _document(truth: FactsheetTruth) -> list[_Element]:
    """The factsheet as a sequence of elements, in reading order."""
    c, year = truth.country, truth.year
    dividers = bool(truth.layout.get("pdf_dividers"))
    out: list[_Element] = [
        _Heading(1, "Country factsheet"),
        _Paragraph(_plain(c)),
        _Paragraph(_plain(SYNTHETIC_MARKER)),
    ]

    def chapter(number: int, title: str) -> None:
        out.append(_PageBreak())
        if dividers:
            out.extend([_Heading(1, f"0{number}"), _Heading(2, title), _PageBreak()])
        out.append(_Heading(2, f"{number}. {title}"))

    chapter(1, "Introduction and economic policy context")
    for text in truth.narrative("context"):
        out.append(_Item(text) if re.match(r"\d\) ", text) else _Paragraph(_plain(text)))
    chapter(2, "National cluster policy, programmes and initiatives")
    out.extend(_Paragraph(_plain(p)) for p in truth.narrative("overview"))
    out.append(_Paragraph(_bold(f"Table 1 - Overview of cluster policy in {c}")))
    out.append(_Table("table1", tuple(_table1_rows(truth))))
    out.append(_Paragraph(_plain(f"Source: ECCP ({year})")))
    chapter(3, "State of cluster policy")
    out.append(
        _Paragraph(
            _plain(
                f"This section presents the state of play of {truth.adjective} cluster policy "
                "across four categories of analysis: policy scope, continuity, evidence of "
                "performance and cluster support instruments."
            )
        )
    )
    out.append(_Paragraph(_bold("Table 2 - State of play")))
    out.append(_table2(truth))
    out.append(_Paragraph(_plain(f"Source: ECCP ({year}).")))
    out.append(
        _Paragraph(_plain(f"The text below describes the state of play of cluster policy in {c}."))
    )
    for key, heading in (
        ("scope", "Policy scope"),
        ("continuity", "Continuity"),
        ("performance", "Evidence of performance"),
        ("support_instruments", "Cluster support instruments"),
        ("cooperation", "Cross-regional / international cooperation"),
    ):
        out.append(_Heading(3, heading))
        out.extend(_Paragraph(_plain(p)) for p in truth.narrative(key))
    out.append(_PageBreak())
    out.append(_Heading(1, "References"))
    slug = c.lower()
    out.extend(
        _Paragraph(_plain(reference))
        for reference in (
            f"Government of {c} ({year - 1}): {truth.policy_name}. Available at: "
            f"https://example.org/{slug}/policy.pdf",
            f"Statistical Office of {c} ({year - 1}): Industry in figures. Available at: "
            f"https://example.org/{slug}/statistics",
            f"{truth.adjective} Cluster Office ({year}): Annual report. Synthetic reference.",
        )
    )
    out.append(_Heading(1, "Annex"))
    out.append(_Paragraph(_bold("Table 3 - Analytical framework for the state of cluster policy")))
    out.append(_table3())
    out.append(_Paragraph(_plain(f"Source: ECCP ({year}).")))
    return out


# --- Markdown -----------------------------------------------------------------------------------

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
    elements = _document(truth)
    for element in elements:
        if isinstance(element, _Heading):
            out += ["#" * element.rank + " " + element.text, ""]
        elif isinstance(element, _Paragraph):
            out += [_md_inline(element.runs), ""]
        elif isinstance(element, _Item):
            out += ["- " + _md_inline(_plain(element.text)), ""]
        elif isinstance(element, _PageBreak):
            out += ["", "", _BANNER, "", ""]
        elif element.kind == "table1":
            out += _md_table1(element, truth)
        else:
            out += _md_table(element)
    return "\n".join(out) + "\n"


def _md_table(table: _Table) -> list[str]:
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


def _md_table1(table: _Table, truth: FactsheetTruth) -> list[str]:
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
        pieces[index][-1] = (label, sublabel, [*lines[:-1], _plain(head)])
        pieces[index + 1].insert(0, ("", None, [_plain(tail)]))
        return


# --- PDF ------------------------------------------------------------------------------------------

_PT = 0.3528  # millimetres per point
_PAGE_TOP = 28.0
_PAGE_BOTTOM = 272.0
_LEFT = 20.0
_RIGHT = 190.0


_TERMINAL = (".", "!", "?", ":", ";")


def _splits(lines: Sequence[Runs]) -> list[int]:
    """Where a paragraph may break across pages: before a line that goes on in lower case.

    The PDF parser rejoins a cell split by a page break only when the sentence visibly goes on
    (no full stop before the break, lower case after it), as in the published factsheets.
    """
    return [
        index
        for index in range(1, len(lines))
        if lines[index][0][0][:1].islower() and not lines[index - 1][-1][0].endswith(_TERMINAL)
    ]


class _PdfWriter:
    """A small typesetter over fpdf2: lines placed by hand, so the layout is known exactly."""

    def __init__(self, truth: FactsheetTruth, body: float) -> None:
        from fpdf import FPDF  # imported here: only PDF writing needs it

        self.truth = truth
        self.body = body
        self.pitch = self.body * 1.42 * _PT  # baseline distance of body lines, mm
        self.pdf = FPDF(unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creator("policyqa synthetic factsheet generator")
        self.pdf.set_title(f"Synthetic factsheet: {truth.country}")
        self.y = _PAGE_TOP
        self.pages = 0
        self._widths: dict[tuple[str, bool, float], float] = {}
        self.table1_columns = (_LEFT, _LEFT + 46, _LEFT + 82)
        self.table1_width = _RIGHT - _LEFT - 82
        self.table2_width = _RIGHT - _LEFT - 62
        self.table3_widths = (50.0, _RIGHT - _LEFT - 84)

    # --- primitives ---------------------------------------------------------------------

    def font(self, bold: bool, size: float) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)

    def width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        if key not in self._widths:
            self.font(bold, size)
            self._widths[key] = float(self.pdf.get_string_width(text))
        return self._widths[key]

    def new_page(self, running: bool = True) -> None:
        self.pdf.add_page()
        self.pages += 1
        self.y = _PAGE_TOP
        if not running:
            return
        corpus = "Synthetic test corpus"
        self.font(False, 8)
        self.pdf.text(_LEFT, 12, f"Country factsheet - {self.truth.country}")
        self.pdf.text(_RIGHT - self.width(corpus, False, 8), 12, corpus)
        label = f"Page {self.pages}"
        self.font(False, 8)
        self.pdf.text(_LEFT, 287, "Cluster policy factsheets")
        self.pdf.text(_RIGHT - self.width(label, False, 8), 287, label)

    def wrap(self, runs: Runs, width: float, size: float) -> list[Runs]:
        """Lines of at most ``width`` mm, broken between words (never inside one)."""
        words = [(word, bold) for text, bold in runs for word in text.split(" ") if word]
        lines: list[list[tuple[str, bool]]] = [[]]
        used = 0.0
        for word, bold in words:
            space = self.width(" ", bold, size) if lines[-1] else 0.0
            extra = self.width(word, bold, size) + space
            if lines[-1] and used + extra > width:
                lines.append([])
                used = 0.0
                extra = self.width(word, bold, size)
            lines[-1].append((word, bold))
            used += extra
        return [tuple(line) for line in lines if line]

    def line_width(self, line: Runs, size: float) -> float:
        """The width of a line as ``draw`` sets it."""
        total = sum(self.width(word, bold, size) for word, bold in line)
        return total + sum(self.width(" ", bold, size) for _, bold in line[:-1])

    def readable_width(
        self, cells: Sequence[Sequence[Runs]], widest: float, size: float
    ) -> float | None:
        """The widest column width, down from ``widest``, at which the PDF parser reads the
        items of ``cells`` (one cell: the lines of one table cell) as they are; None if none.

        The parser (``ingest.pdf``) tells a wrapped line from the next item of a cell by
        geometry only: a line is a wrap when its first word (up to a hyphen, where a line may
        also break) would not have fitted on the line above within the column's extent, and a
        bold line that begins with a capital or with the first word of another item starts a
        new category. Widths where some line break of this document falls foul of these rules
        are skipped: they are documented limits of the parser, not what this generator tests.
        """
        for step in range(60):
            width = widest - 0.5 * step
            if self._reads_back(cells, width, size):
                return width
        return None

    def _would_wrap(self, above: Runs, word: str, bold: bool, extent: float, size: float) -> bool:
        piece = re.match(r"[^\W_]+-|\S+", word)
        start = piece.group(0) if piece else word
        room = self.line_width(above, size) + self.width(" ", above[-1][1], size)
        return room + self.width(start, bold, size) > extent

    def _reads_back(self, cells: Sequence[Sequence[Runs]], width: float, size: float) -> bool:
        wrapped = [[self.wrap(item, width, size) for item in cell] for cell in cells]
        extent = max(
            (self.line_width(line, size) for cell in wrapped for item in cell for line in item),
            default=width,
        )
        for items in wrapped:
            # item boundaries: the parser must see each item start
            starts: set[str] = set()
            for index, lines in enumerate(items):
                word, bold = lines[0][0]
                if index == 0:
                    starts.add(word)
                    continue
                above = items[index - 1][-1]
                if above[-1][1] != bold or not self._would_wrap(above, word, bold, extent, size):
                    starts.add(word)
                elif not (bold and (word[:1].isupper() or word in starts)):
                    return False
            # wrapped lines: the parser must see each of them continue its item
            for lines in items:
                for above, below in itertools.pairwise(lines):
                    word, bold = below[0]
                    if not self._would_wrap(above, word, bold, extent, size):
                        return False
                    if bold and above[-1][1] and (word[:1].isupper() or word in starts):
                        return False
        return True

    def plan(self) -> bool:
        """Choose the tables' column widths; False when this body size has no readable ones."""
        layout = self.truth.layout
        label_width = float(layout.get("pdf_label_width", 44.0))
        sub_width = float(layout.get("pdf_sub_width", 34.0))
        self.table1_columns = (_LEFT, _LEFT + label_width + 2, _LEFT + label_width + sub_width + 4)
        cells = [group.lines for row in _table1_rows(self.truth) for group in row.groups]
        value = self.readable_width(cells, _RIGHT - self.table1_columns[2], self.body)
        options = [[line] for row in _table2(self.truth).rows for line in row.groups[0].lines]
        table2 = self.readable_width(options, _RIGHT - _LEFT - 62, self.body)
        annex = [list(row.groups[0].lines) for row in _table3().rows]
        descriptions = self.readable_width([cell[:1] for cell in annex], 50.0, self.body)
        categories = self.readable_width(
            [cell[1:] for cell in annex], _RIGHT - _LEFT - 84, self.body
        )
        if value is None or table2 is None or descriptions is None or categories is None:
            return False
        self.table1_width = value
        self.table2_width = table2
        self.table3_widths = (descriptions, categories)
        return True

    def draw(self, x: float, y: float, line: Runs, size: float) -> None:
        """Draw one line with its baseline at ``y``."""
        for index, (word, bold) in enumerate(line):
            if index:
                x += self.width(" ", line[index - 1][1], size)
            self.font(bold, size)
            self.pdf.text(x, y, word)
            x += self.width(word, bold, size)

    def room(self, lines: float) -> bool:
        """True when ``lines`` more body lines fit on the page."""
        return self.y + (lines - 1) * self.pitch <= _PAGE_BOTTOM

    # --- flow elements ------------------------------------------------------------------

    def heading(self, rank: int, text: str) -> None:
        size = {1: 20.0, 2: 15.0, 3: 12.5}[rank]
        lines = self.wrap(_bold(text), _RIGHT - _LEFT, size)
        pitch = size * 1.25 * _PT
        if not self.room(4 + len(lines) * pitch / self.pitch):
            self.new_page()
        self.y += size * _PT * 0.8
        for line in lines:
            self.draw(_LEFT, self.y, line, size)
            self.y += pitch
        self.y += 0.9 * size * _PT

    def paragraph(self, runs: Runs, indent: float = 0.0, hanging: float = 0.0) -> None:
        lines = self.wrap(runs, _RIGHT - _LEFT - indent - hanging, self.body)
        if not self.room(len(lines)):
            self.new_page()
        for index, line in enumerate(lines):
            self.draw(_LEFT + indent + (hanging if index else 0.0), self.y, line, self.body)
            self.y += self.pitch
        self.y += 0.7 * self.pitch

    # --- Table 1 ------------------------------------------------------------------------

    def table1(self, table: _Table) -> None:
        """Table 1: label | sub-label | values; the policy rows repeated on every page."""
        x_label, x_sub, x_value = self.table1_columns
        label_width, sub_width = x_sub - x_label - 2, x_value - x_sub - 2
        value_width = self.table1_width
        head, body = table.rows[:2], table.rows[2:]
        gap = 0.6 * self.pitch  # padding between rows

        def policy_rows() -> None:
            for row in head:
                self.draw(x_label, self.y, _plain(row.label), self.body)
                for line in self.wrap(row.groups[0].lines[0], value_width, self.body):
                    self.draw(x_value, self.y, line, self.body)
                    self.y += self.pitch
                self.y += gap

        def next_page() -> None:
            self.new_page()
            policy_rows()

        if not self.room(10):
            self.new_page()
        policy_rows()
        for row in body:
            label_lines = self.wrap(_bold(row.label), label_width, self.body)
            for group_index, group in enumerate(row.groups):
                sub_lines = (
                    self.wrap(group.sublabel, sub_width, self.body) if group.sublabel else []
                )
                items = [self.wrap(line, value_width, self.body) for line in group.lines]
                # the label, the sub-label and the start of the first value share a page
                first = items[0] if items else []
                keep = len(first) if first and first[0][0][1] else [*_splits(first), len(first)][0]
                own = max(len(label_lines) if group_index == 0 else 0, len(sub_lines), keep, 1)
                if not self.room(own):
                    next_page()
                top = self.y
                bottom = top
                if group_index == 0:
                    for index, line in enumerate(label_lines):
                        self.draw(x_label, top + index * self.pitch, line, self.body)
                    bottom = top + len(label_lines) * self.pitch
                for index, line in enumerate(sub_lines):
                    self.draw(x_sub, top + index * self.pitch, line, self.body)
                bottom = max(bottom, top + len(sub_lines) * self.pitch)
                y = top
                for item in items:
                    lines = list(item)
                    bold = lines[0][0][1]
                    while lines:
                        fits = max(0, int((_PAGE_BOTTOM - y) // self.pitch) + 1)
                        if len(lines) <= fits:
                            count = len(lines)
                        elif bold:
                            count = 0  # a category is never split across pages
                        else:
                            count = max((k for k in _splits(lines) if k <= fits), default=0)
                        for line in lines[:count]:
                            self.draw(x_value, y, line, self.body)
                            y += self.pitch
                        lines = lines[count:]
                        if lines:
                            next_page()
                            y = bottom = self.y
                self.y = max(y, bottom) + gap
        self.y += 0.4 * self.pitch

    # --- Table 2 and Table 3 ------------------------------------------------------------

    def simple_table(self, table: _Table) -> None:
        """Table 2 (each option a row, the applicable one highlighted) or Table 3 (the Annex);
        both are kept on one page."""
        size = self.body
        if table.kind == "table2":
            columns, widths = [_LEFT, _LEFT + 62], [58.0, self.table2_width]
        else:
            columns = [_LEFT, _LEFT + 30, _LEFT + 84]
            widths = [27.0, *self.table3_widths]
        laid: list[tuple[list[Runs], list[list[Runs]], list[Runs]]] = []
        height = 2.0
        for row in table.rows:
            label = self.wrap(_bold(row.label), widths[0], size)
            lines = row.groups[0].lines
            if table.kind == "table2":
                blocks = [self.wrap(line, widths[1], size) for line in lines]
                laid.append((label, blocks, []))
                height += sum(len(b) + 0.4 for b in blocks) + 0.4
            else:
                description = self.wrap(lines[0], widths[1], size)
                blocks = [self.wrap(line, widths[2], size) for line in lines[1:]]
                laid.append((label, blocks, description))
                height += max(len(description), sum(len(b) for b in blocks)) + 0.6
        if not self.room(height):
            self.new_page()
        for column, title in zip(columns, table.header, strict=True):
            self.draw(column, self.y, _bold(title), size)
        self.y += 1.6 * self.pitch
        for row_index, (label, blocks, description) in enumerate(laid):
            top = self.y
            for index, line in enumerate(label):
                self.draw(columns[0], top + index * self.pitch, line, size)
            bottom = top + len(label) * self.pitch
            for index, line in enumerate(description):
                self.draw(columns[1], top + index * self.pitch, line, size)
            bottom = max(bottom, top + len(description) * self.pitch)
            column = columns[1] if table.kind == "table2" else columns[2]
            width = widths[1] if table.kind == "table2" else widths[2]
            y = top
            for block_index, block in enumerate(blocks):
                if (row_index, block_index) in table.highlight:
                    self.pdf.set_fill_color(255, 236, 150)
                    self.pdf.rect(
                        column - 1, y - 0.8 * self.pitch, width + 2, len(block) * self.pitch, "F"
                    )
                for line in block:
                    self.draw(column, y, line, size)
                    y += self.pitch
                if table.kind == "table2":
                    y += 0.4 * self.pitch  # each option of Table 2 is a row of its own
            self.y = max(bottom, y) + 0.6 * self.pitch
        self.y += 0.4 * self.pitch


def to_pdf(truth: FactsheetTruth, path: Path) -> Path:
    """Write the factsheet as an A4 PDF to ``path``; returns ``path``."""
    preferred = float(truth.layout.get("pdf_body", 10.0))
    for body in (preferred, 10.0, 9.5, 10.5, 9.0, 11.0):
        writer = _PdfWriter(truth, body)
        if writer.plan():
            break
    writer.new_page(running=False)
    for element in _document(truth):
        if isinstance(element, _Heading):
            writer.heading(element.rank, element.text)
        elif isinstance(element, _Paragraph):
            writer.paragraph(element.runs)
        elif isinstance(element, _Item):
            marker = element.text.split(" ", 1)[0]
            indent = writer.width(marker + " ", False, writer.body)
            writer.paragraph(_plain(element.text), indent=4.0, hanging=indent)
        elif isinstance(element, _PageBreak):
            writer.new_page()
        elif element.kind == "table1":
            writer.table1(element)
        else:
            writer.simple_table(element)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.pdf.output(str(path))
    return path


def write_factsheets(
    truths: Iterable[FactsheetTruth], folder: Path, formats: Sequence[str] = ("md", "pdf")
) -> list[Path]:
    """Write each truth in each format into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for truth in truths:
        if "md" in formats:
            path = folder / f"{truth.slug}.md"
            path.write_text(to_markdown(truth), "utf-8")
            paths.append(path)
        if "pdf" in formats:
            paths.append(to_pdf(truth, folder / f"{truth.slug}.pdf"))
    return paths


# --- evaluation questions -------------------------------------------------------------------------


def _question(
    truth: FactsheetTruth,
    doc_id: str,
    category: str,
    style: str,
    question: str,
    quotes: Iterable[str],
    key_facts: Iterable[str],
    number: int,
) -> dict[str, Any]:
    return {
        "id": f"{truth.slug}-{category}-{style}-{number}",
        "question": question,
        "answerable": True,
        "category": category,
        "style": style,
        "country": truth.country,
        "evidence": [{"doc_id": doc_id, "quote": quote} for quote in dict.fromkeys(quotes)],
        "key_facts": list(dict.fromkeys(key_facts)),
    }


def _sub_quote(truth: FactsheetTruth, key: FieldKey, sub: str) -> tuple[str, str]:
    """(quote as rendered, value) of a sub-row: ("Starting year: 2021", "2021")."""
    row = truth.field(key).sub(sub)
    assert row is not None
    value = (row.categories or row.values)[0]
    label = SUBFIELD_LABELS[sub]
    if sub == "ending_year":
        label += " (for policies with limited period)"
    return f"{label}: {value}", value


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def gold_questions(truth: FactsheetTruth, doc_id: str) -> list[dict[str, Any]]:
    """Evaluation questions about one synthetic factsheet, with their ground truth.

    The JSONL schema of ``eval/data``: ``id``, ``question``, ``answerable``, ``category`` (the
    aspect), ``style`` (direct, paraphrase, yesno, number), ``country``, ``evidence`` (exact
    quotes of the document's canonical text) and ``key_facts`` (strings a correct answer
    contains, compared case-insensitively).
    """
    c, a, p = truth.country, truth.adjective, truth.policy_name
    out: list[dict[str, Any]] = []

    def add(
        category: str, style: str, question: str, quotes: Iterable[str], facts: Iterable[str]
    ) -> None:
        out.append(_question(truth, doc_id, category, style, question, quotes, facts, len(out)))

    def categories(key: FieldKey) -> tuple[str, ...]:
        return truth.field(key).categories

    objectives = categories(FieldKey.OBJECTIVES)
    add("objectives", "direct", f"What are the policy objectives of {c}?", objectives, objectives)
    add("objectives", "paraphrase", f"What does {a} cluster policy aim at?", objectives, objectives)
    focus = categories(FieldKey.FOCUS)
    add("focus", "direct", f"What is the policy focus of {c}?", focus, focus)
    add("focus", "paraphrase", f"What does the {p} concentrate on?", focus, focus)
    roles = categories(FieldKey.AUTHORITIES)
    explanation = truth.field(FieldKey.AUTHORITIES).explanation[0]
    add(
        "authorities",
        "direct",
        f"Who are the responsible authorities of {c}'s policy?",
        [*roles, _first_sentence(explanation)],
        roles,
    )
    add(
        "authorities",
        "paraphrase",
        f"Which ministry or agency is in charge of the policy in {c}?",
        [*roles, _first_sentence(explanation)],
        roles,
    )
    beneficiaries = categories(FieldKey.BENEFICIARIES)
    add(
        "beneficiaries",
        "direct",
        f"Who are the beneficiaries in {c}?",
        beneficiaries,
        beneficiaries,
    )
    add(
        "beneficiaries",
        "paraphrase",
        f"Who gets support from the {p}?",
        beneficiaries,
        beneficiaries,
    )
    instruments = truth.field(FieldKey.INSTRUMENTS)
    tools = [
        item
        for key in ("financial", "technical_assistance")
        for item in (instruments.sub(key) or SubFieldTruth(key)).categories
    ] or ["None"]
    add("instruments", "direct", f"Which instruments does {c} use?", tools, tools)
    add("instruments", "paraphrase", f"What support measures does {c} offer?", tools, tools)
    start_quote, start = _sub_quote(truth, FieldKey.HISTORY, "starting_year")
    end_quote, end = _sub_quote(truth, FieldKey.HISTORY, "ending_year")
    add("history", "number", f"When did the {p} of {c} start?", [start_quote], [start])
    add("history", "number", f"Until when does {c}'s policy run?", [end_quote], [end])
    overall_quote, overall = _sub_quote(truth, FieldKey.BUDGET, "overall")
    add(
        "budget",
        "number",
        f"What is the overall budget of {c}'s policy?",
        [overall_quote],
        [overall],
    )
    add("budget", "paraphrase", f"How much money does {c} spend on it?", [overall_quote], [overall])
    availability_quote, availability = _sub_quote(truth, FieldKey.EVALUATION, "availability")
    add(
        "evaluation",
        "yesno",
        f"Has {c}'s policy been evaluated?",
        [availability_quote],
        [availability],
    )
    alignment = categories(FieldKey.ALIGNMENT)
    add(
        "alignment",
        "direct",
        f"Which EU priorities is {c}'s policy aligned with?",
        alignment,
        alignment,
    )
    scope_answer = "Yes" if truth.dedicated else "No"
    add(
        "scope",
        "yesno",
        f"Does {c} have a dedicated cluster policy?",
        [f"Policy type: {truth.policy_type}"],
        [scope_answer, truth.policy_type],
    )
    add(
        "scope",
        "direct",
        f"What kind of policy does {c} have?",
        [f"Policy type: {truth.policy_type}"],
        [truth.policy_type],
    )
    continuity = truth.narrative("continuity")
    add(
        "continuity",
        "paraphrase",
        f"How long has cluster policy existed in {c}?",
        [start_quote, *continuity],
        [start],
    )
    add(
        "continuity",
        "yesno",
        f"Is there continuity in {a} cluster policy?",
        [start_quote, *continuity],
        [start],
    )
    performance = truth.narrative("performance")
    add(
        "performance",
        "direct",
        f"What evidence of performance is there for {c}?",
        [availability_quote, *performance],
        [availability],
    )
    add(
        "support_instruments",
        "direct",
        f"What cluster support instruments exist in {c}?",
        tools,
        tools[:1],
    )
    cooperation = truth.narrative("cooperation")
    add(
        "cooperation",
        "direct",
        f"Do {a} clusters take part in international cooperation?",
        cooperation,
        ["INNOSUP-1"],
    )
    add("policy", "direct", f"What is the name of {c}'s policy?", [f"Policy name: {p}"], [p])
    return out


def comparison_questions(
    truths: Sequence[FactsheetTruth], doc_ids: dict[str, str]
) -> list[dict[str, Any]]:
    """Questions across countries (style "comparison"), with every country's evidence.

    ``doc_ids`` maps each truth's country to the doc_id it is indexed under.
    """
    out: list[dict[str, Any]] = []

    def add(
        category: str, question: str, evidence: list[tuple[str, str]], facts: list[str]
    ) -> None:
        out.append(
            {
                "id": f"comparison-{category}-{len(out)}",
                "question": question,
                "answerable": True,
                "category": category,
                "style": "comparison",
                "country": None,
                "evidence": [{"doc_id": doc_ids[c], "quote": q} for c, q in evidence],
                "key_facts": facts,
            }
        )

    dedicated = [t for t in truths if t.dedicated]
    add(
        "scope",
        "Which countries have a dedicated cluster policy?",
        [(t.country, f"Policy type: {t.policy_type}") for t in dedicated],
        [t.country for t in dedicated],
    )
    for priority in ALIGNMENT:
        aligned = [t for t in truths if priority in t.field(FieldKey.ALIGNMENT).categories]
        add(
            "alignment",
            f"Which policies are aligned with {priority.lower()}?",
            [(t.country, priority) for t in aligned],
            [t.country for t in aligned],
        )
    for first, second in itertools.pairwise(truths[:6]):
        tools = []
        for truth in (first, second):
            instruments = truth.field(FieldKey.INSTRUMENTS)
            found = [
                item
                for key in ("financial", "technical_assistance")
                for item in (instruments.sub(key) or SubFieldTruth(key)).categories
            ]
            tools.append((truth.country, found[0] if found else "None"))
        add(
            "instruments",
            f"Compare the instruments of {first.country} and {second.country}",
            tools,
            [first.country, second.country],
        )
    return out


#: Further phrasings per aspect, in analysts' words rather than the template's, written without
#: looking at the question patterns of ``service.question`` (an honest test of them). Each
#: factsheet gets one per aspect, in turn. ``{c}`` country, ``{a}`` adjective, ``{p}`` policy.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "objectives": (
        "What is {c}'s cluster policy trying to accomplish?",
        "Which goals does the {p} pursue?",
        "What are the aims of {a} policy?",
        "What is the purpose of {c}'s policy?",
    ),
    "focus": (
        "Is {c}'s policy sectoral, regional or technological in focus?",
        "On what does the {p} focus?",
        "Which sectors does {c}'s policy target?",
    ),
    "authorities": (
        "Who runs the {p}?",
        "Which bodies are responsible for {c}'s policy?",
        "Who designed and implements {a} cluster policy?",
    ),
    "beneficiaries": (
        "Who can apply for support under the {p}?",
        "Which types of organisations benefit in {c}?",
        "Who is the target group of {c}'s policy?",
    ),
    "instruments": (
        "What tools does {c} use to support clusters?",
        "How does the {p} support firms?",
        "What kinds of support does {c} provide?",
        "What funding and technical assistance does {c} offer?",
    ),
    "history": (
        "In which year did {c}'s policy begin?",
        "What is the end date of {c}'s policy?",
        "Since when has the {p} been running?",
    ),
    "budget": (
        "How big is the budget of the {p}?",
        "How is {c}'s policy funded?",
        "How much does {c} invest in its policy?",
    ),
    "evaluation": (
        "Has the {p} been assessed?",
        "Is there an evaluation of {c}'s policy?",
        "What do we know about the results of {c}'s policy?",
    ),
    "alignment": (
        "How does {c}'s policy relate to EU priorities?",
        "Does {c}'s policy contribute to the green and digital transitions?",
        "With which European priorities is the {p} aligned?",
    ),
    "scope": (
        "Is there a national cluster policy in {c}?",
        "Does {c} run a cluster programme of its own?",
        "What type of policy is the {p}?",
    ),
    "continuity": (
        "How established is cluster policy in {c}?",
        "How long has {c} been supporting clusters?",
        "Does {c} have a tradition of cluster policy?",
    ),
    "performance": (
        "Is {c}'s cluster policy monitored?",
        "What is known about the performance of {c}'s policy?",
    ),
    "support_instruments": (
        "Does {c} offer financial or technical support for cluster development?",
        "What instruments support cluster development in {c}?",
    ),
    "cooperation": (
        "Is {c} part of any international cluster partnerships?",
        "Have {a} clusters joined European consortia?",
    ),
    "policy": (
        "What is {c}'s cluster policy called?",
        "Which policy does the factsheet of {c} describe?",
    ),
}


#: A third set, written after the question patterns had been fixed on ``PHRASINGS`` and measured
#: once without changing anything (the figure the README reports as "unseen phrasings").
UNSEEN_PHRASINGS: dict[str, tuple[str, ...]] = {
    "objectives": (
        "What is the {p} supposed to deliver?",
        "Why did {c} set up its policy?",
    ),
    "focus": (
        "What is the thematic or sectoral emphasis of {c}'s policy?",
        "Where does {a} cluster policy put its emphasis?",
    ),
    "authorities": (
        "Which institution oversees {c}'s cluster policy?",
        "Who is accountable for implementing the {p}?",
    ),
    "beneficiaries": (
        "Who is eligible under {c}'s policy?",
        "For whom is the {p} intended?",
    ),
    "instruments": (
        "Which support schemes are available in {c}?",
        "What forms of assistance does the {p} offer?",
    ),
    "history": (
        "How old is the {p}?",
        "When will {c}'s current policy expire?",
    ),
    "budget": (
        "What financial resources are allocated to the {p}?",
        "What does {c}'s cluster policy cost?",
    ),
    "evaluation": (
        "Has anyone reviewed whether the {p} works?",
        "Are there evaluation results for {c}?",
    ),
    "alignment": (
        "Does {c}'s policy support the EU's twin transition?",
        "Which European policy goals does the {p} serve?",
    ),
    "scope": (
        "Is cluster policy in {c} a policy of its own or part of a broader policy?",
        "Does {c} have a specific policy for clusters?",
    ),
    "continuity": (
        "Has {c} supported clusters for a long time?",
        "Is {a} cluster policy new or long-standing?",
    ),
    "performance": (
        "How well is {c}'s cluster policy performing?",
        "Is there proof that {c}'s policy works?",
    ),
    "support_instruments": (
        "What instruments does {c} provide for cluster development?",
        "Are there support instruments for clusters in {c}?",
    ),
    "cooperation": (
        "Do {a} clusters work with foreign partners?",
        "Are clusters in {c} involved in cross-border projects?",
    ),
    "policy": (
        "What is the title of {c}'s policy?",
        "Which programme is described for {c}?",
    ),
}


def rephrased_questions(
    truth: FactsheetTruth,
    doc_id: str,
    turn: int,
    phrasings: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """One further phrasing per aspect (``phrasings``, by default ``PHRASINGS``, the
    ``turn``-th in rotation), with the evidence and key facts of the aspect's first gold
    question."""
    phrasings = PHRASINGS if phrasings is None else phrasings
    gold = gold_questions(truth, doc_id)
    first: dict[str, dict[str, Any]] = {}
    for question in gold:
        first.setdefault(question["category"], question)
    out = []
    for category, options in phrasings.items():
        base = first[category]
        template = options[turn % len(options)]
        text = template.format(c=truth.country, a=truth.adjective, p=truth.policy_name)
        yes_no = re.match(r"(Is|Does|Has|Have|Do)\b", text) is not None
        style = "yesno" if yes_no else "paraphrase"
        key_facts = list(base["key_facts"])
        if category == "scope":  # a yes/no question is answered Yes or No, others are not
            key_facts = [truth.policy_type]
            if yes_no:
                key_facts.insert(0, "Yes" if truth.dedicated else "No")
        out.append(
            {
                **base,
                "id": f"{truth.slug}-{category}-rephrased-{turn % len(options)}",
                "question": text,
                "style": style,
                "key_facts": key_facts,
            }
        )
    return out


def write_corpus(folder: Path, count: int) -> tuple[list[FactsheetTruth], list[Path]]:
    """``count`` synthetic factsheets (alternately Markdown and PDF) written into ``folder``, and
    the paths to index: Morocco's bundled Markdown first, then the synthetic files."""
    from policyqa.settings import bundled_corpus_dir

    folder.mkdir(parents=True, exist_ok=True)
    truths = make_truths(count)
    paths = [bundled_corpus_dir() / "eccp-factsheet-morocco-2023.md"]
    for index, truth in enumerate(truths):
        if index % 2 == 0:
            path = folder / f"{truth.slug}.md"
            path.write_text(to_markdown(truth), "utf-8")
        else:
            path = to_pdf(truth, folder / f"{truth.slug}.pdf")
        paths.append(path)
    return truths, paths


def write_gold(truths: Sequence[FactsheetTruth], paths: Sequence[Path], out: Path) -> Path:
    """The gold questions of the synthetic factsheets at ``paths`` (every aspect of every
    country, and comparisons across them) as a JSONL dataset at ``out``."""
    from policyqa.eval.dataset import contains
    from policyqa.ingest import make_doc_id

    by_slug = {path.stem: path for path in paths}
    doc_ids = {truth.country: make_doc_id(by_slug[truth.slug]) for truth in truths}
    questions = [q for truth in truths for q in gold_questions(truth, doc_ids[truth.country])]
    questions += comparison_questions(truths, doc_ids)
    for question in questions:
        # The evaluation only takes facts an extractive answer can quote; the "Yes"/"No" that
        # opens a scope answer is the service's own word (the field-accuracy measure checks it).
        quotes = [evidence["quote"] for evidence in question["evidence"]]
        question["key_facts"] = [
            fact for fact in question["key_facts"] if any(contains(q, fact) for q in quotes)
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(question, ensure_ascii=False) + "\n")
    return out
