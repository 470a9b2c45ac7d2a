"""The write API behind keys, and what guards every request (fake embedder, real app and index).

Each test that writes has its own index folder: uploads and deletes make new versions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from policyqa.service.app import create_app
from policyqa.settings import IngestSettings, ServiceSettings, Settings
from tests.conftest import MOROCCO_MD, fake_engine

KEY = "s3cret-key-for-tests"
AUTH = {"Authorization": f"Bearer {KEY}"}
NOTE = b"CLUSTER NOTE\n\nClusters in Valdoria need patient funding.\n"


def _client(folder: Path, **service: Any) -> TestClient:
    engine = fake_engine(folder, [MOROCCO_MD])
    settings = Settings(
        index_dir=folder,
        service=ServiceSettings(
            **{"reload_interval": 0, "allowed_hosts": "localhost,::1,testserver", **service}
        ),
        ingest=IngestSettings(max_file_mb=1),
    )
    return TestClient(create_app(settings, engine=engine))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path / "index", api_keys=f"other-key,{KEY}") as test_client:
        yield test_client


def _wait(client: TestClient, job: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while job["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
        job = client.get(f"/v1/jobs/{job['id']}").json()
    return job


def test_writes_are_off_without_keys(tmp_path: Path) -> None:
    with _client(tmp_path / "index") as client:
        upload = client.post("/v1/documents", files={"file": ("note.md", NOTE)}, headers=AUTH)
        assert upload.status_code == 403 and "POLICYQA_SERVICE__API_KEYS" in upload.json()["detail"]
        assert client.delete("/v1/documents/note.md", headers=AUTH).status_code == 403
        assert client.get("/healthz").json()["write_enabled"] is False


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}])
def test_a_missing_or_wrong_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/v1/documents", files={"file": ("note.md", NOTE)}, headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert client.delete("/v1/documents/x", headers=headers).status_code == 401


def test_upload_then_delete_through_jobs(client: TestClient) -> None:
    assert client.get("/readyz").json()["write_enabled"] is True
    before = client.get("/readyz").json()["index"]["version"]
    response = client.post(
        "/v1/documents",
        files={"file": ("note.md", NOTE, "text/markdown")},
        data={"country": "Valdoria", "kind": "reference"},
        headers=AUTH,
    )
    assert response.status_code == 202
    job = _wait(client, response.json())
    assert job["status"] == "done" and job["doc_id"] == "note.md" and job["reason"] is None
    assert job["version"] != before
    assert client.get("/readyz").json()["index"]["version"] == job["version"]  # served at once
    listed = {doc["doc_id"]: doc for doc in client.get("/v1/documents").json()["documents"]}
    assert listed["note.md"]["country"] == "Valdoria" and listed["note.md"]["kind"] == "reference"
    assert listed["note.md"]["source_path"] == "note.md"  # no server path
    assert all("/" not in doc["source_path"] for doc in listed.values())
    again = _wait(
        client, client.post("/v1/documents", files={"file": ("note.md", NOTE)}, headers=AUTH).json()
    )
    assert again["status"] == "done" and again["reason"] == "unchanged: already indexed"

    deleted = client.delete("/v1/documents/note.md", headers=AUTH)
    assert deleted.status_code == 202
    gone = _wait(client, deleted.json())
    assert gone["status"] == "done" and gone["action"] == "delete"
    assert "note.md" not in {d["doc_id"] for d in client.get("/v1/documents").json()["documents"]}
    assert client.delete("/v1/documents/note.md", headers=AUTH).status_code == 404
    assert client.get("/v1/jobs/0123456789abcdef").status_code == 404


def test_a_bad_upload_fails_its_job_in_one_line_and_changes_nothing(client: TestClient) -> None:
    before = client.get("/readyz").json()["index"]["version"]
    response = client.post(
        "/v1/documents", files={"file": ("broken.pdf", b"%PDF-1.4 not a pdf")}, headers=AUTH
    )
    job = _wait(client, response.json())
    assert job["status"] == "failed" and job["reason"] and "\n" not in job["reason"]
    assert client.get("/readyz").json()["index"]["version"] == before
    unsupported = client.post("/v1/documents", files={"file": ("x.exe", b"MZ")}, headers=AUTH)
    assert unsupported.status_code == 415
    traversal = client.post(
        "/v1/documents", files={"file": ("../../etc/evil.md", NOTE)}, headers=AUTH
    )
    assert _wait(client, traversal.json())["doc_id"] == "evil.md"


def test_bodies_over_the_limits_are_413(client: TestClient) -> None:
    big = client.post("/v1/ask", content=b'{"question": "' + b"x" * 1_100_000 + b'"}')
    assert big.status_code == 413 and "MAX_BODY_BYTES" in big.json()["detail"]
    upload = client.post(
        "/v1/documents", files={"file": ("big.md", b"word " * 300_000)}, headers=AUTH
    )
    assert upload.status_code == 413 and "MAX_FILE_MB" in upload.json()["detail"]

    def trickle() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"question": "'
        for _ in range(12):
            yield b"y" * 100_000
        yield b'"}'

    streamed = client.post(
        "/v1/ask", content=trickle(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


def test_read_auth_puts_reads_behind_the_keys(tmp_path: Path) -> None:
    with _client(tmp_path / "index", api_keys=KEY, read_auth=True) as client:
        assert client.get("/v1/documents").status_code == 401
        assert client.get("/v1/documents", headers=AUTH).status_code == 200
        assert client.post("/v1/ask", json={"question": "budget?"}).status_code == 401
        assert client.get("/healthz").status_code == 200


def test_hosts_outside_the_allowed_list_are_refused(client: TestClient) -> None:
    refused = client.get("/v1/documents", headers={"Host": "attacker.example"})
    assert refused.status_code == 400 and "ALLOWED_HOSTS" in refused.json()["detail"]
    assert client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "[::1]:8000"}).status_code == 200


def test_the_page_has_a_csp_and_the_docs_work_offline(client: TestClient) -> None:
    page = client.get("/")
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert (
        "access-control-allow-origin"
        not in client.get("/v1/documents", headers={"Origin": "http://elsewhere.example"}).headers
    )
    for url, asset in [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]:
        html = client.get(url).text
        assert f"/docs-assets/{asset}" in html and "cdn" not in html.lower()
        assert client.get(f"/docs-assets/{asset}").status_code == 200


def test_a_lone_surrogate_is_refused_or_cleaned_never_a_500(client: TestClient) -> None:
    bad = '"What is the budget \\ud800 of Morocco?"'
    for url, body in [
        ("/v1/ask", f'{{"question": {bad}}}'),
        (
            "/v1/chat/completions",
            '{"model": "policyqa-extractive", "messages": '
            f'[{{"role": "user", "content": {bad}}}]}}',
        ),
    ]:
        response = client.post(url, content=body, headers={"content-type": "application/json"})
        assert response.status_code in (200, 422), response.text  # refused, or cleaned
        response.text.encode("utf-8")
    controls = client.post("/v1/ask", json={"question": "What is the budget\x00\x1b of Morocco?"})
    assert controls.status_code == 200
    search = client.get("/v1/search", params={"q": "budget \x01"})
    assert search.status_code == 200


def test_every_carried_chat_turn_is_within_the_question_limit(client: TestClient) -> None:
    long_turn = {"role": "user", "content": "x" * 2001}
    body = {
        "model": "policyqa-extractive",
        "messages": [long_turn, {"role": "user", "content": "And its budget?"}],
    }
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 422 and "user message 1 is 2001 characters" in response.text
    huge = {
        "model": "policyqa-extractive",
        "messages": [{"role": "user", "content": "y" * 2_000_000}],
    }
    assert client.post("/v1/chat/completions", json=huge).status_code == 413
