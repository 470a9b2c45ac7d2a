"""Generated answers end to end: the real model's support scores, a real index, the real app, and
the scripted model server standing in for the language model (none can run here).

Every unsupported sentence of the scripted replies must be caught, every invented citation
dropped, every failure answered extractively with a note; the official ``openai`` client must
receive the answer token by token.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openai import OpenAI

from policyqa.index import Embedder
from policyqa.service.app import create_app
from policyqa.service.chat.schemas import MODEL_ID
from policyqa.service.generation.answerer import GeneratingAnswerer
from policyqa.service.pipeline import QAEngine
from policyqa.service.statements import verify_citations
from policyqa.service.types import Answer
from tests.scripted_model import INVENTED_CLAIM, INVENTED_ID, ScriptedModel

pytestmark = pytest.mark.integration

QUESTIONS = [
    "When did Morocco's Industrial Acceleration Plan start and end?",
    "Who is responsible for Morocco's Industrial Acceleration Plan?",
    "What instruments does Valdoria use?",
    "How are Valdoria's innovation vouchers used?",
]
UNSUPPORTED_SCRIPTS = ["wrong_number", "no_citation", "invented_claim"]
FAILURE_SCRIPTS = ["broken_json", "garbage", "http_error", "timeout", "stall"]


def generator(engine: QAEngine) -> GeneratingAnswerer:
    assert engine.generator is not None
    return engine.generator


def check_quotes(engine: QAEngine, answer: Answer) -> None:
    """Markers and citations agree, and every quote is its document's text at its span."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {citation.id for citation in answer.citations}, answer.text
    assert verify_citations(answer, engine.snapshot.documents) == []


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_faithful_reply_is_kept_whole(
    generating_engine: QAEngine, model: ScriptedModel, question: str
) -> None:
    result = generating_engine.ask(question)
    generated = generator(generating_engine).generate(question, result.answer, result.search.hits)
    answer = generated.answer
    assert answer.generated and answer.removed == 0 and answer.note is None, generated
    assert answer.text.count("According to the documents") == 2
    check_quotes(generating_engine, answer)


#: Every question with every unsupported reply, but a wrong number where the evidence holds one
#: (the responsible authorities' evidence states no number to get wrong).
UNSUPPORTED_CASES = [
    (question, script)
    for question in QUESTIONS
    for script in UNSUPPORTED_SCRIPTS
    if not (script == "wrong_number" and "responsible" in question)
]


@pytest.mark.parametrize(("question", "script"), UNSUPPORTED_CASES)
def test_every_unsupported_sentence_is_removed(
    generating_engine: QAEngine, model: ScriptedModel, question: str, script: str
) -> None:
    model.script = script
    result = generating_engine.ask(question)
    generated = generator(generating_engine).generate(question, result.answer, result.search.hits)
    answer = generated.answer
    assert generated.verification is not None
    assert [v.supported for v in generated.verification.verdicts] == [True, False], answer.text
    assert answer.generated and answer.removed == 1
    assert answer.text.count("According to the documents") == 1
    assert INVENTED_CLAIM not in answer.text
    check_quotes(generating_engine, answer)


@pytest.mark.parametrize("question", QUESTIONS)
def test_invented_citations_are_dropped(
    generating_engine: QAEngine, model: ScriptedModel, question: str
) -> None:
    model.script = "invented_citation"
    result = generating_engine.ask(question)
    answer = generator(generating_engine).generate(question, result.answer, result.search.hits)
    assert answer.answer.generated and answer.answer.removed == 0
    assert f"[{INVENTED_ID}]" not in answer.answer.text
    assert INVENTED_ID not in {citation.id for citation in answer.answer.citations}
    check_quotes(generating_engine, answer.answer)


@pytest.mark.parametrize("script", FAILURE_SCRIPTS)
def test_every_failure_gives_the_extractive_answer_with_a_note(
    generating_engine: QAEngine, model: ScriptedModel, script: str
) -> None:
    model.script = script
    question = QUESTIONS[0]
    result = generating_engine.ask(question)
    answer = generator(generating_engine).generate(question, result.answer, result.search.hits)
    assert not answer.answer.generated
    assert answer.answer.text == result.answer.text
    assert answer.answer.citations == result.answer.citations
    assert answer.answer.note is not None and "extractive answer" in answer.answer.note


