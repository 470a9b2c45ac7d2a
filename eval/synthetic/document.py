"""The document model both writers share: a factsheet as elements in reading order.

``document_elements(truth)`` lays a truth out as headings, paragraphs, list items, page breaks
and the three tables (Table 1 with its fields and sub-rows, Table 2 with the state of play,
Table 3 the Annex); ``markdown`` and ``pdf`` write the same elements, each in its own way, so
both formats state the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.eval.synthetic.truth import FactsheetTruth
from policyqa.eval.synthetic.vocabulary import SYNTHETIC_MARKER
from policyqa.ingest.factsheet import (
    CRITERION_LABELS,
    FIELD_LABELS,
    STATE_OF_PLAY_OPTIONS,
    SUBFIELD_LABELS,
    Criterion,
)

Runs = tuple[tuple[str, bool], ...]  # (text, bold) pieces of one line of text


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: rank 1 for the title and the top chapters, 2 and 3 below."""

    rank: int  # 1 largest
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text (bold where a run is bold)."""

    runs: Runs


@dataclass(frozen=True, slots=True)
class Item:
    """A list item ("1) an overview ..."), written with its own marker."""

    text: str


@dataclass(frozen=True, slots=True)
class PageBreak:
    """A new page (in Markdown: the page banner the converter left in the body)."""


@dataclass(frozen=True, slots=True)
class Group:
    """A sub-row (or the body of a plain row): its sub-label and its lines."""

    sublabel: Runs | None
    lines: tuple[Runs, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its label and its groups (sub-rows)."""

    label: str
    groups: tuple[Group, ...]
    bold_label: bool = True


@dataclass(frozen=True, slots=True)
class Table:
    """One of the three tables of the template."""

    kind: str  # "table1", "table2", "table3"
    rows: tuple[Row, ...]
    header: tuple[str, ...] = ()
    highlight: frozenset[tuple[int, int]] = frozenset()  # (row, line) of Table 2's options


#: What ``document_elements`` returns, in reading order.
Element = Heading | Paragraph | Item | PageBreak | Table


def plain_text(text: str) -> Runs:
    """``text`` as one regular run."""
    return ((text, False),)


def bold_text(text: str) -> Runs:
    """``text`` as one bold run."""
    return ((text, True),)


def table1_rows(truth: FactsheetTruth) -> list[Row]:
    """Table 1: the policy type and name rows, then each field with its categories (bold),
    explanation and sub-rows."""
    rows = [
        Row("Policy type:", (Group(None, (plain_text(truth.policy_type),)),), bold_label=False),
        Row("Policy name:", (Group(None, (plain_text(truth.policy_name),)),), bold_label=False),
    ]
    for item in truth.fields:
        groups: list[Group] = []
        lines = [bold_text(c) for c in item.categories] + [plain_text(t) for t in item.text]
        if lines or not item.subfields:
            groups.append(Group(None, tuple(lines)))
        for sub in item.subfields:
            label = SUBFIELD_LABELS[sub.key]
            sublabel: Runs = bold_text(label)
            if sub.key == "ending_year":
                sublabel = ((label, True), ("(for policies with limited period)", False))
            sub_lines = [bold_text(c) for c in sub.categories] + [plain_text(v) for v in sub.values]
            groups.append(Group(sublabel, tuple(sub_lines)))
        rows.append(Row(FIELD_LABELS[item.key], tuple(groups)))
    return rows


def state_of_play_table(truth: FactsheetTruth) -> Table:
    """Table 2: every option of every criterion, the applicable one marked for highlighting."""
    rows = []
    highlight = set()
    for index, criterion in enumerate(Criterion):
        options = STATE_OF_PLAY_OPTIONS[criterion]
        rows.append(
            Row(
                CRITERION_LABELS[criterion],
                (Group(None, tuple(plain_text(option) for option in options)),),
            )
        )
        highlight.add((index, truth.level(criterion)))
    return Table("table2", tuple(rows), (truth.country, "State of play"), frozenset(highlight))


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


def annex_table() -> Table:
    """Table 3, the Annex: each criterion, its description and its options (bold)."""
    rows = tuple(
        Row(
            label,
            (Group(None, (plain_text(description), *(bold_text(option) for option in options))),),
        )
        for label, description, options in _ANNEX
    )
    return Table("table3", rows, ("Criterion", "Description", "Categorical variables"))


def document_elements(truth: FactsheetTruth) -> list[Element]:
    """The factsheet as a sequence of elements, in reading order."""
    c, year = truth.country, truth.year
    dividers = bool(truth.layout.get("pdf_dividers"))
    out: list[Element] = [
        Heading(1, "Country factsheet"),
        Paragraph(plain_text(c)),
        Paragraph(plain_text(SYNTHETIC_MARKER)),
    ]

    def chapter(number: int, title: str) -> None:
        out.append(PageBreak())
        if dividers:
            out.extend([Heading(1, f"0{number}"), Heading(2, title), PageBreak()])
        out.append(Heading(2, f"{number}. {title}"))

    chapter(1, "Introduction and economic policy context")
    for text in truth.narrative("context"):
        out.append(Item(text) if re.match(r"\d\) ", text) else Paragraph(plain_text(text)))
    chapter(2, "National cluster policy, programmes and initiatives")
    out.extend(Paragraph(plain_text(p)) for p in truth.narrative("overview"))
    out.append(Paragraph(bold_text(f"Table 1 - Overview of cluster policy in {c}")))
    out.append(Table("table1", tuple(table1_rows(truth))))
    out.append(Paragraph(plain_text(f"Source: ECCP ({year})")))
    chapter(3, "State of cluster policy")
    out.append(
        Paragraph(
            plain_text(
                f"This section presents the state of play of {truth.adjective} cluster policy "
                "across four categories of analysis: policy scope, continuity, evidence of "
                "performance and cluster support instruments."
            )
        )
    )
    out.append(Paragraph(bold_text("Table 2 - State of play")))
    out.append(state_of_play_table(truth))
    out.append(Paragraph(plain_text(f"Source: ECCP ({year}).")))
    out.append(
        Paragraph(
            plain_text(f"The text below describes the state of play of cluster policy in {c}.")
        )
    )
    for key, heading in (
        ("scope", "Policy scope"),
        ("continuity", "Continuity"),
        ("performance", "Evidence of performance"),
        ("support_instruments", "Cluster support instruments"),
        ("cooperation", "Cross-regional / international cooperation"),
    ):
        out.append(Heading(3, heading))
        out.extend(Paragraph(plain_text(p)) for p in truth.narrative(key))
    out.append(PageBreak())
    out.append(Heading(1, "References"))
    slug = c.lower()
    out.extend(
        Paragraph(plain_text(reference))
        for reference in (
            f"Government of {c} ({year - 1}): {truth.policy_name}. Available at: "
            f"https://example.org/{slug}/policy.pdf",
            f"Statistical Office of {c} ({year - 1}): Industry in figures. Available at: "
            f"https://example.org/{slug}/statistics",
            f"{truth.adjective} Cluster Office ({year}): Annual report. Synthetic reference.",
        )
    )
    out.append(Heading(1, "Annex"))
    out.append(
        Paragraph(bold_text("Table 3 - Analytical framework for the state of cluster policy"))
    )
    out.append(annex_table())
    out.append(Paragraph(plain_text(f"Source: ECCP ({year}).")))
    return out
