"""Markdown parsing and canonical rendering of the seed factsheet."""

from __future__ import annotations

import pytest

from policyqa.ingest.markdown import parse_cell, parse_inline, parse_markdown
from policyqa.ingest.structure import render
from policyqa.ingest.types import BlockKind, PartRole
from tests.conftest import MOROCCO_MD


@pytest.fixture(scope="module")
def morocco():  # type: ignore[no-untyped-def]
    return render(parse_markdown(MOROCCO_MD.read_text("utf-8")))


def test_inline_markup_is_stripped_and_bold_remembered() -> None:
    runs = parse_inline("<b>R&amp;D</b> and **more** [link](http://x) \\_x <sup>1</sup>")
    assert "".join(run.text for run in runs) == "R&D and more link _x 1"
    assert [run.text for run in runs if run.bold] == ["R&D", "more"]


def test_cell_lines_split_on_br_and_p() -> None:
    cell = parse_cell("<p><b>One</b></p> <p><b>Two</b></p> <p>Prose here.</p>")
    assert ["".join(r.text for r in line).strip() for line in cell.lines] == [
        "One",
        "Two",
        "Prose here.",
    ]


def test_banners_and_html_are_gone(morocco) -> None:  # type: ignore[no-untyped-def]
    assert "Strengthening the European economy" not in morocco.text
    assert "COLLABORATION PLATFORM" not in morocco.text
    assert "<b>" not in morocco.text and "<br>" not in morocco.text and "&amp;" not in morocco.text


def test_table_1_is_one_table_with_one_row_per_field(morocco) -> None:  # type: ignore[no-untyped-def]
    rows = [b for b in morocco.blocks if b.kind is BlockKind.TABLE_ROW and b.table == "Table 1"]
    labels = [row.label for row in rows]
    assert labels == [
        "Policy type",
        "Policy name",
        "POLICY OBJECTIVES",
        "POLICY FOCUS",
        "RESPONSIBLE AUTHORITIES",
        "BENEFICIARIES",
        "INSTRUMENTS",
        "HISTORY",
        "BUDGET",
        "POLICY EVALUATION",
        "POLICY ALIGNMENT WITH THE EU PRIORITIES",
    ]  # the "Policy type / Policy name" rows repeated on every page appear once
    objectives = rows[2]
    assert objectives.section == (
        "2. National cluster policy, programmes and initiatives",
        "Table 1",
        "POLICY OBJECTIVES",
    )
    categories = [
        morocco.text[p.start : p.end] for p in objectives.parts if p.role is PartRole.CATEGORY
    ]
    assert categories[0] == "Increasing competitiveness and boosting scale up of SMEs"
    assert len(categories) == 7
    # the explanation split by a page break is one sentence again
    assert "the development of research and innovation by promoting" in morocco.text


def test_sub_rows_keep_their_labels(morocco) -> None:  # type: ignore[no-untyped-def]
    history = next(b for b in morocco.blocks if b.label == "HISTORY")
    text = morocco.text[history.start : history.end]
    assert "Starting year: 2021" in text
    assert "Ending year (for policies with limited period): 2025" in text
    sublabels = [
        morocco.text[p.start : p.end] for p in history.parts if p.role is PartRole.SUBLABEL
    ]
    assert sublabels == [
        "Ending year (for policies with limited period)",
        "Starting year",
        "Explanation",
    ]


def test_section_paths_follow_numbering_not_markdown_levels(morocco) -> None:  # type: ignore[no-untyped-def]
    headings = {
        morocco.text[b.start : b.end]: b.section
        for b in morocco.blocks
        if b.kind is BlockKind.HEADING
    }
    assert headings["Continuity"] == ("3. State of cluster policy", "Continuity")
    assert headings["Policy scope"] == ("3. State of cluster policy", "Policy scope")
    assert headings["Annex"] == ("Annex",)


def test_each_reference_is_a_block(morocco) -> None:  # type: ignore[no-untyped-def]
    references = [b for b in morocco.blocks if b.kind is BlockKind.REFERENCE]
    assert len(references) == 20
    # an entry the converter split over two paragraphs ("Available" / "at: ...") is one entry
    assert morocco.text[references[-1].start : references[-1].end].startswith("UNESCO (2016)")
    assert "Available at: www.unesco.org" in morocco.text[references[-1].start : references[-1].end]


def test_block_spans_are_inside_the_text(morocco) -> None:  # type: ignore[no-untyped-def]
    for block in morocco.blocks:
        assert 0 <= block.start < block.end <= len(morocco.text)
        assert (
            morocco.text[block.start : block.end].strip() == morocco.text[block.start : block.end]
        )
        for part in block.parts:
            assert block.start <= part.start < part.end <= block.end
