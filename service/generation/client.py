"""A client of an OpenAI-compatible chat completions API, streaming over httpx.

``ModelClient.stream`` posts the messages with ``stream: true`` and yields the text of each
Server-Sent Event's delta as it arrives. Everything that can go wrong (unreachable, HTTP error,
too slow, an event that is not the JSON of a chunk, no text at all) is raised as
``GenerationError``, so that the answerer can fall back to the extractive answer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from policyqa.settings import GeneratorSettings


class GenerationError(Exception):
    """The model gave no usable answer (the message says why, for the response's note)."""


class ModelClient:
    """Streams chat completions from one OpenAI-compatible endpoint."""

    def __init__(self, settings: GeneratorSettings) -> None:
        if not settings.base_url:
            raise ValueError("the generator has no base_url")
        self.settings = settings
        self.url = settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Accept": "text/event-stream"}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        timeout = httpx.Timeout(settings.timeout)
        self.http = httpx.Client(headers=headers, timeout=timeout, trust_env=False)

    def stream(self, messages: Sequence[dict[str, str]]) -> Iterator[str]:
        """The answer's text, piece by piece as the model writes it."""
        body = {
            "model": self.settings.model,
            "messages": list(messages),
            "stream": True,
            "temperature": 0,
            "max_tokens": self.settings.max_tokens,
        }
        deadline = time.monotonic() + self.settings.timeout
        wrote = False
        try:
            with self.http.stream("POST", self.url, json=body) as response:
                if response.status_code != 200:
                    response.read()
                    raise GenerationError(
                        f"the model answered HTTP {response.status_code}: "
                        f"{response.text[:200].strip()}"
                    )
                for line in response.iter_lines():
                    if time.monotonic() > deadline:
                        raise GenerationError(
                            f"the model took longer than {self.settings.timeout:g} s"
                        )
                    piece = _event_text(line)
                    if piece is None:
                        break  # data: [DONE]
                    if piece:
                        wrote = True
                        yield piece
        except httpx.TimeoutException as error:
            raise GenerationError(
                f"the model did not answer within {self.settings.timeout:g} s"
            ) from error
        except httpx.HTTPError as error:
            raise GenerationError(f"the model is unreachable: {error}") from error
        if not wrote:
            raise GenerationError("the model returned no text")

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def _event_text(line: str) -> str | None:
    """The text a Server-Sent Event line adds ("" for comments and keep-alives), None at [DONE]."""
    if not line.startswith("data:"):
        return ""  # blank separators, "event:", ": keep-alive" comments
    data = line[len("data:") :].strip()
    if data == "[DONE]":
        return None
    try:
        chunk: Any = json.loads(data)
    except json.JSONDecodeError as error:
        raise GenerationError(f"the model sent an event that is not JSON: {data[:80]!r}") from error
    if not isinstance(chunk, dict):
        raise GenerationError("the model sent an event that is not a chunk object")
    if "error" in chunk:
        raise GenerationError(f"the model reported an error: {str(chunk['error'])[:200]}")
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        raise GenerationError("the model sent a chunk without choices")
    if not choices:
        return ""  # a usage chunk
    first = choices[0]
    delta = first.get("delta") if isinstance(first, dict) else None
    if delta is None and isinstance(first, dict) and "message" in first:
        delta = first["message"]  # servers that answer a stream with one whole message
    if not isinstance(delta, dict):
        raise GenerationError("the model sent a chunk without a delta")
    content = delta.get("content")
    if content is not None and not isinstance(content, str):
        raise GenerationError("the model sent a delta whose content is not text")
    return content or ""
