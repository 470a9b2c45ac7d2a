"""An OpenAI-compatible chat API over the question-answering engine.

``POST /v1/chat/completions`` takes ``{model, messages, stream?}`` as the OpenAI chat API does
(sampling parameters are accepted and ignored: answers are extractive, so there is nothing to
sample) and answers the latest user message with the same cited answer ``/v1/ask`` gives. The
answer text, with its ``[n]`` markers, is ``choices[0].message.content``; the citations ride in
extra top-level fields, ``citations`` (each the shape of a ``/v1/ask`` citation) and
``answerable``, which OpenAI SDKs keep as extra attributes. With ``stream: true`` the answer comes
as Server-Sent Events of ``chat.completion.chunk`` objects, statement by statement, the last chunk
carrying the citations, then ``data: [DONE]``. ``GET /v1/models`` lists the one model.

Follow-ups read the conversation: ``contextual_question`` resolves "What about its instruments?"
after a question on Morocco into a question restricted to Morocco, and "What about Valdoria?"
into the previous question asked about Valdoria.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from policyqa import __version__
from policyqa.errors import DocumentNotFoundError
from policyqa.index import SearchFilters
from policyqa.index.lexical import analyse
from policyqa.ingest import TiktokenCounter
from policyqa.service.countries import WORLD_ALIASES, CountryMatcher
from policyqa.service.engine_state import EngineDep
from policyqa.service.pipeline import QAEngine
from policyqa.service.question import parse_question
from policyqa.service.schemas import CitationOut, Filters
from policyqa.service.types import AskResult

MODEL_ID = "policyqa-extractive"
MAX_QUESTION_CHARS = 2000  # the same bound as /v1/ask's question


class OpenAIErrorRoute(APIRoute):
    """A route whose error responses also carry OpenAI's ``error`` object.

    OpenAI SDKs show ``error.message`` and nothing else of an error body; policyqa's clients read
    ``detail``. Both are sent, with the same readable message.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def with_openai_errors(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as error:
                # the app's handler words the message; keep its body and add the error object
                readable = request.app.exception_handlers[RequestValidationError]
                response = await readable(request, error)
                body = json.loads(bytes(response.body))
                return _openai_error(422, body["detail"], code="invalid_request", extra=body)
            except DocumentNotFoundError as error:
                return _openai_error(404, str(error), param="filters.doc_id", code="not_found")
            except HTTPException as error:  # 503 while the index loads (SDKs retry it)
                return _openai_error(error.status_code, str(error.detail), code="unavailable")

        return with_openai_errors


router = APIRouter(tags=["chat (OpenAI-compatible)"], route_class=OpenAIErrorRoute)


# --- request ------------------------------------------------------------------------------------


class TextPart(BaseModel):
    """A text part of a message's content (the only kind of part policyqa reads)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["text"] = Field(..., description="Always 'text'.")
    text: str = Field(..., description="The text.")


class ChatMessage(BaseModel):
    """One turn of the conversation; fields of the OpenAI API not listed here are ignored."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"] = Field(
        ..., description="Who speaks; only user turns are read (system prompts are ignored)."
    )
    content: str | list[TextPart] | None = Field(
        None, description="A string or a list of text parts; null only for assistant tool calls."
    )

    @field_validator("content", mode="before")
    @classmethod
    def _text_parts_only(cls, value: Any) -> Any:
        """Name the unsupported part instead of pydantic's union error for images and audio."""
        if isinstance(value, list):
            for part in value:
                kind = part.get("type") if isinstance(part, dict) else None
                if kind != "text":
                    raise ValueError(
                        f"only text content parts are supported, not {kind!r}"
                        if kind
                        else "each content part must be an object {'type': 'text', 'text': ...}"
                    )
        return value

    @property
    def text(self) -> str:
        """The message's text, its parts joined by newlines."""
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content)


class StreamOptions(BaseModel):
    """Options of a streamed response."""

    model_config = ConfigDict(extra="allow")

    include_usage: bool = Field(
        False, description="Send a last chunk with token usage and no choices, as OpenAI does."
    )


