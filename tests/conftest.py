"""Shared fixtures: test data paths, a fast fake embedder, temporary indexes, the real model.

Test lanes: ``make unit`` runs ``pytest -m "not slow"`` (under a minute), ``make test`` runs
everything. A test is slow when it loads the real model (it uses ``real_embedder``), writes the
synthetic PDF corpus, or is marked ``integration`` or ``slow``; the first three are marked
automatically below, so a new test is put in the right lane by the fixtures it uses.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from policyqa.index.embedding import Vectors
from policyqa.index.lexical import analyse
from policyqa.settings import Settings

if TYPE_CHECKING:
    from policyqa.eval.synthetic import FactsheetTruth
    from policyqa.service.pipeline import QAEngine

# FastAPI's TestClient sends ``Host: testserver``; the default allowed hosts are loopback names only
os.environ.setdefault("POLICYQA_SERVICE__ALLOWED_HOSTS", "127.0.0.1,localhost,::1,testserver")

DATA = Path(__file__).resolve().parent / "data"
MOROCCO_MD = DATA / "eccp-factsheet-morocco-2023.md"
MOROCCO_PDF = DATA / "eccp-factsheet-morocco-2023.pdf"
VALDORIA_MD = DATA / "synthetic-factsheet-valdoria.md"  # a fictional country (synthetic)

#: Fixtures that make a test slow: the real model, the synthetic PDF corpus.
SLOW_FIXTURES = frozenset({"real_embedder", "synthetic_corpus"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that uses a slow fixture or is an integration test."""
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & SLOW_FIXTURES or item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.slow)


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


def fake_engine(folder: Path, paths: list[Path]) -> QAEngine:
    """An engine over ``paths`` indexed in ``folder`` with the fake embedder."""
    from policyqa.index import IndexBuilder
    from policyqa.service.pipeline import open_engine

    settings = Settings(index_dir=folder)
    embedder = FakeEmbedder()
    report = IndexBuilder(settings, embedder).ingest_paths(paths)
    assert not report.failed and len(report.added) == len(paths)
    return open_engine(settings, embedder=embedder)


@pytest.fixture(scope="session")
def morocco_engine(tmp_path_factory: pytest.TempPathFactory) -> QAEngine:
    """The seed factsheet (Markdown) indexed with the fake embedder, shared by the session.

    Tests that need the answer cache empty or their own index build their own engine.
    """
    return fake_engine(tmp_path_factory.mktemp("morocco-index"), [MOROCCO_MD])


@pytest.fixture(scope="session")
def two_country_engine(tmp_path_factory: pytest.TempPathFactory) -> QAEngine:
    """Morocco and the synthetic Valdoria, indexed with the fake embedder (session-wide)."""
    return fake_engine(tmp_path_factory.mktemp("two-country-index"), [MOROCCO_MD, VALDORIA_MD])


@pytest.fixture(scope="session")
def real_embedder() -> Iterator[object]:
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    from policyqa.index import SentenceTransformerEmbedder
    from policyqa.settings import EmbeddingSettings

    yield SentenceTransformerEmbedder(EmbeddingSettings())


# --- synthetic factsheets ------------------------------------------------------------------------

SYNTHETIC_COUNTRIES = 31  # the issue asks for at least 30 synthetic countries


@dataclass(frozen=True)
class SyntheticCorpus:
    """Synthetic factsheets written once per session, each in Markdown and as PDF."""

    folder: Path
    truths: list[FactsheetTruth]
    markdown: dict[str, Path]  # country -> Markdown file
    pdf: dict[str, Path]  # country -> PDF file

    def indexed_paths(self) -> list[Path]:
        """What the shared index holds: Morocco, and each country in one format (alternating
        Markdown and PDF, so that answers are checked over both)."""
        chosen = [
            self.markdown[t.country] if index % 2 == 0 else self.pdf[t.country]
            for index, t in enumerate(self.truths)
        ]
        return [MOROCCO_MD, *chosen]


@pytest.fixture(scope="session")
def synthetic_corpus(tmp_path_factory: pytest.TempPathFactory) -> SyntheticCorpus:
    """31 synthetic countries as Markdown and PDF (about 5 s)."""
    from policyqa.eval.synthetic import make_truths, to_markdown, to_pdf

    folder = tmp_path_factory.mktemp("synthetic")
    truths = make_truths(SYNTHETIC_COUNTRIES)
    markdown: dict[str, Path] = {}
    pdf: dict[str, Path] = {}
    started = time.perf_counter()
    for truth in truths:
        markdown[truth.country] = folder / f"{truth.slug}.md"
        markdown[truth.country].write_text(to_markdown(truth), "utf-8")
        pdf[truth.country] = to_pdf(truth, folder / f"{truth.slug}.pdf")
    print(f"\nwrote {len(truths)} synthetic factsheets in {time.perf_counter() - started:.1f} s")
    return SyntheticCorpus(folder, truths, markdown, pdf)


@pytest.fixture(scope="session")
def synthetic_index(
    tmp_path_factory: pytest.TempPathFactory,
    synthetic_corpus: SyntheticCorpus,
    real_embedder: object,
) -> Settings:
    """Morocco and the 31 synthetic countries in one index, with the real model (about 2 min).

    Built once per session and shared by every test that needs many near-identical factsheets.
    """
    from policyqa.index import IndexBuilder

    settings = Settings(index_dir=tmp_path_factory.mktemp("synthetic-index"))
    started = time.perf_counter()
    report = IndexBuilder(settings, real_embedder).ingest_paths(  # type: ignore[arg-type]
        synthetic_corpus.indexed_paths()
    )
    assert not report.failed and len(report.added) == SYNTHETIC_COUNTRIES + 1
    print(
        f"\nindexed Morocco and {SYNTHETIC_COUNTRIES} synthetic factsheets in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return settings
