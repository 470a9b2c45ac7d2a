"""HTTP contract: validation, errors, readiness (fake embedder, TestClient runs the lifespan)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyqa.service.app import create_app
from policyqa.service.pipeline import QAEngine
from policyqa.settings import Settings


@pytest.fixture(scope="module")
def client(morocco_engine: QAEngine) -> Iterator[TestClient]:
    app = create_app(morocco_engine.settings, engine=morocco_engine)
    with TestClient(app) as test_client:
        yield test_client


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {
        "status": "ok",
        "detail": None,
        "index": None,
        "write_enabled": False,
        "read_auth": False,
    }
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["index"]["documents"] == 1


def test_readyz_is_503_until_loaded_and_reports_a_failed_load(tmp_path: Path) -> None:
    app = create_app(Settings(index_dir=tmp_path / "empty"))
    with TestClient(app) as test_client:
        deadline = time.monotonic() + 120
        body = test_client.get("/readyz").json()
        while body["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.2)
            body = test_client.get("/readyz").json()
        response = test_client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "failed" and "no index" in response.json()["detail"]
        ask = test_client.post("/v1/ask", json={"question": "budget?"})
        assert ask.status_code == 503 and "no index" in ask.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"question": ""}, "question: String should have at least 1 character"),
        ({"question": "x" * 2001}, "question: String should have at most 2000 characters"),
        ({"question": "ok", "top_k": 0}, "top_k: Input should be greater than or equal to 1"),
        ({"question": "ok", "top_k": 51}, "top_k: Input should be less than or equal to 50"),
        (
            {"question": "ok", "filters": {"planet": "Mars"}},
            "filters.planet: Extra inputs are not permitted",
        ),
        ({}, "question: Field required"),
    ],
)
def test_invalid_ask_is_422_with_a_readable_message(
    client: TestClient, body: dict[str, object], message: str
) -> None:
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_ask_contract(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "What is the budget?", "top_k": 3})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "answer",
        "answerable",
        "citations",
        "timings_ms",
        "route",
        "generated",
        "removed_sentences",
        "note",
    }
    assert body["route"]["kind"] in {"profile", "comparison", "sentences", "declined"}
    assert body["generated"] is False and body["removed_sentences"] == 0  # no model configured
    citation = body["citations"][0]
    assert set(citation) == {
        "id",
        "doc_id",
        "title",
        "country",
        "section",
        "page",
        "start",
        "end",
        "quote",
        "score",
    }
    text = client.get(f"/v1/documents/{citation['doc_id']}").json()["text"]
    for item in body["citations"]:
        assert text[item["start"] : item["end"]] == item["quote"]


def test_unknown_document_is_404(client: TestClient) -> None:
    response = client.get("/v1/documents/nope.md")
    assert response.status_code == 404 and "nope.md" in response.json()["detail"]
    ask = client.post("/v1/ask", json={"question": "budget", "filters": {"doc_id": "nope.md"}})
    assert ask.status_code == 404


def test_search_and_documents(client: TestClient) -> None:
    body = client.get(
        "/v1/search", params={"q": "instruments", "k": 3, "country": "Morocco"}
    ).json()
    assert len(body["results"]) == 3 and body["facets"]["country"] == {
        "Morocco": body["facets"]["country"]["Morocco"]
    }
    first = body["results"][0]
    assert {
        "doc_id",
        "title",
        "country",
        "section",
        "page",
        "start",
        "end",
        "text",
        "score",
    } <= set(first)
    assert client.get("/v1/search", params={"q": ""}).status_code == 422
    documents = client.get("/v1/documents").json()["documents"]
    assert (
        documents[0]["doc_id"] == "eccp-factsheet-morocco-2023.md" and documents[0]["chunks"] > 50
    )


def test_openapi_lists_the_contract(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/v1/ask",
        "/v1/search",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/healthz",
        "/readyz",
    } <= set(paths)