class ChatCompletionRequest(BaseModel):
    """A chat completion request in the OpenAI shape.

    Sampling and tool parameters (temperature, top_p, n, stop, max_tokens, seed, tools, user, ...)
    are accepted and ignored.
    """

    model_config = ConfigDict(extra="allow")

    model: str = Field(..., min_length=1, max_length=200, description=f"Must be {MODEL_ID!r}.")
    messages: list[ChatMessage] = Field(
        ..., min_length=1, max_length=1000, description="The conversation, oldest first."
    )
    stream: bool = Field(False, description="Answer as Server-Sent Events of chunks.")
    stream_options: StreamOptions | None = None
    filters: Filters | None = Field(
        None,
        description=(
            "policyqa extension (send it with the SDK's extra_body): restrict retrieval as "
            "/v1/ask's filters do; a country given here wins over the conversation's."
        ),
    )

    @model_validator(mode="after")
    def _has_a_question(self) -> ChatCompletionRequest:
        users = [message for message in self.messages if message.role == "user"]
        if not users or not users[-1].text.strip():
            raise ValueError("the conversation needs a user message with text to answer")
        if len(users[-1].text) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"the latest user message is {len(users[-1].text)} characters long; "
                f"at most {MAX_QUESTION_CHARS} are answered"
            )
        return self


# --- response -----------------------------------------------------------------------------------


class AssistantMessage(BaseModel):
    """The answer as an assistant message."""

    role: Literal["assistant"] = "assistant"
    content: str = Field(..., description="The cited answer; markers [n] refer to `citations`.")
    refusal: None = None


class Choice(BaseModel):
    """The one choice of a completion (policyqa gives one answer per question)."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """Token counts (cl100k): the conversation's message texts, and the answer."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """A chat completion in the OpenAI shape, plus the answer's citations."""

    id: str = Field(..., description="'chatcmpl-' and a random hex id.")
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(..., description="Unix time in seconds.")
    model: str
    system_fingerprint: str = Field(..., description="policyqa's version.")
    choices: list[Choice]
    usage: Usage
    citations: list[CitationOut] = Field(
        ..., description="policyqa extension: the citations, as /v1/ask gives them."
    )
    answerable: bool = Field(
        ..., description="policyqa extension: false when the documents do not say."
    )


class Delta(BaseModel):
    """What a chunk adds to the message."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    """The choice of a streamed chunk."""

    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    """One Server-Sent Event of a streamed completion; the last carries the citations."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    system_fingerprint: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    citations: list[CitationOut] | None = None
    answerable: bool | None = None


class ModelCard(BaseModel):
    """A model, in the OpenAI shape."""

    id: str
    object: Literal["model"] = "model"
    created: int = Field(..., description="Unix time the live index version was written.")
    owned_by: str = "policyqa"


