"""The Qdrant store against the local one, on qdrant-client's local mode (in memory or a folder).

The fake embedder stands in for the model here (these are fast tests); the same comparison with
the real model is in ``tests/integration/test_qdrant_parity.py``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import numpy as np
import pytest

from policyqa.errors import IndexNotFoundError
from policyqa.index import IndexBuilder, SearchFilters, SearchMode
from policyqa.index.passage_store import open_store
from policyqa.index.qdrant_store import QdrantStore
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD, FakeEmbedder

QUERIES = [
    "What is the overall budget of the Industrial Acceleration Plan?",
    "Which ministry is responsible for the cluster policy?",
    "How are clusters selected and evaluated?",
    "performance monitoring of clusters",
    "Valdoria textile cluster programme",
    "financial instruments and grants",
]
FILTERS = [
    SearchFilters(),
    SearchFilters(country="Morocco"),
    SearchFilters(section="table 1"),
    SearchFilters(country="morocco", section="budget"),
    SearchFilters(section="no such section"),
]


def qdrant_settings(tmp_path: Path, location: str = ":memory:") -> Settings:
    """Settings for the Qdrant store; a fresh alias per test, as the in-memory client is shared."""
    return Settings.model_validate(
        {
            "index_dir": str(tmp_path / "unused-index"),
            "store": {
                "kind": "qdrant",
                "qdrant_path": location,
                "qdrant_alias": f"test-{secrets.token_hex(4)}",
            },
        }
    )


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> tuple[QAEngine, QAEngine]:
    """The same two factsheets in the local store and in Qdrant, with the fake embedder."""
    folder = tmp_path_factory.mktemp("parity")
    embedder = FakeEmbedder()
    local = Settings(index_dir=folder / "index")
    qdrant = qdrant_settings(folder)
    for settings in (local, qdrant):
        report = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD, VALDORIA_MD])
        assert not report.failed and len(report.added) == 2
    return open_engine(local, embedder=embedder), open_engine(qdrant, embedder=embedder)


def test_qdrant_holds_the_documents_and_passages(engines: tuple[QAEngine, QAEngine]) -> None:
    local, qdrant = engines
    assert qdrant.snapshot.index_type == "qdrant"
    assert qdrant.snapshot.documents == local.snapshot.documents
    assert qdrant.snapshot.chunks == local.snapshot.chunks
    assert qdrant.snapshot.passage_counts() == local.snapshot.passage_counts()
    assert qdrant.profiles.countries() == local.profiles.countries()


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_rankings_agree_with_the_local_store(
    engines: tuple[QAEngine, QAEngine], mode: SearchMode
) -> None:
    """The same passages on top, with the same scores, up to the order of tied passages (which
    neither engine defines; the fake embedder and BM25 tie often)."""
    local, qdrant = engines
    for query in QUERIES:
        for filters in FILTERS:
            ours = local.retriever.search(query, 10, filters, mode=mode)
            theirs = qdrant.retriever.search(query, 10, filters, mode=mode)
            assert len(theirs.hits) == len(ours.hits)
            if not ours.hits:
                continue
            found = {hit.chunk.chunk_id: hit for hit in theirs.hits}
            shared = [hit for hit in ours.hits if hit.chunk.chunk_id in found]
            assert len(shared) >= 0.8 * len(ours.hits), (query, filters, mode)
            assert theirs.hits[0].score == pytest.approx(ours.hits[0].score, rel=1e-5)
            for hit in shared:  # a passage in both: the same scores from each retriever
                other = found[hit.chunk.chunk_id]
                for mine, yours in [
                    (hit.dense_score, other.dense_score),
                    (hit.lexical_score, other.lexical_score),
                ]:
                    if mine is not None and yours is not None:
                        assert yours == pytest.approx(mine, rel=1e-4, abs=1e-6)


def test_candidate_lists_agree_up_to_ties(engines: tuple[QAEngine, QAEngine]) -> None:
    """Every candidate list has the same scores; which of equal-scored passages at the cut of
    the candidate pool is kept is arbitrary in both stores, hence scores, not rows."""
    local, qdrant = engines
    for query in QUERIES:
        vector = local.embedder.embed_query(query)
        for filters in FILTERS:
            mask = local.retriever.mask(filters)
            ours = local.retriever.passages.rankings(query, vector, 50, filters, mask, 60)
            theirs = qdrant.retriever.passages.rankings(query, vector, 50, filters, mask, 60)
            for a, b in [(ours.dense, theirs.dense), (ours.lexical, theirs.lexical)]:
                assert [s for _, s in b.values()] == pytest.approx(
                    [s for _, s in a.values()], rel=1e-4
                )
            if theirs.fused is not None:
                expected: dict[int, float] = {}
                for ranking in (theirs.dense, theirs.lexical):  # local fusion of Qdrant's lists
                    for row, (rank, _) in ranking.items():
                        expected[row] = expected.get(row, 0.0) + 1.0 / (60 + rank)
                assert theirs.fused == pytest.approx(expected, rel=1e-6)


def test_idf_and_answers_agree(engines: tuple[QAEngine, QAEngine]) -> None:
    local, qdrant = engines
    for term in ["budget", "cluster", "valdoria", "unseen-term"]:
        assert qdrant.snapshot.lexical.idf(term) == pytest.approx(local.snapshot.lexical.idf(term))
    for question in QUERIES:
        ours, theirs = local.ask(question), qdrant.ask(question)
        assert theirs.answer.text == ours.answer.text
        assert [(c.doc_id, c.start, c.end) for c in theirs.answer.citations] == [
            (c.doc_id, c.start, c.end) for c in ours.answer.citations
        ]


def test_a_version_is_live_only_when_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = qdrant_settings(tmp_path, str(tmp_path / "qdrant"))
    embedder = FakeEmbedder()
    store = open_store(settings)
    assert isinstance(store, QdrantStore)
    with pytest.raises(IndexNotFoundError, match="no index in Qdrant"):
        open_engine(settings, embedder=embedder)
    first = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    assert store.current_version() == first.version

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the writer crashed")

    monkeypatch.setattr(QdrantStore, "_write_documents", crash)
    with pytest.raises(RuntimeError):
        IndexBuilder(settings, embedder).ingest_paths([VALDORIA_MD])
    assert store.current_version() == first.version  # the previous alias stays live
    assert len(open_engine(settings, embedder=embedder).snapshot.documents) == 1
    monkeypatch.undo()

    second = IndexBuilder(settings, embedder).ingest_paths([VALDORIA_MD])
    assert second.added == ["synthetic-factsheet-valdoria.md"]
    assert store.current_version() == second.version
    names = [c.name for c in store.client.get_collections().collections]
    assert len([n for n in names if n.startswith(store.alias)]) == 4  # two versions, no debris
    engine = open_engine(settings, embedder=embedder)
    assert sorted(engine.snapshot.documents) == [
        "eccp-factsheet-morocco-2023.md",
        "synthetic-factsheet-valdoria.md",
    ]
    # vectors of the kept document were reused from Qdrant, not embedded again
    assert second.embedded == len([c for c in engine.snapshot.chunks if "valdoria" in c.doc_id])

    removed = IndexBuilder(settings, embedder).remove_documents(["synthetic-factsheet-valdoria.md"])
    assert store.current_version() == removed.version
    assert list(open_engine(settings, embedder=embedder).snapshot.documents) == [
        "eccp-factsheet-morocco-2023.md"
    ]


def test_unchanged_reingest_writes_nothing(tmp_path: Path) -> None:
    settings = qdrant_settings(tmp_path)
    embedder = FakeEmbedder()
    first = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    again = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    assert again.unchanged == ["eccp-factsheet-morocco-2023.md"]
    assert (again.version, again.embedded) == (first.version, 0)


def test_vectors_round_trip(engines: tuple[QAEngine, QAEngine]) -> None:
    local, qdrant = engines
    store = open_store(qdrant.settings)
    update = store.load_for_update(
        qdrant.snapshot.manifest["model"], qdrant.snapshot.manifest["chunker"]
    )
    assert update is not None
    local_update = open_store(local.settings).load_for_update(
        local.snapshot.manifest["model"], local.snapshot.manifest["chunker"]
    )
    assert local_update is not None
    np.testing.assert_allclose(update.vectors, local_update.vectors, atol=1e-6)


def test_missing_location_is_a_one_line_error(tmp_path: Path) -> None:
    settings = Settings.model_validate({"index_dir": str(tmp_path), "store": {"kind": "qdrant"}})
    with pytest.raises(Exception, match="POLICYQA_STORE__QDRANT_URL"):
        open_store(settings)


def test_two_apps_answer_from_one_store_without_an_index_folder(tmp_path: Path) -> None:
    """Two app instances (replicas) over one Qdrant store, neither with an index folder.

    qdrant-client's local mode locks its folder to one process, so the two share this process
    (and one client); two `serve` processes need a Qdrant server (``QDRANT_URL``, below).
    """
    from fastapi.testclient import TestClient

    from policyqa.service.app import create_app

    settings = qdrant_settings(tmp_path, str(tmp_path / "qdrant"))
    embedder = FakeEmbedder()
    IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD, VALDORIA_MD])
    assert not settings.index_dir.exists()
    replicas = [open_engine(settings, embedder=embedder) for _ in range(2)]
    answers = []
    for engine in replicas:
        with TestClient(create_app(settings, engine=engine)) as client:
            response = client.post("/v1/ask", json={"question": QUERIES[0]})
            assert response.status_code == 200
            answers.append(response.json()["answer"])
            assert client.get("/v1/documents").json()
    assert answers[0] == answers[1] and answers[0]
    assert not settings.index_dir.exists()


@pytest.mark.skipif(
    not os.environ.get("QDRANT_URL"), reason="needs a Qdrant server: set QDRANT_URL to run"
)
def test_a_live_server_holds_a_version(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "index_dir": str(tmp_path / "unused"),
            "store": {
                "kind": "qdrant",
                "qdrant_url": os.environ["QDRANT_URL"],
                "qdrant_alias": f"test-{secrets.token_hex(4)}",
            },
        }
    )
    embedder = FakeEmbedder()
    report = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    engine = open_engine(settings, embedder=embedder)
    assert engine.snapshot.version == report.version
    assert engine.retriever.search(QUERIES[0], 5, SearchFilters(country="Morocco")).hits
