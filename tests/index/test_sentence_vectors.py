"""Sentence vectors stored at ingest beside the passage vectors (``index.sentence_vectors``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from policyqa.index import IndexBuilder
from policyqa.index.sentence_vectors import (
    SPANS_FILE,
    VECTORS_FILE,
    SentenceIndex,
    sentence_units,
)
from policyqa.index.store import current_version_path, read_manifest
from policyqa.ingest.sentences import sentence_spans
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD, FakeEmbedder


def _index(settings: Settings) -> tuple[Path, SentenceIndex]:
    path = current_version_path(settings.index_dir)
    assert path is not None
    chunks = read_manifest(path)["index"]["passages"]
    index = SentenceIndex.load(path, chunks)
    assert index is not None
    return path, index


def test_every_sentence_of_every_passage_has_a_vector(settings: Settings) -> None:
    embedder = FakeEmbedder()
    IndexBuilder(settings, embedder).ingest_paths([MOROCCO_MD])
    path, index = _index(settings)
    manifest = read_manifest(path)
    assert {SPANS_FILE, VECTORS_FILE} <= set(manifest["files"])  # hashed with the version
    assert index.size > manifest["index"]["passages"]  # more sentences than passages
    assert index.vectors.dtype == np.float32 and isinstance(index.vectors, np.memmap)
    norms = np.linalg.norm(np.asarray(index.vectors), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert index.nbytes == index.size * (3 * 8 + 4 * embedder.dimension)


def test_a_passages_sentences_are_its_sentence_spans(morocco_engine: object) -> None:
    from policyqa.service.pipeline import QAEngine

    assert isinstance(morocco_engine, QAEngine)
    from policyqa.index.store import IndexSnapshot

    sentences = morocco_engine.sentences
    assert sentences is not None
    assert isinstance(morocco_engine.snapshot, IndexSnapshot)  # a local version folder
    for row, chunk in enumerate(morocco_engine.snapshot.chunks):
        text = morocco_engine.snapshot.documents[chunk.doc_id].text
        vector = np.asarray(morocco_engine.snapshot.vectors[row])
        spans = set(sentences.similarities(row, vector))
        assert spans == set(sentence_units(chunk, text))
        assert spans <= set(sentence_spans(text, chunk.start, chunk.end))


def test_a_second_ingest_embeds_only_the_new_documents_sentences(settings: Settings) -> None:
    embedder = FakeEmbedder()
    builder = IndexBuilder(settings, embedder)
    builder.ingest_paths([MOROCCO_MD])
    _, first = _index(settings)
    calls: list[int] = []
    original = embedder.embed

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return original(texts)

    embedder.embed = counting  # type: ignore[method-assign]
    builder.ingest_paths([VALDORIA_MD])
    _, second = _index(settings)
    assert second.size > first.size
    # passages and sentences of Valdoria only: Morocco's sentences were reused
    assert sum(calls) < second.size


def test_an_index_without_sentence_vectors_loads_as_none(tmp_path: Path) -> None:
    assert SentenceIndex.load(tmp_path, 3) is None


def test_rows_must_be_grouped_by_passage() -> None:
    spans = np.array([[1, 0, 5], [0, 5, 9]], dtype=np.int64)
    with pytest.raises(ValueError, match="grouped"):
        SentenceIndex.from_arrays(spans, np.zeros((2, 4), dtype=np.float32), 2)
