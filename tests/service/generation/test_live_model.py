"""Generation against a real model: runs only when POLICYQA_GENERATOR__BASE_URL names one.

Point it at vLLM, a llama.cpp server or Ollama (docs/generation.md); what a real model writes
is not known in advance, so the test checks the promise, not the words: a generated answer whose
every kept sentence cites given statements with exact quotes, or the extractive answer with a
note.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyqa.index import Embedder
from policyqa.service.pipeline import open_engine
from policyqa.service.statements import verify_citations
from policyqa.settings import Settings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("POLICYQA_GENERATOR__BASE_URL"),
        reason="no live model: set POLICYQA_GENERATOR__BASE_URL (and __MODEL) to run it",
    ),
]


def test_a_live_model_answers_with_verified_citations(
    generation_index: Path, real_embedder: Embedder
) -> None:
    settings = Settings(index_dir=generation_index)  # the generator from the environment
    engine = open_engine(settings, embedder=real_embedder)
    assert engine.generator is not None
    question = "When did Morocco's Industrial Acceleration Plan start and end?"
    result = engine.ask(question)
    generated = engine.generator.generate(question, result.answer, result.search.hits)
    answer = generated.answer
    print(f"\n{answer.text}\nremoved={answer.removed} note={answer.note}")
    assert answer.answerable and answer.citations
    assert verify_citations(answer, engine.snapshot.documents) == []
    assert answer.generated or answer.note
