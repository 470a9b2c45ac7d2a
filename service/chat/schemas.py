"""The chat API's wire models, in the shape of OpenAI's chat completions and models.

Requests accept (and ignore) the OpenAI fields policyqa does not use; responses add policyqa's
``citations`` and ``answerable``. They appear in the OpenAPI schema at ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from policyqa.service.schemas import CitationOut, Filters, ValidationProblem

#: The one model this service answers with (``GET /v1/models``).
MODEL_ID = "policyqa-extractive"
MAX_QUESTION_CHARS = 2000  # the same bound as /v1/ask's question
#: The OpenAPI tag of the chat and model routes.
OPENAI_TAG = "chat (OpenAI-compatible)"


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
        # earlier user turns are carried into follow-up questions: each within the same limit
        for number, message in enumerate(users[:-1], start=1):
            if len(message.text) > MAX_QUESTION_CHARS:
                raise ValueError(
                    f"user message {number} is {len(message.text)} characters long; every user "
                    f"turn of a conversation must have at most {MAX_QUESTION_CHARS}"
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
    generated: bool = Field(
        False, description="policyqa extension: true when the configured model wrote the answer."
    )
    removed_sentences: int = Field(
        0, description="policyqa extension: generated sentences their citations did not support."
    )
    note: str | None = Field(
        None, description="policyqa extension: why the answer is extractive though a model is set."
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
    # policyqa extensions of the last chunk of a generated answer (docs/generation.md)
    generated: bool | None = None
    removed_sentences: int | None = None
    withdrawn: list[str] | None = Field(
        None, description="Streamed sentences verification withdrew (or marked)."
    )
    verified_content: str | None = Field(
        None, description="The answer as verification kept it; markers refer to `citations`."
    )
    note: str | None = None


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


# --- errors -------------------------------------------------------------------------------------


class OpenAIError(BaseModel):
    """OpenAI's error object, which OpenAI SDKs read."""

    message: str
    type: Literal["invalid_request_error", "server_error"]
    param: str | None = None
    code: str | None = None


class ChatErrorOut(BaseModel):
    """An error of the chat API: the readable ``detail`` and OpenAI's ``error`` object; a request
    that failed validation lists each problem in ``errors`` too."""

    detail: str
    error: OpenAIError | None = Field(
        None, description="Absent only on the guard's refusals (Host, body size, key)."
    )
    errors: list[ValidationProblem] | None = None
