"""The official ``openai`` Python client against a running policyqa, streamed and not."""

from __future__ import annotations

import re
from typing import Any

import openai
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam

from policyqa.service.chat.schemas import MODEL_ID
from tests.service.live.conftest import LiveServer

pytestmark = pytest.mark.integration

MOROCCO = "eccp-factsheet-morocco-2023.md"
VALDORIA = "synthetic-factsheet-valdoria.md"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> OpenAI:
    return OpenAI(base_url=f"{live_server.url}/v1", api_key="unused", max_retries=0, timeout=60)


def user(text: str) -> ChatCompletionMessageParam:
    return {"role": "user", "content": text}


def assistant(text: str) -> ChatCompletionMessageParam:
    return {"role": "assistant", "content": text}


def check_citations(live: LiveServer, content: str, citations: list[dict[str, Any]]) -> None:
    """Every marker has a citation and every citation is its document's text at its span."""
    assert citations, content
    markers = {int(number) for number in re.findall(r"\[(\d+)\]", content)}
    assert markers == {citation["id"] for citation in citations}
    texts: dict[str, str] = {}
    for citation in citations:
        doc_id = citation["doc_id"]
        texts.setdefault(doc_id, live.document_text(doc_id))
        assert texts[doc_id][citation["start"] : citation["end"]] == citation["quote"]


def extra(model: Any, name: str) -> Any:
    """A field the OpenAI types do not declare (the SDK keeps them as extras)."""
    extras = model.model_extra or {}
    assert name in extras, f"{name} missing from {type(model).__name__}"
    return extras[name]


def complete(client: OpenAI, messages: list[ChatCompletionMessageParam]) -> Any:
    return client.chat.completions.create(model=MODEL_ID, messages=messages, temperature=0)


def stream(
    client: OpenAI, messages: list[ChatCompletionMessageParam]
) -> tuple[str, Any, list[Any]]:
    """(content, citations, chunks) of a streamed completion."""
    chunks = list(
        client.chat.completions.create(
            model=MODEL_ID,
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    finals = [chunk for chunk in chunks if chunk.choices and chunk.choices[0].finish_reason]
    assert len(finals) == 1 and finals[0].choices[0].finish_reason == "stop"
    return content, extra(finals[0], "citations"), chunks


def test_models_lists_policyqa(client: OpenAI) -> None:
    assert [model.id for model in client.models.list()] == [MODEL_ID]


def test_a_cited_answer(client: OpenAI, live_server: LiveServer) -> None:
    completion = complete(client, [user("Which instruments does Morocco's industrial policy use?")])
    content = completion.choices[0].message.content
    assert completion.object == "chat.completion" and completion.model == MODEL_ID
    assert completion.choices[0].finish_reason == "stop"
    assert "[1]" in content and "Funding collaboration initiatives" in content
    citations = extra(completion, "citations")
    check_citations(live_server, content, citations)
    assert citations[0]["section"].endswith("Table 1 > INSTRUMENTS")
    assert {citation["doc_id"] for citation in citations} == {MOROCCO}
    assert extra(completion, "answerable") is True
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_streamed_content_equals_the_answer(client: OpenAI, live_server: LiveServer) -> None:
    messages = [user("When does Morocco's Industrial Acceleration Plan end?")]
    whole = complete(client, messages)
    content, citations, chunks = stream(client, messages)
    assert content == whole.choices[0].message.content and "2025" in content
    assert citations == extra(whole, "citations")
    check_citations(live_server, content, citations)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert sum(1 for chunk in chunks if chunk.choices and chunk.choices[0].delta.content) > 1
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens


def test_a_follow_up_asks_about_the_country_of_the_conversation(
    client: OpenAI, live_server: LiveServer
) -> None:
    first = [user("What are the policy objectives of Morocco's industrial policy?")]
    answer = complete(client, first).choices[0].message.content
    follow_up = [*first, assistant(answer), user("What about its instruments?")]
    completion = complete(client, follow_up)
    content = completion.choices[0].message.content
    citations = extra(completion, "citations")
    check_citations(live_server, content, citations)
    assert "Funding collaboration initiatives" in content
    assert {citation["doc_id"] for citation in citations} == {MOROCCO}
    assert citations[0]["section"].endswith("INSTRUMENTS")

    # the same follow-up after a question on the other country answers about that one
    other = [user("What are the policy objectives of Valdoria?")]
    other_answer = complete(client, other).choices[0].message.content
    streamed, other_citations, _ = stream(
        client, [*other, assistant(other_answer), user("What about its instruments?")]
    )
    assert "Innovation vouchers" in streamed
    assert {citation["doc_id"] for citation in other_citations} == {VALDORIA}

    # and a follow-up naming only a country asks the previous question about it
    switched = complete(client, [*follow_up, assistant(content), user("And Valdoria?")])
    assert {c["doc_id"] for c in extra(switched, "citations")} == {VALDORIA}
    assert "Innovation vouchers" in switched.choices[0].message.content


def test_a_question_the_documents_do_not_cover(client: OpenAI) -> None:
    completion = complete(client, [user("What is the capital of France?")])
    assert extra(completion, "answerable") is False and extra(completion, "citations") == []
    assert "do not cover" in completion.choices[0].message.content


def test_errors_reach_the_client_as_openai_errors(client: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as unknown:
        client.chat.completions.create(model="gpt-4o", messages=[user("hi")])
    assert "policyqa-extractive" in str(unknown.value)
    with pytest.raises(openai.UnprocessableEntityError) as empty:
        client.chat.completions.create(model=MODEL_ID, messages=[])
    assert "messages" in str(empty.value)
