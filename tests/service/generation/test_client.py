"""The streaming client against the scripted model server: text as it arrives, every failure a
``GenerationError`` (fast lane: no model is loaded)."""

from __future__ import annotations

import socket
import time

import pytest

from policyqa.service.generation.client import GenerationError, ModelClient
from policyqa.settings import GeneratorSettings
from tests.scripted_model import ScriptedModel
from tests.service.generation.conftest import TIMEOUT

MESSAGES = [
    {"role": "system", "content": "Cite statements."},
    {"role": "user", "content": "Statements:\n[1] The plan runs from 2021 to 2025.\n\nQuestion: ?"},
]


def client_for(url: str) -> ModelClient:
    return ModelClient(
        GeneratorSettings(base_url=url, model="scripted", api_key="k-123", timeout=TIMEOUT)
    )


def test_text_streams_piece_by_piece(model: ScriptedModel) -> None:
    model.pause = 0.05
    client = client_for(model.url)
    arrivals: list[float] = []
    pieces = []
    for piece in client.stream(MESSAGES):
        arrivals.append(time.monotonic())
        pieces.append(piece)
    assert "".join(pieces) == "According to the documents, the plan runs from 2021 to 2025. [1]"
    assert len(pieces) == 12  # one per word, as the server sent them
    assert arrivals[-1] - arrivals[0] >= 0.4  # they arrived over time, not at once
    request = model.requests[-1]
    assert request["headers"]["Authorization"] == "Bearer k-123"
    assert request["body"]["model"] == "scripted" and request["body"]["stream"] is True
    assert request["body"]["messages"] == MESSAGES


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("broken_json", "not JSON"),
        ("garbage", "no text"),
        ("http_error", "HTTP 500"),
        ("timeout", "within 1 s"),
        ("stall", "within 1 s"),
    ],
)
def test_failures_are_generation_errors(model: ScriptedModel, script: str, message: str) -> None:
    model.script = script
    started = time.monotonic()
    with pytest.raises(GenerationError, match=message):
        list(client_for(model.url).stream(MESSAGES))
    assert time.monotonic() - started < TIMEOUT + 0.9  # the timeout bounds the wait


def test_an_unreachable_model_is_a_generation_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(GenerationError, match="unreachable"):
        list(client_for(f"http://127.0.0.1:{port}/v1").stream(MESSAGES))
