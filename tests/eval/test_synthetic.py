"""The synthetic factsheet generator: round trips through the real parsers, in both formats."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from policyqa.eval.synthetic import (
    SYNTHETIC_MARKER,
    FactsheetTruth,
    gold_questions,
    make_truth,
    make_truths,
    to_markdown,
)
from policyqa.ingest import DocumentKind, load_document
from policyqa.ingest.factsheet import STATE_OF_PLAY_OPTIONS, Criterion, FieldKey, parse_profile
from policyqa.service.countries import WORLD_ALIASES
from tests.conftest import SYNTHETIC_COUNTRIES, SyntheticCorpus


def _parsed(path: Path) -> FactsheetTruth:
    profile = parse_profile(load_document(path))
    assert profile is not None, path
    return FactsheetTruth.from_profile(profile)


def test_truths_are_deterministic_and_countries_fictional() -> None:
    assert make_truth(7) == make_truth(7)
    assert to_markdown(make_truth(7)) == to_markdown(make_truth(7))
    truths = make_truths(SYNTHETIC_COUNTRIES)
    names = [truth.country for truth in truths]
    assert len(set(names)) == len(names) == SYNTHETIC_COUNTRIES
    for truth in truths:
        assert truth.country.lower() not in WORLD_ALIASES
        assert truth.adjective.lower() not in WORLD_ALIASES


def test_truths_vary_over_the_template(synthetic_corpus: SyntheticCorpus) -> None:
    truths = synthetic_corpus.truths
    for criterion in Criterion:
        levels = Counter(truth.level(criterion) for truth in truths)
        # every option of every criterion occurs (continuity and scope: the ones a
        # factsheet with a described policy can have)
        expected = {1, 2, 3} if criterion is Criterion.SCOPE else {0, 1, 2, 3}
        assert set(levels) == expected, (criterion, levels)
    overall = [truth.field(FieldKey.BUDGET).sub("overall") for truth in truths]
    values = [sub.values[0] for sub in overall if sub]
    assert "Data unavailable" in values and any(v.startswith("EUR ") for v in values)
    assert len({truth.policy_type for truth in truths}) >= 5
    assert len({truth.field(FieldKey.OBJECTIVES).categories for truth in truths}) == len(truths)
    assert len({truth.year for truth in truths}) >= 2


def test_markdown_round_trip(synthetic_corpus: SyntheticCorpus) -> None:
    failures = []
    for truth in synthetic_corpus.truths:
        path = synthetic_corpus.markdown[truth.country]
        document = load_document(path)
        assert document.synthetic and document.country == truth.country
        assert document.kind is DocumentKind.FACTSHEET and document.year == truth.year
        if _parsed(path) != truth:
            failures.append(truth.country)
    assert failures == []


def test_pdf_round_trip_and_same_profile_as_markdown(synthetic_corpus: SyntheticCorpus) -> None:
    failures = []
    for truth in synthetic_corpus.truths:
        markdown = load_document(synthetic_corpus.markdown[truth.country])
        pdf = load_document(synthetic_corpus.pdf[truth.country])
        assert pdf.synthetic and pdf.country == truth.country and pdf.pages
        from_md, from_pdf = parse_profile(markdown), parse_profile(pdf)
        assert from_md is not None and from_pdf is not None
        if FactsheetTruth.from_profile(from_pdf) != truth:
            failures.append(f"{truth.country}: PDF profile differs from the truth")
        # the same canonical text, so the same spans too
        if pdf.text != markdown.text or from_pdf.plain() != from_md.plain():
            failures.append(f"{truth.country}: PDF and Markdown differ")
    assert failures == []


def test_pdf_layout_is_the_published_one(synthetic_corpus: SyntheticCorpus) -> None:
    """A4, running header and footer with page numbers, Table 1 over pages with repeats."""
    spanning = 0
    for truth in synthetic_corpus.truths[:8]:
        reader = PdfReader(synthetic_corpus.pdf[truth.country])
        page = reader.pages[1]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            595,
            842,
        )
        texts = [p.extract_text() for p in reader.pages]
        assert all(f"Page {n}" in text for n, text in enumerate(texts, 1) if n > 1)
        assert all(f"Country factsheet - {truth.country}" in text for text in texts[1:])
        table_pages = [text for text in texts if "Policy type:" in text]
        spanning += len(table_pages) >= 2
        document = load_document(synthetic_corpus.pdf[truth.country])
        assert "Page " not in document.text and "Synthetic test corpus" not in document.text
        assert document.text.count("Policy type:") == 1
        profile = parse_profile(document)
        assert profile is not None
        history = profile.field(FieldKey.HISTORY)
        assert history is not None and history.label.page is not None
        assert SYNTHETIC_MARKER in document.text
    assert spanning >= 6  # Table 1 breaks across pages in (nearly) every factsheet


def test_the_state_of_play_is_read_from_the_narrative(synthetic_corpus: SyntheticCorpus) -> None:
    """Table 2 lists all four options in the Markdown; the profile names the true one."""
    for truth in synthetic_corpus.truths:
        markdown = synthetic_corpus.markdown[truth.country].read_text("utf-8")
        for criterion in Criterion:
            for option in STATE_OF_PLAY_OPTIONS[criterion]:
                assert option in markdown  # every option is listed in Table 2
        document = load_document(synthetic_corpus.markdown[truth.country])
        profile = parse_profile(document)
        assert profile is not None
        options = [b for b in document.blocks if b.table in ("Table 2", "Table 3")]
        assert len(options) == 10  # two headers, four criteria each
        for criterion in Criterion:
            state = profile.state(criterion)
            assert state is not None and state.option == truth.option(criterion)
            assert state.evidence, (truth.country, criterion)
            for span in state.evidence:  # never Table 2's option list or the Annex
                assert not any(b.start <= span.start < b.end for b in options)


def test_gold_questions_follow_the_schema(synthetic_corpus: SyntheticCorpus) -> None:
    truth = synthetic_corpus.truths[0]
    path = synthetic_corpus.markdown[truth.country]
    text = load_document(path).text
    questions = gold_questions(truth, path.name)
    categories = {q["category"] for q in questions}
    assert {"objectives", "instruments", "continuity", "budget", "scope"} <= categories
    assert {q["style"] for q in questions} >= {"direct", "paraphrase", "yesno", "number"}
    for question in questions:
        json.dumps(question)
        assert set(question) == {
            "id",
            "question",
            "answerable",
            "category",
            "style",
            "country",
            "evidence",
            "key_facts",
        }
        assert question["country"] == truth.country and question["answerable"] is True
        assert question["key_facts"] and question["evidence"]
        for evidence in question["evidence"]:
            assert evidence["doc_id"] == path.name and evidence["quote"] in text
    assert len({q["id"] for q in questions}) == len(questions)


@pytest.mark.parametrize("seed", [3, 11])
def test_markdown_has_the_converters_quirks(seed: int) -> None:
    markdown = to_markdown(make_truth(seed))
    assert "<b>" in markdown and ("<br>" in markdown or "<p>" in markdown)
    assert markdown.count("| Policy type:") >= 2  # Table 1 split, policy rows repeated
    assert len(re.findall(r"^SYNTHETIC CLUSTER FACTSHEETS", markdown, re.M)) >= 3
