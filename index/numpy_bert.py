"""The embedding model's forward pass in NumPy, for serving: fast to start, shared between workers.

Importing sentence-transformers (and with it transformers and torch) takes 5-15 s and 200+ MB per
process, before a single question is embedded. A question is a dozen word pieces, for which the
model is a handful of small matrix products: NumPy does them as fast as torch. So the serving path
runs the very same weights here, read from ``model.safetensors`` by memory-mapping (the pages are
shared by every worker process on the machine), tokenised by the same ``tokenizers`` definition
(``tokenizer.json``) that sentence-transformers uses.

Supported: BERT-architecture encoders with absolute positions and GELU, mean pooling, normalised
output (all-MiniLM-L6-v2 and its relatives). ``supports`` says whether a model folder qualifies;
``SentenceTransformerEmbedder`` handles the rest. Vectors equal sentence-transformers' to 1e-5
(tested on every passage of the seed corpus and on questions).
"""

from __future__ import annotations

import json
import math
import mmap
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from policyqa.errors import EmbeddingModelError
from policyqa.index.embedding import LocalModelIdentity, Vectors, resolve_model_path
from policyqa.settings import EmbeddingSettings

Matrix = npt.NDArray[np.float32]

_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}
_MASKED = np.float32(np.finfo(np.float32).min)  # what transformers adds to masked attention


