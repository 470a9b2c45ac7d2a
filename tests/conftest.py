"""Shared fixtures: test data paths, a fast fake embedder, temporary indexes, the real model."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from policyqa.index.embedding import Vectors
from policyqa.index.lexical import analyse
from policyqa.settings import Settings

DATA = Path(__file__).resolve().parent / "data"
MOROCCO_MD = DATA / "eccp-factsheet-morocco-2023.md"
MOROCCO_PDF = DATA / "eccp-factsheet-morocco-2023.pdf"


class FakeEmbedder:
    """Deterministic bag-of-terms hashing embedder: fast, no model, for unit tests only."""

    name = "fake-hashing"
    fingerprint = "fake-hashing-v1"
    dimension = 64

    def __init__(self, max_words: int = 10_000) -> None:
        self.max_words = max_words
        self.calls = 0
        self.embedded = 0

    def embed(self, texts: list[str]) -> Vectors:
        self.calls += 1
        self.embedded += len(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in analyse(text):
                bucket = int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension
                vectors[row, bucket] += 1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else vectors[row]
            if not norm:
                vectors[row, 0] = 1.0
        return vectors

    def embed_query(self, text: str) -> Vectors:
        vector: Vectors = self.embed([text])[0]
        return vector

    def fits(self, text: str) -> bool:
        return len(text.split()) <= self.max_words


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh index folder per test."""
    return Settings(index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[object]:
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    from policyqa.index import SentenceTransformerEmbedder
    from policyqa.settings import EmbeddingSettings

    yield SentenceTransformerEmbedder(EmbeddingSettings())
