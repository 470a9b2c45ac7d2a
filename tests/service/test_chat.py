"""The OpenAI-compatible chat API: contract, validation, streaming, follow-ups (fake embedder).

The official ``openai`` client against a real server is in ``tests/service/live``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from policyqa.index import SearchFilters
from policyqa.ingest import TiktokenCounter
from policyqa.service.app import create_app
from policyqa.service.chat.conversation import contextual_question
from policyqa.service.chat.schemas import MODEL_ID, ChatMessage
from policyqa.service.chat.streaming import statement_pieces
from policyqa.service.countries import CountryMatcher
from policyqa.service.pipeline import QAEngine
from policyqa.settings import Settings


@pytest.fixture(scope="module")
def client(two_country_engine: QAEngine) -> Iterator[TestClient]:
    app = create_app(two_country_engine.settings, engine=two_country_engine)
    with TestClient(app) as test_client:
        yield test_client


def chat(client: TestClient, *turns: str, **body: Any) -> dict[str, Any]:
    """POST a conversation of alternating user and assistant turns; the answer as JSON."""
    response = client.post("/v1/chat/completions", json=request(*turns, **body))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def request(*turns: str, **body: Any) -> dict[str, Any]:
    messages = [
        {"role": "user" if index % 2 == 0 else "assistant", "content": text}
        for index, text in enumerate(turns)
    ]
    return {"model": MODEL_ID, "messages": messages, **body}


def sse_events(client: TestClient, body: dict[str, Any]) -> list[str]:
    """The data lines of a streamed response, in order."""
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [block for block in text.split("\n\n") if block]
    assert all(event.startswith("data: ") for event in events), events
    return [event.removeprefix("data: ") for event in events]


# --- the completion ------------------------------------------------------------------------------


def test_completion_has_the_openai_shape_and_the_ask_citations(client: TestClient) -> None:
    question = "Which instruments does Morocco's industrial policy use?"
    body = chat(client, question, temperature=0.2, top_p=1, n=1, max_tokens=50, user="u1")
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == MODEL_ID and isinstance(body["created"], int)
    (choice,) = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    ask = client.post("/v1/ask", json={"question": question}).json()
    assert choice["message"]["content"] == ask["answer"]
    assert body["answerable"] is True
    # the same citations as /v1/ask, field for field (scores included)
    assert body["citations"] == ask["citations"]
    text = client.get("/v1/documents/eccp-factsheet-morocco-2023.md").json()["text"]
    for citation in body["citations"]:
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert f"[{citation['id']}]" in choice["message"]["content"]


def test_usage_counts_tokens_of_the_conversation_and_the_answer(client: TestClient) -> None:
    turns = ("What are Morocco's policy objectives?", "Some answer.", "And its budget?")
    body = chat(client, *turns)
    counter = TiktokenCounter()
    usage = body["usage"]
    assert usage["prompt_tokens"] == sum(counter.count(turn) for turn in turns)
    assert usage["completion_tokens"] == counter.count(body["choices"][0]["message"]["content"])
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_an_unanswerable_question_is_said_so_without_citations(client: TestClient) -> None:
    body = chat(client, "What is Germany's cluster policy?")
    assert body["answerable"] is False and body["citations"] == []
    assert "do not cover Germany" in body["choices"][0]["message"]["content"]


def test_content_as_text_parts_and_system_prompts(client: TestClient) -> None:
    parts = {
        "model": MODEL_ID,
        "messages": [
            {"role": "system", "content": "You are a helpful assistant about Germany."},
            {
                "role": "user",
                "content": [{"type": "text", "text": "Which instruments does Morocco use?"}],
            },
        ],
    }
    response = client.post("/v1/chat/completions", json=parts)
    assert response.status_code == 200, response.text
    plain = chat(client, "Which instruments does Morocco use?")
    # the system prompt is not read: it neither names the subject nor changes the answer
    assert response.json()["choices"][0]["message"] == plain["choices"][0]["message"]


def test_filters_extension_restricts_retrieval(client: TestClient) -> None:
    body = chat(client, "Which instruments are used?", filters={"country": "Valdoria"})
    assert body["citations"]
    assert {c["doc_id"] for c in body["citations"]} == {"synthetic-factsheet-valdoria.md"}
    missing = client.post(
        "/v1/chat/completions", json=request("budget?", filters={"doc_id": "nope.md"})
    )
    assert missing.status_code == 404 and "nope.md" in missing.json()["detail"]


def test_models_lists_the_model(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert [(model["id"], model["object"]) for model in body["data"]] == [(MODEL_ID, "model")]
    assert isinstance(body["data"][0]["created"], int) and body["data"][0]["created"] > 0


# --- streaming -----------------------------------------------------------------------------------


def test_stream_sends_role_statements_citations_then_done(client: TestClient) -> None:
    question = "Which instruments does Morocco's industrial policy use?"
    events = sse_events(client, request(question, stream=True))
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert len({chunk["id"] for chunk in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    pieces = [chunk["choices"][0]["delta"]["content"] for chunk in chunks[1:-1]]
    final = chunks[-1]
    assert final["choices"][0] == {
        "index": 0,
        "delta": {},
        "finish_reason": "stop",
        "logprobs": None,
    }
    assert all(chunk["choices"][0]["finish_reason"] is None for chunk in chunks[:-1])
    whole = chat(client, question)
    assert "".join(pieces) == whole["choices"][0]["message"]["content"]
    assert len(pieces) == len(whole["citations"]) > 1  # one delta per cited statement
    assert final["citations"] == whole["citations"] and final["answerable"] is True
    assert "usage" not in final


def test_stream_with_include_usage_ends_with_a_usage_chunk(client: TestClient) -> None:
    body = request("When does the plan end?", stream=True, stream_options={"include_usage": True})
    events = sse_events(client, body)
    usage_chunk = json.loads(events[-2])
    assert usage_chunk["choices"] == [] and usage_chunk["usage"]["total_tokens"] > 0


def test_statement_pieces_cut_after_each_marker() -> None:
    text = "First statement. [1] Second one. [2] Third. [3]"
    assert statement_pieces(text) == ["First statement. [1]", " Second one. [2]", " Third. [3]"]
    assert statement_pieces("No markers here.") == ["No markers here."]
    assert "".join(statement_pieces("A [1] b")) == "A [1] b"


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": MODEL_ID, "messages": []}, "messages: List should have at least 1 item"),
        ({"messages": [{"role": "user", "content": "hi"}]}, "model: Field required"),
        ({"model": MODEL_ID}, "messages: Field required"),
        (
            {"model": MODEL_ID, "messages": [{"role": "system", "content": "Be brief."}]},
            "the conversation needs a user message with text to answer",
        ),
        (
            {"model": MODEL_ID, "messages": [{"role": "user", "content": "   "}]},
            "the conversation needs a user message with text to answer",
        ),
        (
            {"model": MODEL_ID, "messages": [{"role": "robot", "content": "hi"}]},
            "messages.0.role: Input should be 'system', 'developer', 'user', 'assistant' or 'tool'",
        ),
        (
            {
                "model": MODEL_ID,
                "messages": [
                    {
                        "role": "user",
                        "content": [{"type": "image_url", "image_url": {"url": "x"}}],
                    }
                ],
            },
            "messages.0.content: Value error, only text content parts are supported, "
            "not 'image_url'",
        ),
        (
            {"model": MODEL_ID, "messages": [{"role": "user", "content": "x" * 2001}]},
            "the latest user message is 2001 characters long; at most 2000 are answered",
        ),
        (
            {"model": MODEL_ID, "messages": [{"role": "user", "content": "hi"}], "stream": "maybe"},
            "stream: Input should be a valid boolean",
        ),
    ],
)
def test_invalid_requests_are_422_with_a_readable_message(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]


def test_an_unknown_model_is_404_in_the_openai_error_shape(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json={**request("hi"), "model": "gpt-4o"})
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == "model_not_found" and body["error"]["param"] == "model"
    assert f"'gpt-4o' does not exist; this service answers with '{MODEL_ID}'" in body["detail"]


# --- follow-ups ----------------------------------------------------------------------------------

MATCHER = CountryMatcher(["Morocco", "Valdoria"])


def conversation(*turns: str) -> list[ChatMessage]:
    return [
        ChatMessage(role="user" if index % 2 == 0 else "assistant", content=text)
        for index, text in enumerate(turns)
    ]


@pytest.mark.parametrize(
    ("turns", "question", "country"),
    [
        # a single question is taken as it is
        (["Which instruments does Morocco use?"], "Which instruments does Morocco use?", None),
        # the country of the previous question carries over
        (
            ["What are the policy objectives of Morocco?", "...", "What about its instruments?"],
            "What about its instruments?",
            "Morocco",
        ),
        # from further back, and by adjective
        (
            ["Moroccan policy objectives?", "...", "Its budget?", "...", "And its history?"],
            "And its history?",
            "Morocco",
        ),
        # a newly named country replaces the carried one
        (
            ["Morocco's budget?", "...", "Which instruments does Valdoria use?"],
            "Which instruments does Valdoria use?",
            None,
        ),
        # a message with no topic asks the previous question about the country it names
        (
            [
                "What are the policy objectives of Morocco's industrial policy?",
                "...",
                "And Valdoria?",
            ],
            "What are the policy objectives of Valdoria's industrial policy?",
            None,
        ),
        (
            ["Which instruments are used?", "...", "What about the same for Valdoria?"],
            "Which instruments are used?",
            "Valdoria",
        ),
        # ... and the carried country when it names none
        (
            ["Valdoria's objectives?", "...", "Its instruments?", "...", "Tell me more"],
            "Its instruments?",
            "Valdoria",
        ),
        # a comparison has no single subject to carry
        (["Compare Morocco and Valdoria", "...", "What about their budgets?"], None, None),
        # no country anywhere: nothing to carry
        (["What is a cluster?", "...", "What about its budget?"], "What about its budget?", None),
    ],
)
def test_follow_ups_are_resolved_from_earlier_user_turns(
    turns: list[str], question: str | None, country: str | None
) -> None:
    resolved = contextual_question(conversation(*turns), MATCHER)
    assert resolved.text == (question or turns[-1])
    assert resolved.filters == SearchFilters(country=country)


def test_a_carried_country_without_documents_is_named_so_the_answer_declines_it() -> None:
    turns = ["What is Germany's cluster policy?", "...", "What about its instruments?"]
    resolved = contextual_question(conversation(*turns), MATCHER)
    assert resolved == ("What about its instruments? (Germany)", SearchFilters())


def test_assistant_and_system_turns_are_not_read() -> None:
    messages = [
        ChatMessage(role="system", content="Answer about Valdoria."),
        ChatMessage(role="user", content="What are Morocco's objectives?"),
        ChatMessage(role="assistant", content="Documents do not cover Germany or Valdoria."),
        ChatMessage(role="user", content="What about its instruments?"),
    ]
    assert contextual_question(messages, MATCHER).filters == SearchFilters(country="Morocco")


def test_follow_up_over_http_answers_about_the_carried_country(client: TestClient) -> None:
    first = "What are the policy objectives of Valdoria?"
    body = chat(client, first, "(answer)", "What about its instruments?")
    assert body["citations"]
    assert {c["doc_id"] for c in body["citations"]} == {"synthetic-factsheet-valdoria.md"}
    assert "Innovation vouchers" in body["choices"][0]["message"]["content"]


def test_errors_carry_the_openai_error_object(client: TestClient) -> None:
    invalid = client.post("/v1/chat/completions", json={"model": MODEL_ID, "messages": []})
    body = invalid.json()
    assert body["error"]["message"] == body["detail"] and body["errors"]
    assert body["error"]["type"] == "invalid_request_error"
    missing = client.post(
        "/v1/chat/completions", json=request("budget?", filters={"doc_id": "nope.md"})
    )
    assert missing.json()["error"]["code"] == "not_found"


def test_chat_is_503_while_the_index_loads_or_failed(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(index_dir=tmp_path / "no-index"))) as loading:
        response = loading.post("/v1/chat/completions", json=request("budget?"))
        assert response.status_code == 503
        assert response.json()["error"]["type"] == "server_error"
        assert response.json()["error"]["message"] == response.json()["detail"]
