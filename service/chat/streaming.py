"""A completion as Server-Sent Events of ``chat.completion.chunk`` objects, as OpenAI streams.

The answer is cut after each citation marker, so a client shows it statement by statement; the
last chunk carries the citations, and ``data: [DONE]`` ends the stream.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from policyqa.service.chat.schemas import ChatCompletion, ChatCompletionChunk, ChunkChoice, Delta


def statement_pieces(text: str) -> list[str]:
    """``text`` cut after each citation marker: the deltas of a stream, joined they are ``text``."""
    cuts = [match.end() for match in re.finditer(r"\[\d+\]", text)]
    bounds = [0, *(cut for cut in cuts if cut < len(text)), len(text)]
    return [text[start:end] for start, end in itertools.pairwise(bounds) if end > start]


def completion_chunks(
    completion: ChatCompletion, include_usage: bool
) -> Iterator[ChatCompletionChunk]:
    """The completion as chunks: the role, the statements one by one, then the citations."""

    def chunk(choices: list[ChunkChoice], **extra: Any) -> ChatCompletionChunk:
        return ChatCompletionChunk(
            id=completion.id,
            created=completion.created,
            model=completion.model,
            system_fingerprint=completion.system_fingerprint,
            choices=choices,
            **extra,
        )

    yield chunk([ChunkChoice(delta=Delta(role="assistant", content=""))])
    for piece in statement_pieces(completion.choices[0].message.content):
        yield chunk([ChunkChoice(delta=Delta(content=piece))])
    yield chunk(
        [ChunkChoice(delta=Delta(), finish_reason="stop")],
        citations=completion.citations,
        answerable=completion.answerable,
    )
    if include_usage:
        yield chunk([], usage=completion.usage)


#: Chunk fields left out of an event when absent (OpenAI's optional usage, policyqa's extensions).
EXTENSION_KEYS = (
    "usage",
    "citations",
    "answerable",
    "generated",
    "removed_sentences",
    "withdrawn",
    "verified_content",
    "note",
)


def server_sent_events(chunks: Iterator[ChatCompletionChunk]) -> Iterator[str]:
    """Server-Sent Events: ``data: {json}`` per chunk, then ``data: [DONE]``."""
    for item in chunks:
        data = item.model_dump(mode="json")
        # as OpenAI sends them: a delta holds only what it adds; absent extensions are left out
        for choice in data["choices"]:
            choice["delta"] = {
                key: value for key, value in choice["delta"].items() if value is not None
            }
        for key in EXTENSION_KEYS:
            if data[key] is None:
                del data[key]
        yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
