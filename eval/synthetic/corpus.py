"""Synthetic factsheets written to files: ``write_factsheets`` (each truth in each format) and
``write_corpus`` (the corpus ``policyqa eval --synthetic N`` indexes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from policyqa.eval.synthetic.draw import make_truths
from policyqa.eval.synthetic.markdown import to_markdown
from policyqa.eval.synthetic.pdf import to_pdf
from policyqa.eval.synthetic.truth import FactsheetTruth


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