def supports(path: Path) -> str | None:
    """None when the model folder can run here, else the reason it cannot."""
    try:
        config = json.loads((path / "config.json").read_text("utf-8"))
        modules = json.loads((path / "modules.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        return f"no readable config.json and modules.json ({error})"
    if config.get("model_type") != "bert":
        return f"model type {config.get('model_type')!r} (only 'bert' runs in NumPy)"
    if config.get("hidden_act") != "gelu":
        return f"activation {config.get('hidden_act')!r} (only exact 'gelu')"
    if config.get("position_embedding_type", "absolute") != "absolute":
        return "relative position embeddings"
    kinds = [module.get("type", "").rsplit(".", 1)[-1] for module in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(
        kind not in ("Transformer", "Pooling", "Normalize") for kind in kinds
    ):
        return f"module stack {kinds} (only Transformer, mean Pooling, Normalize)"
    pooling_path = path / modules[1].get("path", "") / "config.json"
    try:
        pooling = json.loads(pooling_path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        return f"no readable pooling configuration ({error})"
    modes = [key for key, value in pooling.items() if key.startswith("pooling_mode") and value]
    if modes != ["pooling_mode_mean_tokens"]:
        return f"pooling {modes} (only mean pooling)"
    if not (path / "model.safetensors").exists() or not (path / "tokenizer.json").exists():
        return "no model.safetensors and tokenizer.json"
    return None


def read_safetensors(path: Path) -> dict[str, npt.NDArray[Any]]:
    """The tensors of a safetensors file as read-only arrays over one shared memory map."""
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    header_size = int.from_bytes(mapped[:8], "little")
    header = json.loads(mapped[8 : 8 + header_size])
    base = 8 + header_size
    tensors: dict[str, npt.NDArray[Any]] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = _SAFETENSORS_DTYPES.get(entry["dtype"])
        raw = np.frombuffer(mapped, dtype=np.uint8, count=end - begin, offset=base + begin)
        if entry["dtype"] == "BF16":  # upper half of a float32: widen (a private copy)
            widened = raw.view(np.uint16).astype(np.uint32) << 16
            tensors[name] = widened.view(np.float32).reshape(entry["shape"])
        elif dtype is None:
            raise EmbeddingModelError(f"{path}: tensor {name} has unsupported dtype")
        elif (base + begin) % np.dtype(dtype).itemsize:  # unaligned: copy rather than run slowly
            tensors[name] = raw.copy().view(dtype).reshape(entry["shape"])
        else:
            tensors[name] = raw.view(dtype).reshape(entry["shape"])
    return tensors


def limit_numpy_blas(threads: int) -> None:
    """Set the thread count of the BLAS libraries in the process, except FAISS's own copy.

    Process-wide for those libraries (NumPy's is the one that matters here); FAISS keeps its
    threads, so index builds in the same process stay parallel.
    """
    from threadpoolctl import ThreadpoolController

    for library in ThreadpoolController().lib_controllers:
        if library.user_api == "blas" and "faiss" not in Path(library.filepath).parent.name:
            library.set_num_threads(threads)


class NumpyBertEmbedder(LocalModelIdentity):
    """A mean-pooled BERT sentence encoder running on NumPy (see the module docstring)."""

    def __init__(self, settings: EmbeddingSettings, path: Path | None = None) -> None:
        self.settings = settings
        self.path = path or resolve_model_path(settings.model)
        reason = supports(self.path)
        if reason is not None:
            raise EmbeddingModelError(f"model at {self.path} cannot run in NumPy: {reason}")
        from scipy.special import erf  # exact GELU, as torch computes it
        from tokenizers import Tokenizer

        self._erf = erf
        config = json.loads((self.path / "config.json").read_text("utf-8"))
        st_config_path = self.path / "sentence_bert_config.json"
        st_config = json.loads(st_config_path.read_text("utf-8")) if st_config_path.exists() else {}
        self._max_tokens = int(
            st_config.get("max_seq_length") or config.get("max_position_embeddings", 512)
        )
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = np.float32(config.get("layer_norm_eps", 1e-12))
        self._hidden = int(config["hidden_size"])
        self._lowercase = bool(st_config.get("do_lower_case", False))
        tensors = read_safetensors(self.path / "model.safetensors")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""
        self._weights = {name[len(prefix) :]: value for name, value in tensors.items()}
        self._fused_qkv = [self._qkv(layer) for layer in range(self._layers)]
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self._max_tokens)
        self._counter = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._counter.no_padding()
        self._counter.no_truncation()
        if settings.query_threads:
            limit_numpy_blas(settings.query_threads)

    # --- the Embedder interface -------------------------------------------------------------------

    @property
    def dimension(self) -> int:
        """Embedding size."""
        return self._hidden

    @property
    def max_tokens(self) -> int:
        """Maximum sequence length in word pieces, special tokens included."""
        return self._max_tokens

    def embed(self, texts: list[str]) -> Vectors:
        """Embed texts; similar lengths are batched together to keep padding small."""
        vectors = np.zeros((len(texts), self._hidden), dtype=np.float32)
        if not texts:
            return vectors
        encodings = self._tokenizer.encode_batch([self._prepare(text) for text in texts])
        order = sorted(range(len(texts)), key=lambda row: len(encodings[row].ids))
        batch = self.settings.batch_size
        for offset in range(0, len(order), batch):
            rows = order[offset : offset + batch]
            width = max(len(encodings[row].ids) for row in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.float32)
            for position, row in enumerate(rows):
                row_ids = encodings[row].ids
                ids[position, : len(row_ids)] = row_ids
                mask[position, : len(row_ids)] = 1.0
            vectors[rows] = self._encode(ids, mask)
        return vectors

    def embed_query(self, text: str) -> Vectors:
        """Embed one question (no padding, no batch)."""
        ids = np.asarray(self._tokenizer.encode(self._prepare(text)).ids, dtype=np.int64)
        vector: Vectors = self._encode(ids[None, :], None)[0]
        return vector

    def fits(self, text: str) -> bool:
        """True when ``text`` fits the maximum sequence, [CLS] and [SEP] included."""
        return len(self._counter.encode(self._prepare(text)).ids) <= self._max_tokens

    # --- the forward pass -------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        text = text.strip()  # as sentence-transformers does before tokenising
        return text.lower() if self._lowercase else text

    def _qkv(self, layer: int) -> tuple[Matrix, Matrix]:
        """Query, key and value projections stacked into one product (small: 1.7 MB a layer)."""
        prefix = f"encoder.layer.{layer}.attention.self."
        weight = np.concatenate(
            [self._weights[f"{prefix}{part}.weight"] for part in ("query", "key", "value")]
        )
        bias = np.concatenate(
            [self._weights[f"{prefix}{part}.bias"] for part in ("query", "key", "value")]
        )
        return weight, bias

    def _encode(self, ids: npt.NDArray[np.int64], mask: Matrix | None) -> Matrix:
        """Mean-pooled, L2-normalised sentence vectors for a (batch, length) block of ids.

        Token states are kept as one (batch x length, hidden) matrix, so that every linear layer
        is a single matrix product.
        """
        w = self._weights
        batch, length = ids.shape
        hidden = (
            w["embeddings.word_embeddings.weight"][ids.reshape(-1)]
            + np.tile(w["embeddings.position_embeddings.weight"][:length], (batch, 1))
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        hidden = self._layer_norm(hidden, "embeddings.LayerNorm")
        additive = None if mask is None else ((1.0 - mask) * _MASKED)[:, None, None, :]
        heads = self._heads
        size = self._hidden // heads
        scale = np.float32(1.0 / math.sqrt(size))
        for layer in range(self._layers):
            prefix = f"encoder.layer.{layer}."
            weight, bias = self._fused_qkv[layer]
            qkv = _product(hidden, weight, bias).reshape(batch, length, 3, heads, size)
            query = qkv[:, :, 0].transpose(0, 2, 1, 3)
            key = qkv[:, :, 1].transpose(0, 2, 3, 1)
            value = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (query @ key) * scale
            if additive is not None:
                scores = scores + additive
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, self._hidden)
            attended = self._linear(context, f"{prefix}attention.output.dense") + hidden
            hidden = self._layer_norm(attended, f"{prefix}attention.output.LayerNorm")
            inner = self._linear(hidden, f"{prefix}intermediate.dense")
            inner = inner * np.float32(0.5) * (np.float32(1.0) + self._erf(inner * _SQRT_HALF))
            output = self._linear(inner, f"{prefix}output.dense") + hidden
            hidden = self._layer_norm(output, f"{prefix}output.LayerNorm")
        states = hidden.reshape(batch, length, self._hidden)
        if mask is None:
            pooled = states.mean(axis=1)
        else:
            counts = np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
            pooled = (states * mask[:, :, None]).sum(axis=1) / counts
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        result: Matrix = np.ascontiguousarray(pooled / norms, dtype=np.float32)
        return result

    def _linear(self, values: Matrix, name: str) -> Matrix:
        return _product(values, self._weights[f"{name}.weight"], self._weights[f"{name}.bias"])

    def _layer_norm(self, values: Matrix, name: str) -> Matrix:
        mean = values.mean(axis=-1, keepdims=True)
        centred = values - mean
        variance = (centred * centred).mean(axis=-1, keepdims=True)
        normed = centred / np.sqrt(variance + self._eps)
        result: Matrix = normed * self._weights[f"{name}.weight"] + self._weights[f"{name}.bias"]
        return result


def _product(values: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    """``values @ weight.T + bias`` for a (tokens, in) matrix and an (out, in) weight.

    Computed as ``(weight @ values.T).T``: BLAS reads the row-major weight as it lies in the
    file, which on one core is up to twice as fast as the transposed product, and needs no
    transposed private copy of the weights.
    """
    result: Matrix = (weight @ values.T).T + bias
    return result


_SQRT_HALF = np.float32(1.0 / math.sqrt(2.0))
