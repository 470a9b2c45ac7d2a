"""``/v1/profiles``: structured factsheets with spans (fake embedder, the real app and index)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from policyqa.eval.synthetic import make_truth, to_markdown, to_pdf
from policyqa.index import IndexBuilder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("profiles")
    dedicated, broad = make_truth(0), make_truth(3)  # a dedicated and a broad policy
    assert dedicated.dedicated and not broad.dedicated
    markdown = folder / f"{dedicated.slug}.md"
    markdown.write_text(to_markdown(dedicated), "utf-8")
    pdf = to_pdf(broad, folder / f"{broad.slug}.pdf")
    settings = Settings(index_dir=folder / "index")
    embedder = FakeEmbedder()
    report = IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD, markdown, pdf])
    assert not report.failed
    app = create_app(settings, engine=open_engine(settings, embedder=embedder))
    with TestClient(app) as test_client:
        yield test_client


def _spans(value: Any) -> list[dict[str, Any]]:
    """Every span object inside a JSON value."""
    if isinstance(value, dict):
        if set(value) == {"text", "start", "end", "page"}:
            return [value]
        return [span for item in value.values() for span in _spans(item)]
    if isinstance(value, list):
        return [span for item in value for span in _spans(item)]
    return []


def test_every_profile_and_every_span(client: TestClient) -> None:
    body = client.get("/v1/profiles").json()
    profiles = body["profiles"]
    assert [p["country"] for p in profiles] == sorted(
        (p["country"] for p in profiles), key=str.casefold
    )
    assert len(profiles) == 3 and {p["synthetic"] for p in profiles} == {True, False}
    for profile in profiles:
        text = client.get(f"/v1/documents/{profile['doc_id']}").json()["text"]
        spans = _spans(profile)
        assert len(spans) > 40
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"]
        assert [f["key"] for f in profile["fields"]][:2] == ["objectives", "focus"]
        assert {s["criterion"] for s in profile["state_of_play"]} == {
            "scope",
            "continuity",
            "performance",
            "support_instruments",
        }
        pdf = profile["doc_id"].endswith(".pdf")
        assert all((span["page"] is not None) == pdf for span in spans)


def test_one_country(client: TestClient) -> None:
    response = client.get("/v1/profiles/morocco")
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == "Morocco" and len(body["profiles"]) == 1
    profile = body["profiles"][0]
    assert profile["policy_type"]["text"] == "Sectoral policy"
    states = {s["criterion"]: s for s in profile["state_of_play"]}
    assert states["continuity"]["option"] == "No cluster-specific policy available"
    assert states["scope"]["option"] == "Sectoral policy"
    assert states["continuity"]["evidence"][0]["text"].startswith(
        "While no dedicated cluster policy exists in Morocco"
    )
    budget = next(f for f in profile["fields"] if f["key"] == "budget")
    assert [sub["values"][0]["text"] for sub in budget["subfields"]] == ["Data unavailable"] * 3


def test_unknown_country_is_404(client: TestClient) -> None:
    response = client.get("/v1/profiles/Atlantis")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "Atlantis" in detail and "Morocco" in detail


def test_openapi_lists_the_profiles(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/profiles", "/v1/profiles/{country}", "/v1/ask"} <= set(paths)


def test_comparisons_over_http_keep_the_ask_contract(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", json={"question": "Which countries have a dedicated cluster policy?"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"answer", "answerable", "citations", "timings_ms"}
    assert body["route"]["kind"] == "comparison"
    dedicated = make_truth(0)
    lines = body["answer"].splitlines()
    assert lines[0] == "Countries with a dedicated cluster policy: 1 of 3 indexed countries."
    assert (
        lines[1].startswith(f"{dedicated.country}: {dedicated.policy_type}") and "[1]" in lines[1]
    )
    assert [c["country"] for c in body["citations"]] == [dedicated.country]
    assert body["citations"][0]["quote"] == f"Policy type: {dedicated.policy_type}"


def test_profiles_need_a_loaded_index(tmp_path: Path) -> None:
    app = create_app(Settings(index_dir=tmp_path / "none"))
    with TestClient(app) as test_client:
        deadline = time.monotonic() + 120
        while test_client.get("/readyz").json()["status"] == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        response = test_client.get("/v1/profiles")
        assert response.status_code == 503 and "no index" in response.json()["detail"]