def test_the_answerer_interface_generates(
    generating_engine: QAEngine, model: ScriptedModel
) -> None:
    evidence, _ = generating_engine.gather("How are Valdoria's innovation vouchers used?")
    answer = generator(generating_engine).answer(evidence)
    assert answer.generated and answer.removed == 0
    check_quotes(generating_engine, answer)


def test_not_covered_questions_are_not_sent_to_the_model(
    generating_engine: QAEngine, model: ScriptedModel
) -> None:
    question = "What is the cluster policy of Japan?"
    result = generating_engine.ask(question)
    answer = generator(generating_engine).generate(question, result.answer, result.search.hits)
    assert not answer.answer.answerable and not model.requests


# --- the HTTP API ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(generating_engine: QAEngine) -> Iterator[TestClient]:
    with TestClient(create_app(generating_engine.settings, engine=generating_engine)) as client:
        yield client


def ask(client: TestClient, question: str) -> dict[str, Any]:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_ask_says_generated_and_what_was_removed(client: TestClient, model: ScriptedModel) -> None:
    body = ask(client, QUESTIONS[2])
    assert body["generated"] is True and body["removed_sentences"] == 0 and body["note"] is None
    assert "generate" in body["timings_ms"] and "verify" in body["timings_ms"]
    model.script = "invented_claim"
    body = ask(client, QUESTIONS[2])
    assert body["generated"] is True and body["removed_sentences"] == 1
    assert INVENTED_CLAIM not in body["answer"]


@pytest.mark.parametrize("script", FAILURE_SCRIPTS)
def test_ask_never_fails_when_the_model_does(
    client: TestClient, model: ScriptedModel, script: str
) -> None:
    model.script = script
    body = ask(client, QUESTIONS[0])
    assert body["generated"] is False and body["answerable"] is True
    assert "extractive answer" in body["note"]


def test_earlier_turns_reach_the_model(client: TestClient, model: ScriptedModel) -> None:
    messages = [
        {"role": "user", "content": "What instruments does Valdoria use?"},
        {"role": "assistant", "content": "Innovation vouchers and grants. [1]"},
        {"role": "user", "content": "How are its innovation vouchers used?"},
    ]
    response = client.post("/v1/chat/completions", json={"model": MODEL_ID, "messages": messages})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["generated"] is True and body["citations"]
    sent = model.requests[-1]["body"]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == messages[0]["content"]
    assert sent[2]["content"] == messages[1]["content"]
    assert sent[3]["content"].endswith("Question: How are its innovation vouchers used?")


# --- streaming to the official client ---------------------------------------------------------


@pytest.fixture(scope="module")
def openai_client(generating_server: str) -> OpenAI:
    return OpenAI(base_url=f"{generating_server}/v1", api_key="unused", max_retries=0, timeout=60)


def stream(client: OpenAI, question: str) -> tuple[list[str], list[float], Any]:
    """(content deltas, their arrival times, the last chunk's extras)."""
    deltas: list[str] = []
    arrivals: list[float] = []
    final: dict[str, Any] = {}
    for chunk in client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": question}], stream=True
    ):
        if chunk.choices and chunk.choices[0].delta.content:
            deltas.append(chunk.choices[0].delta.content)
            arrivals.append(time.monotonic())
        if chunk.choices and chunk.choices[0].finish_reason:
            final = chunk.model_extra or {}
    return deltas, arrivals, final


