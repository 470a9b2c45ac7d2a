"""Wrappers the service puts around the query embedder: batching of concurrent questions."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from policyqa.index.embedding import BatchingQueryEmbedder, Vectors, load_query_embedder
from policyqa.settings import EmbeddingSettings
from tests.conftest import FakeEmbedder


class GatedEmbedder(FakeEmbedder):
    """Holds its first single-question call until released, so that others queue up."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.batch_sizes: list[int] = []

    def embed(self, texts: list[str]) -> Vectors:
        self.batch_sizes.append(len(texts))
        return super().embed(texts)

    def embed_query(self, text: str) -> Vectors:
        self.entered.set()
        self.release.wait(10)
        vector: Vectors = FakeEmbedder.embed(self, [text])[0]  # not counted as a batch
        return vector


def test_questions_waiting_together_are_embedded_as_one_batch() -> None:
    inner = GatedEmbedder()
    batching = BatchingQueryEmbedder(inner, max_batch=16)
    questions = [f"question about cluster topic {number}" for number in range(6)]
    results: dict[str, Vectors] = {}

    def ask(question: str) -> None:
        results[question] = batching.embed_query(question)

    first = threading.Thread(target=ask, args=(questions[0],))
    first.start()
    assert inner.entered.wait(10)  # the batcher is busy with the first question
    others = [threading.Thread(target=ask, args=(question,)) for question in questions[1:]]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while batching._queue.qsize() < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    inner.release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert inner.batch_sizes == [5] and batching.batches == 2
    for question in questions:  # every caller got its own question's vector
        assert np.allclose(results[question], FakeEmbedder().embed_query(question))


def test_an_error_reaches_every_waiting_caller() -> None:
    class Broken(FakeEmbedder):
        def embed_query(self, text: str) -> Vectors:
            raise RuntimeError("model failed")

    batching = BatchingQueryEmbedder(Broken())
    with pytest.raises(RuntimeError, match="model failed"):
        batching.embed_query("anything")
    assert np.allclose(batching.embed(["a b"]), FakeEmbedder().embed(["a b"]))  # passages direct


@pytest.mark.integration
def test_batched_question_vectors_equal_single_ones() -> None:
    plain = load_query_embedder(EmbeddingSettings(query_cache_size=0, query_batch=1))
    questions = [f"Which instruments support cluster number {n} in the plan?" for n in range(12)]
    batched = plain.embed([*questions, "short"])
    single = np.stack([plain.embed_query(text) for text in [*questions, "short"]])
    assert np.abs(batched - single).max() < 1e-5


def test_one_bad_question_fails_only_its_own_request_in_a_batch() -> None:
    """A question the tokenizer rejects (a lone surrogate) used to fail its whole batch."""

    class Picky(GatedEmbedder):
        def embed(self, texts: list[str]) -> Vectors:
            if any("\ud800" in text for text in texts):
                raise ValueError("tokenizer: invalid string")
            return super().embed(texts)

        def embed_query(self, text: str) -> Vectors:
            if "\ud800" in text:
                raise ValueError("tokenizer: invalid string")
            return super().embed_query(text)

    inner = Picky()
    batching = BatchingQueryEmbedder(inner, max_batch=16)
    questions = ["first question", "bad \ud800 one", *[f"good question {n}" for n in range(4)]]
    outcomes: dict[str, object] = {}

    def ask(question: str) -> None:
        try:
            outcomes[question] = batching.embed_query(question)
        except ValueError as error:
            outcomes[question] = error

    first = threading.Thread(target=ask, args=(questions[0],))
    first.start()
    assert inner.entered.wait(10)
    others = [threading.Thread(target=ask, args=(question,)) for question in questions[1:]]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 10
    while batching._queue.qsize() < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    inner.release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert isinstance(outcomes["bad \ud800 one"], ValueError)
    for question in [questions[0], *questions[2:]]:
        assert np.allclose(outcomes[question], FakeEmbedder().embed_query(question))  # type: ignore[arg-type]
