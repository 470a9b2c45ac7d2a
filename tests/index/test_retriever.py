"""Hybrid retrieval, filters and facets (with the fake embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa.index import (
    IndexBuilder,
    Retriever,
    SearchFilters,
    chunker_description,
    describe_model,
    load_snapshot,
)
from policyqa.index.lexical import LexicalIndex, analyse
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder


@pytest.fixture
def retriever(tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder) -> Retriever:
    other = tmp_path / "other.md"
    other.write_text(
        "# Country factsheet\n\nNorlandia\n\n## 1. Instruments\n\nNorlandia funds cluster "
        "instruments with vouchers.\n",
        "utf-8",
    )
    IndexBuilder(settings, fake_embedder).ingest_paths([MOROCCO_MD, other])
    snapshot = load_snapshot(
        settings.index_dir, describe_model(fake_embedder), chunker_description(settings.chunking)
    )
    return Retriever(snapshot, fake_embedder, settings.retrieval)


def test_analyser_stems_and_drops_stop_words() -> None:
    assert analyse("The Instruments of the policies") == ["instrument", "polici"]


def test_bm25_idf_ranks_rare_terms_higher() -> None:
    index = LexicalIndex.build(["cluster policy", "cluster budget", "cluster vouchers"])
    assert index.idf("voucher") > index.idf("cluster")
    assert index.idf("unseen") >= index.idf("voucher")


def test_hybrid_hits_carry_both_scores(retriever: Retriever) -> None:
    result = retriever.search("budget data unavailable", top_k=3)
    top = result.hits[0]
    assert top.chunk.section[-1] == "BUDGET"
    assert top.score > 0 and top.dense_score is not None and top.lexical_score is not None
    assert [hit.score for hit in result.hits] == sorted(
        (hit.score for hit in result.hits), reverse=True
    )
    assert {"embed", "dense", "lexical", "fuse"} <= set(result.timings_ms)


def test_modes(retriever: Retriever) -> None:
    dense = retriever.search("budget", top_k=3, mode="dense").hits
    lexical = retriever.search("budget", top_k=3, mode="lexical").hits
    assert all(hit.lexical_score is None for hit in dense)
    assert all(hit.dense_score is None for hit in lexical)


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (SearchFilters(country="norlandia"), lambda hit: hit.document.country == "Norlandia"),
        (SearchFilters(doc_id="other.md"), lambda hit: hit.chunk.doc_id == "other.md"),
        (
            SearchFilters(section="instruments"),
            lambda hit: "instruments" in hit.chunk.section_path.lower(),
        ),
    ],
)
def test_filters_restrict_every_hit(retriever: Retriever, filters: SearchFilters, check) -> None:  # type: ignore[no-untyped-def]
    hits = retriever.search("cluster instruments funding", top_k=10, filters=filters).hits
    assert hits and all(check(hit) for hit in hits)


def test_filter_matching_nothing_returns_nothing(retriever: Retriever) -> None:
    assert retriever.search("budget", filters=SearchFilters(country="Atlantis")).hits == []


def test_facets_count_candidates_by_country_and_section(retriever: Retriever) -> None:
    facets = retriever.search("cluster instruments", top_k=5).facets
    assert set(facets) == {"country", "section"}
    assert facets["country"]["Morocco"] > 0 and facets["country"]["Norlandia"] > 0


def test_a_question_naming_a_passage_label_promotes_that_passage(retriever: Retriever) -> None:
    budget = "What is the overall budget of the Industrial Acceleration Plan?"
    matched = retriever.label_matches(budget)
    assert {retriever.snapshot.chunks[row].section[-1] for row in matched} == {"BUDGET"}
    # a word shared with a label does not name it: "policy" is half of no label's weight
    assert retriever.label_matches("What does the policy say?") == {}

    # the plan's name, in many passages, outweighs "objectives" in both content rankings;
    # the label ranking brings both passages of the POLICY OBJECTIVES row to the top
    question = "List the policy objectives of the Industrial Acceleration Plan."
    plain = retriever.search(question, top_k=2, labels=False).hits
    fused = retriever.search(question, top_k=2).hits
    assert [hit.chunk.section[-1] for hit in fused] == ["POLICY OBJECTIVES"] * 2
    assert [hit.chunk.section[-1] for hit in plain] != ["POLICY OBJECTIVES"] * 2
