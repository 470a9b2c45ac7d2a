"""Factsheet profiles of the Morocco factsheet, field by field, from the Markdown and the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa.ingest import Document, DocumentKind, load_document
from policyqa.ingest.factsheet import (
    STATE_OF_PLAY_OPTIONS,
    Criterion,
    FactsheetProfile,
    FieldKey,
    TextSpan,
    parse_profile,
)
from tests.conftest import MOROCCO_MD, MOROCCO_PDF


@pytest.fixture(scope="module", params=["md", "pdf"])
def loaded(request: pytest.FixtureRequest) -> tuple[Document, FactsheetProfile]:
    document = load_document(MOROCCO_MD if request.param == "md" else MOROCCO_PDF)
    profile = parse_profile(document)
    assert profile is not None
    return document, profile


def _texts(spans: tuple[TextSpan, ...] | list[TextSpan]) -> list[str]:
    return [span.text for span in spans]


def test_every_span_is_the_documents_text(loaded: tuple[Document, FactsheetProfile]) -> None:
    document, profile = loaded
    spans: list[TextSpan] = [s for s in (profile.policy_type, profile.policy_name) if s]
    for item in profile.fields:
        spans += [item.label, *item.categories, *item.text]
        for sub in item.subfields:
            spans += [sub.label, *sub.categories, *sub.values]
    for narrative in profile.narratives:
        spans += narrative.paragraphs
    for state in profile.state_of_play:
        spans += state.evidence
    assert len(spans) > 60
    for span in spans:
        assert document.text[span.start : span.end] == span.text
        assert span.page == document.page_at(span.start)


def test_policy_and_fields(loaded: tuple[Document, FactsheetProfile]) -> None:
    _, profile = loaded
    assert profile.country == "Morocco" and profile.year == 2023 and not profile.synthetic
    assert profile.policy_type and profile.policy_type.text == "Sectoral policy"
    assert profile.policy_name and profile.policy_name.text == (
        "2021-2025 Industrial Acceleration Plan"
    )
    assert [item.key for item in profile.fields] == list(FieldKey)
    objectives = profile.field(FieldKey.OBJECTIVES)
    assert objectives is not None
    assert _texts(objectives.categories) == [
        "Increasing competitiveness and boosting scale up of SMEs",
        "Supporting internationalisation activities",
        "Fostering R&D activities, technology development and implementation",
        "Fostering innovation and strengthening innovation ecosystems",
        "Promoting resilience and sustainable economy and other solidarity-based initiatives",
        "Promoting employment and upgrading skills and competences",
        "Promoting entrepreneurship, start-ups and spin-offs",
    ]
    # the explanation that Table 1's page break split is one paragraph again
    (explanation,) = objectives.explanation
    assert explanation.text.startswith("The Industrial Acceleration Plan (IAP) does not explicitly")
    assert explanation.text.endswith("partnerships of the different regions.")
    focus = profile.field(FieldKey.FOCUS)
    assert focus and _texts(focus.categories) == ["Sectoral focus"]
    authorities = profile.field(FieldKey.AUTHORITIES)
    assert authorities and _texts(authorities.categories) == [
        "In charge of drafting",
        "In charge of implementation",
        "Oversees the implementation",
    ]
    assert "Ministry of Industry and trade" in authorities.explanation[0].text
    beneficiaries = profile.field(FieldKey.BENEFICIARIES)
    assert beneficiaries and _texts(beneficiaries.categories)[:3] == [
        "SMEs",
        "Research organisations",
        "Academic institutions",
    ]
    assert len(beneficiaries.categories) == 8
    alignment = profile.field(FieldKey.ALIGNMENT)
    assert alignment and _texts(alignment.categories) == ["Digitalisation", "Social inclusion"]
    assert alignment.explanation == ()


def test_sub_rows(loaded: tuple[Document, FactsheetProfile]) -> None:
    _, profile = loaded
    instruments = profile.field(FieldKey.INSTRUMENTS)
    assert instruments is not None
    assert [sub.key for sub in instruments.subfields] == [
        "financial",
        "technical_assistance",
        "explanation",
        "period",
    ]
    financial = instruments.sub("financial")
    assert financial and _texts(financial.categories) == [
        "Funding collaboration initiatives",
        "Financing networking events",
    ]
    technical = instruments.sub("technical_assistance")
    assert technical and len(technical.categories) == 4
    assert technical.categories[0].text.startswith("Infrastructure: coworking spaces")
    period = instruments.sub("period")
    assert period and _texts(period.categories) == ["Limited period"]
    assert instruments.explanation[0].text.startswith("In terms of funding of collaboration")

    history = profile.field(FieldKey.HISTORY)
    assert history is not None
    start, end = history.sub("starting_year"), history.sub("ending_year")
    assert start and _texts(start.values) == ["2021"]
    assert end and _texts(end.values) == ["2025"]
    assert end.label.text == "Ending year (for policies with limited period)"
    assert "National Pact for Industrial Emergence 2009-2015" in history.explanation[0].text

    budget = profile.field(FieldKey.BUDGET)
    assert budget is not None and budget.unavailable
    for key in ("overall", "annual", "source"):
        sub = budget.sub(key)
        assert sub and _texts(sub.values) == ["Data unavailable"] and sub.unavailable

    evaluation = profile.field(FieldKey.EVALUATION)
    assert evaluation is not None
    availability = evaluation.sub("availability")
    assert availability and _texts(availability.categories) == ["in-itinere"]
    assert evaluation.explanation[0].text.startswith(
        "The Industrial Acceleration Plan (IAP) does not mention any form of evaluation."
    )


def test_state_of_play_follows_the_text_not_table_2(
    loaded: tuple[Document, FactsheetProfile],
) -> None:
    document, profile = loaded
    expected = {
        Criterion.SCOPE: ("Sectoral policy", ["Sectoral policy", "no cluster specific initiative"]),
        Criterion.CONTINUITY: (
            "No cluster-specific policy available",
            ["While no dedicated cluster policy exists in Morocco"],
        ),
        Criterion.PERFORMANCE: (
            "Existence of monitoring or an ongoing / interim evaluation",
            ["does not mention any form of evaluation", "committee is monitoring", "in-itinere"],
        ),
        Criterion.SUPPORT: (
            "Financial support for cluster development in the broader and / or sectoral policy",
            ["No dedicated cluster support instruments", "Funding collaboration initiatives"],
        ),
    }
    table_2 = [b for b in document.blocks if b.table == "Table 2"]
    annex = [b for b in document.blocks if b.table == "Table 3"]
    assert table_2 and annex
    for criterion, (option, quotes) in expected.items():
        state = profile.state(criterion)
        assert state is not None and state.option == option, (criterion, state)
        assert state.option == STATE_OF_PLAY_OPTIONS[criterion][state.level]
        evidence = " | ".join(_texts(state.evidence))
        for quote in quotes:
            assert quote in evidence, (criterion, evidence)
        # the trap: no evidence comes from Table 2's option list or the Annex's definitions
        for span in state.evidence:
            assert not any(b.start <= span.start < b.end for b in [*table_2, *annex])
        assert state.reason
    assert not profile.dedicated


def test_markdown_and_pdf_give_the_same_profile() -> None:
    from_md = parse_profile(load_document(MOROCCO_MD))
    from_pdf = parse_profile(load_document(MOROCCO_PDF))
    assert from_md is not None and from_pdf is not None
    # same texts, same spans (the canonical texts agree up to Table 1 and the narratives)
    assert from_md.plain(spans=True) == from_pdf.plain(spans=True)
    objectives = from_pdf.field(FieldKey.OBJECTIVES)
    history = from_pdf.field(FieldKey.HISTORY)
    assert objectives and objectives.categories[0].page == 5
    assert objectives.explanation[0].page == 5  # starts on page 5, continues on page 6
    assert history and history.label.page == 8
    continuity = from_pdf.narrative("continuity")
    assert continuity and continuity.paragraphs[0].page == 11


def test_narratives(loaded: tuple[Document, FactsheetProfile]) -> None:
    _, profile = loaded
    keys = [narrative.key for narrative in profile.narratives]
    assert keys == [
        "context",
        "overview",
        "scope",
        "continuity",
        "performance",
        "support_instruments",
        "cooperation",
    ]
    cooperation = profile.narrative("cooperation")
    assert cooperation and "Euro-Mediterranean Partnership" in cooperation.paragraphs[0].text


def test_documents_without_table_1_have_no_profile(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("# A note\n\nClusters are groups of firms.\n", "utf-8")
    assert parse_profile(load_document(note)) is None
    # a factsheet kind alone is not enough: the template's table must be there
    assert parse_profile(load_document(note, kind=DocumentKind.FACTSHEET)) is None