def test_the_openai_client_streams_token_by_token(
    openai_client: OpenAI, model: ScriptedModel
) -> None:
    model.pause = 0.02  # between words: the whole reply stays within the generator's timeout
    deltas, arrivals, final = stream(openai_client, QUESTIONS[3])
    assert final["generated"] is True and final["removed_sentences"] == 0, final
    text = "".join(deltas)
    words = len(text.split())
    assert len(deltas) == words  # one delta per word, as the model wrote them
    assert arrivals[-1] - arrivals[0] >= 0.02 * (words - 2)  # as they came, not all at the end
    assert final["verified_content"] == text and final["withdrawn"] == []
    assert {c["id"] for c in final["citations"]} == {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def test_the_last_chunk_withdraws_unsupported_sentences(
    openai_client: OpenAI, model: ScriptedModel
) -> None:
    model.script = "invented_claim"
    deltas, _, final = stream(openai_client, QUESTIONS[3])
    assert INVENTED_CLAIM in "".join(deltas[:-1])  # streamed as the model wrote it ...
    assert deltas[-1].startswith("\n\n[withdrawn") and INVENTED_CLAIM in deltas[-1]  # ... withdrawn
    assert final["removed_sentences"] == 1 and len(final["withdrawn"]) == 1
    assert INVENTED_CLAIM not in final["verified_content"]


def test_a_model_failing_mid_stream_gives_the_extractive_answer(
    openai_client: OpenAI, model: ScriptedModel, generating_engine: QAEngine
) -> None:
    model.script = "stall"
    deltas, _, final = stream(openai_client, QUESTIONS[3])
    extractive = generating_engine.ask(QUESTIONS[3]).answer
    assert final["generated"] is False and "extractive answer" in final["note"]
    assert final["verified_content"] == extractive.text
    assert "".join(deltas).endswith(extractive.text)
    assert len(final["citations"]) == len(extractive.citations)


# --- the calibrated threshold and what verification costs -------------------------------------


def test_calibrated_support_threshold_catches_unsupported_pairs(real_embedder: Embedder) -> None:
    from policyqa.eval.support_calibration import PAIRS_DIR, run
    from policyqa.settings import GeneratorSettings

    report = run(PAIRS_DIR / "calibration.jsonl", PAIRS_DIR / "heldout.jsonl", real_embedder)
    print(f"\nsupport calibration: {report}")
    calibration, heldout = report["calibration"], report["heldout"]
    assert isinstance(calibration, dict) and isinstance(heldout, dict)
    # the default setting is the calibrated threshold; gross regressions only below
    assert GeneratorSettings().support_threshold == pytest.approx(calibration["threshold"], 0.01)
    assert heldout["recall"] >= 0.7 and heldout["precision"] >= 0.7


def test_verification_cost_per_answer(generating_engine: QAEngine, model: ScriptedModel) -> None:
    """Prints the median milliseconds verification adds to an answer, with no vector cached
    (cold) and with the quotes' vectors cached (warm); no timing assertion."""
    from policyqa.index.cache import LRUCache

    scorer = generator(generating_engine).verifier.scorer
    costs: dict[str, list[float]] = {"cold": [], "warm": []}
    for script in ["faithful", "invented_claim"]:
        model.script = script
        for question in QUESTIONS:
            result = generating_engine.ask(question)
            for kind in ("cold", "warm"):
                if kind == "cold":
                    scorer.vectors = LRUCache(4096)
                generated = generator(generating_engine).generate(
                    question, result.answer, result.search.hits
                )
                costs[kind].append(generated.verify_ms)
    medians = {kind: round(statistics.median(values), 1) for kind, values in costs.items()}
    print(f"\nverification per answer, median ms: {medians} over {len(costs['cold'])} answers")
    assert all(cost > 0 for values in costs.values() for cost in values)


def test_the_evaluation_counts_supported_generated_sentences(
    generating_engine: QAEngine, model: ScriptedModel
) -> None:
    from policyqa.eval.metrics import PassageSpan
    from policyqa.eval.systems import FullSystem, PassageQrels

    chunks = generating_engine.snapshot.chunks
    qrels = PassageQrels(PassageSpan(c.doc_id, c.start, c.end) for c in chunks)
    model.script = "invented_claim"
    answer = FullSystem(generating_engine, qrels).run(QUESTIONS[2]).answer
    assert answer is not None and (answer.generated_sentences, answer.supported_sentences) == (2, 1)
