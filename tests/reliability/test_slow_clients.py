"""A client that trickles its request body is answered 408 and cut off within the bound.

A real uvicorn server (the fake embedder: what is checked is the connection, not the answer)
with ``POLICYQA_SERVICE__BODY_TIMEOUT`` of one second; the client sends a question's headers and
then one byte of its body every 0.3 s.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from policyqa.service.app import create_app
from policyqa.settings import ServiceSettings, Settings
from tests.conftest import MOROCCO_MD, fake_engine
from tests.service.live.conftest import LiveServer, run_server

pytestmark = pytest.mark.slow  # a real server and a client that waits on purpose


@pytest.fixture(scope="module")
def impatient_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("slow-clients") / "index"
    settings = Settings(index_dir=folder, service=ServiceSettings(body_timeout=1.0))
    yield from run_server(create_app(settings, engine=fake_engine(folder, [MOROCCO_MD])))


def test_a_trickled_body_gets_408_and_the_connection_closes(impatient_server: LiveServer) -> None:
    address = urlsplit(impatient_server.url)
    body = json.dumps({"question": "What are the policy objectives of Morocco?"}).encode()
    head = (
        f"POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(head)
        answer = b""
        for byte in body:  # one byte at a time, until the server answers
            client.sendall(bytes([byte]))
            client.settimeout(0.3)
            try:
                answer = client.recv(65536)
            except TimeoutError:
                continue
            break
        client.settimeout(5)
        try:
            while chunk := client.recv(65536):
                answer += chunk
        except ConnectionResetError:  # closed by the server: what it sent is already read
            pass
    elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"POLICYQA_SERVICE__BODY_TIMEOUT" in answer
    assert elapsed < 5, elapsed  # cut off near the 1 s bound, not after the whole trickle


def test_a_body_sent_at_once_is_answered(impatient_server: LiveServer, tmp_path: Path) -> None:
    answer = httpx.post(
        f"{impatient_server.url}/v1/ask",
        json={"question": "What are the policy objectives of Morocco?"},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json()["citations"]
