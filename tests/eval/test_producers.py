"""The producer test bed: factsheets laid out by WeasyPrint and ReportLab read back by the PDF
reader. Only development stylesheets are asserted on here; the held-out producers are judged by
``policyqa.eval.profile_accuracy``'s aggregate figures alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa.eval.profile_accuracy import field_matches, main
from policyqa.eval.synthetic import FactsheetTruth, make_truths, to_markdown
from policyqa.eval.synthetic.producers import HELD_OUT, PRODUCERS
from policyqa.ingest import load_document
from policyqa.ingest.factsheet import parse_profile

pytestmark = pytest.mark.slow  # WeasyPrint lays out each factsheet in about a second

RULED = ("weasyprint:sans-10-ruled", "weasyprint:serif-12-ruled")


@pytest.mark.parametrize("producer", RULED)
def test_ruled_weasyprint_tables_read_like_the_markdown(producer: str, tmp_path: Path) -> None:
    """Table 1 breaks inside rows (label cells empty on the continuation, policy rows repeated on
    every page); the PDF's profile equals the truth and the Markdown's."""
    for truth in make_truths(2, start=2000):
        pdf = load_document(PRODUCERS[producer](truth, tmp_path / f"{truth.slug}.pdf"))
        markdown_path = tmp_path / f"{truth.slug}.md"
        markdown_path.write_text(to_markdown(truth), "utf-8")
        from_pdf = parse_profile(pdf)
        from_md = parse_profile(load_document(markdown_path))
        assert from_pdf is not None and from_md is not None
        assert FactsheetTruth.from_profile(from_pdf) == truth
        assert from_pdf.plain(spans=False) == from_md.plain(spans=False)
        # every character of the canonical text keeps its page
        covered = sum(span.end - span.start for span in pdf.pages)
        assert covered == len(pdf.text) and all(span.page >= 1 for span in pdf.pages)


def test_field_matches_counts_each_field() -> None:
    truth = make_truths(1, start=2100)[0]
    right, total = field_matches(truth, truth)
    assert right == total == 4 + len(truth.fields) + len(truth.narratives) + 4
    assert field_matches(truth, None) == (0, total)


def test_producers_hold_out_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(PRODUCERS) >= HELD_OUT and len(PRODUCERS) >= 7
    assert main(["--count", "1", "--producer", "fpdf2"]) == 0
    assert "fpdf2" in capsys.readouterr().out