class ModelList(BaseModel):
    """The models this service answers with (one)."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


# --- follow-ups ---------------------------------------------------------------------------------

# Words of a follow-up that ask for "the same again" without naming a topic ("What about
# Valdoria?", "And the same for Valdoria?", "Tell me more"): a message of only these and country
# names takes its topic from the previous question.
_FOLLOW_UP_FILLER = frozenset(
    analyse(
        "same more else too again instead now then ok okay please thanks case tell me us there "
        "here one ones"
    )
)


class ResolvedQuestion(NamedTuple):
    """The question to answer and the filters the conversation implies."""

    text: str
    filters: SearchFilters


def contextual_question(
    messages: Sequence[ChatMessage], matcher: CountryMatcher
) -> ResolvedQuestion:
    """Resolve the latest user message against the earlier user turns of the conversation.

    - A message naming no country is about the country of the most recent earlier user message
      that names exactly one: "What about its instruments?" after a question on Morocco asks about
      Morocco's instruments (a country filter). A carried country that no document covers is
      named in the question instead, so that the answer says the documents do not cover it.
    - A message with no topic of its own ("What about Valdoria?", "And the same for Valdoria")
      asks the previous question again, about the country it names (or the carried one).

    Assistant and system turns are not read: answers name countries they do not cover.
    """
    turns = [message.text for message in messages if message.role == "user" and message.text]
    latest, earlier = turns[-1], turns[:-1]
    named = matcher.find(latest)
    question = latest
    if earlier and not _topic_terms(latest, matcher):
        topic = next((turn for turn in reversed(earlier) if _topic_terms(turn, matcher)), None)
        if topic is not None:
            question = _replace_countries(topic, matcher.find(topic), named[0]) if named else topic
    if matcher.find(question):  # the question names its subject: the engine reads it from there
        return ResolvedQuestion(question, SearchFilters())
    if named:
        subject = named[0]  # "What about Valdoria?" after a question that named no country
    else:
        carried = next((found for turn in reversed(earlier) if (found := matcher.find(turn))), [])
        if len(carried) != 1:  # none, or a comparison of several: no single subject to carry
            return ResolvedQuestion(question, SearchFilters())
        subject = carried[0]
    if not matcher.is_indexed(subject):
        return ResolvedQuestion(f"{question} ({subject})", SearchFilters())
    return ResolvedQuestion(question, SearchFilters(country=subject))


def _topic_terms(text: str, matcher: CountryMatcher) -> set[str]:
    """The terms of ``text`` that say what it asks, beyond countries and follow-up filler."""
    parsed = parse_question(text, matcher)
    country_terms = {term for country in parsed.countries for term in analyse(country)}
    for alias, canonical in WORLD_ALIASES.items():
        if canonical in parsed.countries:
            country_terms.update(analyse(alias))
    return set(parsed.terms) - country_terms - _FOLLOW_UP_FILLER


def _replace_countries(text: str, countries: Sequence[str], new_country: str) -> str:
    """``text`` with every mention of ``countries`` (names and adjectives) replaced."""
    if not countries:
        return text
    aliases = {country.lower() for country in countries} | {
        alias for alias, canonical in WORLD_ALIASES.items() if canonical in countries
    }
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(alias) for alias in sorted(aliases, key=len, reverse=True))
        + r")(?![\w-])",
        re.IGNORECASE,
    )

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        # short aliases ("US", "UK") are also words ("us"): only their upper-case form is a country
        return new_country if len(word) > 3 or word.isupper() else word

    return pattern.sub(replace, text)


# --- routes -------------------------------------------------------------------------------------


@router.get("/v1/models", response_model=ModelList)
def list_models(engine: EngineDep) -> ModelList:
    """The model to name in chat requests, in the OpenAI list shape."""
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_index_created(engine))])


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
        404: {"description": "Unknown model or document"},
    },
)
def chat_completions(
    body: ChatCompletionRequest, engine: EngineDep
) -> ChatCompletion | StreamingResponse | JSONResponse:
    """Answer the latest user message, read in the context of the conversation."""
    if body.model != MODEL_ID:
        return _openai_error(
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
    completion = _completion(body, result)
    if not body.stream:
        return completion
    include_usage = body.stream_options is not None and body.stream_options.include_usage
    return StreamingResponse(
        _sse(_chunks(completion, include_usage)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _completion(body: ChatCompletionRequest, result: AskResult) -> ChatCompletion:
    counter = TiktokenCounter()
    content = result.answer.text
    prompt_tokens = sum(counter.count(message.text) for message in body.messages)
    completion_tokens = counter.count(content)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=int(time.time()),
        model=MODEL_ID,
        system_fingerprint=f"policyqa-{__version__}",
        choices=[Choice(message=AssistantMessage(content=content))],
        usage=Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
        citations=[CitationOut.from_citation(citation) for citation in result.answer.citations],
        answerable=result.answer.answerable,
    )


def statement_pieces(text: str) -> list[str]:
    """``text`` cut after each citation marker: the deltas of a stream, joined they are ``text``."""
    cuts = [match.end() for match in re.finditer(r"\[\d+\]", text)]
    bounds = [0, *(cut for cut in cuts if cut < len(text)), len(text)]
    return [text[start:end] for start, end in itertools.pairwise(bounds) if end > start]


def _chunks(completion: ChatCompletion, include_usage: bool) -> Iterator[ChatCompletionChunk]:
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


def _sse(chunks: Iterator[ChatCompletionChunk]) -> Iterator[str]:
    """Server-Sent Events: ``data: {json}`` per chunk, then ``data: [DONE]``."""
    for item in chunks:
        data = item.model_dump(mode="json")
        # as OpenAI sends them: a delta holds only what it adds; absent extensions are left out
        for choice in data["choices"]:
            choice["delta"] = {
                key: value for key, value in choice["delta"].items() if value is not None
            }
        for key in ("usage", "citations", "answerable"):
            if data[key] is None:
                del data[key]
        yield f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def _openai_error(
    status: int,
    message: str,
    *,
    code: str,
    param: str | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """An error body readable by OpenAI SDKs (``error``) and by policyqa's clients (``detail``)."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    error = {"message": message, "type": kind, "param": param, "code": code}
    return JSONResponse(
        status_code=status, content={**(extra or {}), "detail": message, "error": error}
    )


def _index_created(engine: QAEngine) -> int:
    """Unix time the live index version was written (0 when its manifest does not say)."""
    created = engine.snapshot.manifest.get("created_at")
    try:
        return int(datetime.fromisoformat(str(created)).timestamp())
    except ValueError:
        return 0
