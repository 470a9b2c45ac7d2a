"""``GET /v1/documents`` for the page's library: a factsheet's references and which are ingested.

The reference document is written here and marked synthetic: a stand-in titled like one entry
of Morocco's reference list (fake embedder, the real app and index).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from policyqa.service.app import create_app
from tests.conftest import MOROCCO_MD, fake_engine

CITED_TITLE = "Designing Comprehensive Cluster Policies in Developing Countries"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("library")
    reference = folder / "benner-2013.md"
    reference.write_text(
        f"# {CITED_TITLE} – Perspectives for Morocco\n\n"
        "Synthetic test document standing in for a cited report: clusters and their policies.\n",
        "utf-8",
    )
    unrelated = folder / "unrelated-notes.md"
    unrelated.write_text("# Notes on something else entirely\n\nNot cited anywhere.\n", "utf-8")
    engine = fake_engine(folder, [MOROCCO_MD, reference, unrelated])
    with TestClient(create_app(engine.settings, engine=engine)) as test_client:
        yield test_client


def test_the_library_lists_references_and_the_ones_ingested(client: TestClient) -> None:
    body = client.get("/v1/documents").json()
    assert body["index_version"] and body["indexed_at"].startswith("20")
    by_id = {d["doc_id"]: d for d in body["documents"]}
    morocco = by_id["eccp-factsheet-morocco-2023.md"]
    assert morocco["kind"] == "factsheet" and morocco["chunks"] > 10
    cites = morocco["cites"]
    assert len(cites) >= 10
    text = client.get("/v1/documents/eccp-factsheet-morocco-2023.md").json()["text"]
    for entry in cites:
        assert text[entry["start"] : entry["end"]] == entry["text"]
    ingested = [entry for entry in cites if entry["doc_id"]]
    assert [entry["doc_id"] for entry in ingested] == ["benner-2013.md"]
    assert CITED_TITLE in ingested[0]["text"]
    assert by_id["benner-2013.md"]["kind"] == "reference"
    assert by_id["benner-2013.md"]["cites"] == [] and by_id["unrelated-notes.md"]["cites"] == []
