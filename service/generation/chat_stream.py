"""A generated answer streamed to a chat client as the model writes it, verified at the end.

The model's text goes out delta by delta as it arrives. The last chunk says what verification
found: ``verified_content`` (the answer as kept), ``withdrawn`` (streamed sentences their
citations do not support), ``removed_sentences``, ``generated``, and the citations of the kept
sentences. Plain clients see a last delta naming what was withdrawn. When the model fails
mid-answer, that delta withdraws everything streamed and gives the extractive answer instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policyqa.ingest import TiktokenCounter
from policyqa.service.chat.schemas import ChatCompletionChunk, ChunkChoice, Delta, Usage
from policyqa.service.chat.streaming import statement_pieces
from policyqa.service.generation.answerer import Generated
from policyqa.service.generation.verify import UNSUPPORTED_MARK
from policyqa.service.schemas import CitationOut


def generated_chunks(
    header: dict[str, Any],
    pieces: Iterator[str | Generated],
    prompt_tokens: int,
    include_usage: bool,
    mark: bool,
) -> Iterator[ChatCompletionChunk]:
    """Chunks of a generated answer; ``header`` holds id, created, model, system_fingerprint."""

    def chunk(choices: list[ChunkChoice], **extra: Any) -> ChatCompletionChunk:
        return ChatCompletionChunk(**header, choices=choices, **extra)

    def delta(text: str) -> ChatCompletionChunk:
        return chunk([ChunkChoice(delta=Delta(content=text))])

    yield chunk([ChunkChoice(delta=Delta(role="assistant", content=""))])
    streamed: list[str] = []
    result: Generated | None = None
    for item in pieces:
        if isinstance(item, Generated):
            result = item
            break
        streamed.append(item)
        yield delta(item)
    assert result is not None, "the generator's stream ends with a Generated"
    answer, withdrawn = result.answer, []
    if result.verification is None:
        # no generated answer: show the extractive one (after withdrawing any streamed text)
        if streamed:
            yield delta(f"\n\n[withdrawn: {answer.note or 'generation failed'}]\n\n")
        elif answer.note:
            yield delta(f"[{answer.note}]\n\n")
        for piece in statement_pieces(answer.text):
            yield delta(piece)
    else:
        withdrawn = [v.text for v in result.verification.unsupported]
        if withdrawn and answer.generated:
            action = "marked " + UNSUPPORTED_MARK if mark else "withdrawn"
            yield delta(
                f"\n\n[{action}, not supported by their citations: " + " | ".join(withdrawn) + "]"
            )
        elif withdrawn:  # nothing was supported: the extractive answer replaces it
            yield delta(f"\n\n[withdrawn: {answer.note}]\n\n")
            for piece in statement_pieces(answer.text):
                yield delta(piece)
    yield chunk(
        [ChunkChoice(delta=Delta(), finish_reason="stop")],
        citations=[CitationOut.from_citation(c) for c in answer.citations],
        answerable=answer.answerable,
        generated=answer.generated,
        removed_sentences=answer.removed,
        withdrawn=withdrawn,
        verified_content=answer.text,
        note=answer.note,
    )
    if include_usage:
        completion_tokens = TiktokenCounter().count("".join(streamed) or answer.text)
        usage = Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        )
        yield chunk([], usage=usage)
