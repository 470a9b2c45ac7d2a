"""The NumPy query runtime gives sentence-transformers' vectors, from memory-mapped weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from policyqa.errors import EmbeddingModelError
from policyqa.eval.bench.corpus import calibration_questions
from policyqa.index import Embedder, SentenceTransformerEmbedder
from policyqa.index.embedding import (
    BatchingQueryEmbedder,
    CachedQueryEmbedder,
    load_query_embedder,
    resolve_model_path,
)
from policyqa.index.numpy_bert import NumpyBertEmbedder, read_safetensors, supports
from policyqa.ingest import TiktokenCounter, chunk_document, load_document
from policyqa.settings import BUNDLED_MODEL, ChunkingSettings, EmbeddingSettings
from tests.conftest import MOROCCO_MD, MOROCCO_PDF

pytestmark = pytest.mark.integration

ODD_TEXTS = [
    "  leading and trailing spaces  ",
    "Tab\tand\nnewline",
    "Ünïcödé naïve café – “quotes” and ‘apostrophes’",
    "word " * 600,  # longer than the model's 256 word pieces: truncated alike
    "",
    "中文 字符 and emoji 🙂",
]


@pytest.fixture(scope="module")
def numpy_embedder() -> NumpyBertEmbedder:
    return NumpyBertEmbedder(EmbeddingSettings())


def _passages(embedder: Embedder) -> list[str]:
    counter = TiktokenCounter()
    return [
        chunk.embedding_text
        for path in (MOROCCO_MD, MOROCCO_PDF)
        for chunk in chunk_document(load_document(path), ChunkingSettings(), counter, embedder.fits)
    ]


def test_vectors_equal_sentence_transformers_to_1e5(
    numpy_embedder: NumpyBertEmbedder, real_embedder: SentenceTransformerEmbedder
) -> None:
    texts = _passages(real_embedder) + calibration_questions() + ODD_TEXTS
    expected = real_embedder.embed(texts)
    batched = numpy_embedder.embed(texts)
    assert batched.shape == expected.shape and batched.dtype == np.float32
    assert np.abs(batched - expected).max() < 1e-5
    one_by_one = np.stack([numpy_embedder.embed_query(text) for text in texts[::7] + ODD_TEXTS])
    assert np.abs(one_by_one - real_embedder.embed(texts[::7] + ODD_TEXTS)).max() < 1e-5
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_same_identity_and_token_limit(
    numpy_embedder: NumpyBertEmbedder, real_embedder: SentenceTransformerEmbedder
) -> None:
    assert numpy_embedder.fingerprint == real_embedder.fingerprint
    assert numpy_embedder.name == real_embedder.name and numpy_embedder.dimension == 384
    for text in ["word " * 253, "word " * 254, "word " * 255, *ODD_TEXTS]:
        assert numpy_embedder.fits(text) == real_embedder.fits(text), len(text)


def test_weights_are_memory_mapped_not_copied(numpy_embedder: NumpyBertEmbedder) -> None:
    # the big tables are views of the file's mapping: worker processes share their pages
    table = numpy_embedder._weights["embeddings.word_embeddings.weight"]
    assert not table.flags.owndata and not table.flags.writeable
    assert table.shape == (30522, 384)


def test_service_default_is_numpy_with_a_cache() -> None:
    embedder = load_query_embedder(EmbeddingSettings())
    assert isinstance(embedder, CachedQueryEmbedder)
    assert isinstance(embedder.inner, BatchingQueryEmbedder)
    assert isinstance(embedder.inner.inner, NumpyBertEmbedder)
    first = embedder.embed_query("What is the budget?")
    assert embedder.embed_query("What is the budget?") is first
    assert embedder.cache.hits == 1 and not first.flags.writeable
    plain = load_query_embedder(EmbeddingSettings(query_cache_size=0, query_batch=1))
    assert isinstance(plain, NumpyBertEmbedder)


def test_unsupported_models_are_refused_with_the_reason(tmp_path: Path) -> None:
    bundled = resolve_model_path(BUNDLED_MODEL)
    assert supports(bundled) is None
    folder = tmp_path / "roberta"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "roberta"}), "utf-8")
    (folder / "modules.json").write_text("[]", "utf-8")
    assert "roberta" in (supports(folder) or "")
    settings = EmbeddingSettings(model=str(folder), query_runtime="numpy")
    with pytest.raises(EmbeddingModelError, match="cannot run in NumPy: model type 'roberta'"):
        load_query_embedder(settings)


def test_read_safetensors_dtypes(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    tensors: dict[str, np.ndarray] = {
        "a": np.arange(12, dtype=np.float32).reshape(3, 4),
        "b": np.array([1.5, -2.0], dtype=np.float16),
        "c": np.array([7, 8, 9], dtype=np.int64),
    }
    path = tmp_path / "t.safetensors"
    save_file(tensors, str(path))
    read = read_safetensors(path)
    for name, value in tensors.items():
        assert read[name].dtype == value.dtype and np.array_equal(read[name], value)


def test_deferred_embedder_loads_the_model_only_to_embed(
    tmp_path: Path, real_embedder: SentenceTransformerEmbedder
) -> None:
    from policyqa.index import IndexBuilder, describe_model
    from policyqa.index.embedding import DeferredEmbedder
    from policyqa.settings import Settings

    deferred = DeferredEmbedder(EmbeddingSettings())
    assert describe_model(deferred) == describe_model(real_embedder)
    settings = Settings(index_dir=tmp_path / "index")
    IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD])
    report = IndexBuilder(settings, deferred).ingest_paths([MOROCCO_MD])
    assert report.unchanged == [MOROCCO_MD.name] and deferred._loaded is None
    assert np.allclose(deferred.embed_query("budget"), real_embedder.embed_query("budget"))
