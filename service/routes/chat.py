"""``POST /v1/chat/completions``: the latest user message answered, OpenAI-style (``service.chat``).

The question is read in the context of the conversation (``chat.conversation``) and answered by
the engine as ``/v1/ask`` answers it; the answer comes as one completion or, with
``stream: true``, as Server-Sent Events (``chat.streaming``).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse

from policyqa import __version__
from policyqa.errors import DocumentNotFoundError
from policyqa.index import SearchFilters
from policyqa.ingest import TiktokenCounter
from policyqa.service.chat.conversation import contextual_question
from policyqa.service.chat.openai_errors import OpenAIErrorRoute, openai_error
from policyqa.service.chat.schemas import (
    MODEL_ID,
    OPENAI_TAG,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    Usage,
)
from policyqa.service.chat.streaming import completion_chunks, server_sent_events
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import CHAT_ROUTE, not_found
from policyqa.service.generation.chat_stream import generated_chunks
from policyqa.service.generation.history import conversation_turns
from policyqa.service.schemas import CitationOut
from policyqa.service.types import AskResult

router = APIRouter(tags=[OPENAI_TAG], route_class=OpenAIErrorRoute, responses=CHAT_ROUTE)

_STREAM_EXAMPLE = (
    'data: {"object": "chat.completion.chunk", "choices": [{"delta": {"content": "..."}}]}\n\n'
    "data: [DONE]\n\n"
)


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "content": {"text/event-stream": {"example": _STREAM_EXAMPLE}},
            "description": "A completion, or with stream: true Server-Sent Events of chunks.",
        },
        **not_found("Unknown model or document", chat=True),
    },
)
def chat_completions(
    body: ChatCompletionRequest, engine: EngineDep
) -> ChatCompletion | StreamingResponse | JSONResponse:
    """Answer the latest user message, read in the context of the conversation."""
    if body.model != MODEL_ID:
        return openai_error(
            404,
            f"model {body.model!r} does not exist; this service answers with {MODEL_ID!r} "
            "(see GET /v1/models)",
            param="model",
            code="model_not_found",
        )
    question, filters = contextual_question(body.messages, engine.countries)
    if body.filters is not None:
        given = body.filters
        if given.doc_id is not None and given.doc_id not in engine.snapshot.documents:
            raise DocumentNotFoundError(given.doc_id)
        filters = SearchFilters(given.country or filters.country, given.doc_id, given.section)
    result = engine.ask(question, None, filters)
    include_usage = body.stream_options is not None and body.stream_options.include_usage
    if engine.generator is not None:  # a configured model writes the answer (docs/generation.md)
        latest, history = conversation_turns(body.messages, engine.settings.generator)
        if body.stream:
            return StreamingResponse(
                server_sent_events(
                    generated_chunks(
                        _header(),
                        engine.generator.stream(latest, result.answer, result.search.hits, history),
                        _prompt_tokens(body),
                        include_usage,
                        engine.settings.generator.mark_unsupported,
                    )
                ),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        result = engine.generator.rewrite(result, latest, history)
    completion = _completion(body, result)
    if not body.stream:
        return completion
    return StreamingResponse(
        server_sent_events(completion_chunks(completion, include_usage)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _header() -> dict[str, Any]:
    """What every completion and chunk of one answer shares."""
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "created": int(time.time()),
        "model": MODEL_ID,
        "system_fingerprint": f"policyqa-{__version__}",
    }


def _prompt_tokens(body: ChatCompletionRequest) -> int:
    counter = TiktokenCounter()
    return sum(counter.count(message.text) for message in body.messages)


def _completion(body: ChatCompletionRequest, result: AskResult) -> ChatCompletion:
    """The answer as a completion, with token counts (cl100k) and the citations."""
    content = result.answer.text
    prompt_tokens = _prompt_tokens(body)
    completion_tokens = TiktokenCounter().count(content)
    return ChatCompletion(
        **_header(),
        choices=[Choice(message=AssistantMessage(content=content))],
        usage=Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
        citations=[CitationOut.from_citation(citation) for citation in result.answer.citations],
        answerable=result.answer.answerable,
        generated=result.answer.generated,
        removed_sentences=result.answer.removed,
        note=result.answer.note,
    )
