"""The HTTP contract: request and response models of the public API.

Field names and shapes are stable; the evaluation suite, chat clients and outside checks depend
on them. They appear in the OpenAPI schema at ``/openapi.json``.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from policyqa.index import Hit
from policyqa.ingest import Document
from policyqa.service.types import Citation

if TYPE_CHECKING:
    from policyqa.service.jobs import Job


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Filters(_Strict):
    """Restrict retrieval to some documents; every given filter must hold."""

    country: str | None = Field(None, max_length=100, description="Country name, e.g. 'Morocco'.")
    doc_id: str | None = Field(None, max_length=300, description="One document's id.")
    section: str | None = Field(
        None, max_length=300, description="Substring of the section path, e.g. 'INSTRUMENTS'."
    )


class AskRequest(_Strict):
    """A question to answer from the indexed documents."""

    question: str = Field(..., min_length=1, max_length=2000, description="The question.")
    top_k: int = Field(5, ge=1, le=50, description="Passages to retrieve (at least 8 are read).")
    filters: Filters = Field(default_factory=Filters)


class CitationOut(BaseModel):
    """A quoted span supporting the statement marked [id]; ``quote == text[start:end]``."""

    id: int = Field(..., description="The n of the marker [n] in the answer.")
    doc_id: str
    title: str
    country: str | None
    section: str = Field(..., description="Section path of the passage.")
    page: int | None = Field(..., description="1-based page of the quote (null: no pages).")
    start: int = Field(..., description="Offset of the quote in the document's text.")
    end: int = Field(..., description="Offset one past the quote's last character.")
    quote: str
    score: float = Field(..., description="Retrieval score of the passage quoted.")

    @classmethod
    def from_citation(cls, citation: Citation) -> CitationOut:
        """Copy a domain citation into the API model."""
        return cls(
            id=citation.id,
            doc_id=citation.doc_id,
            title=citation.title,
            country=citation.country,
            section=citation.section,
            page=citation.page,
            start=citation.start,
            end=citation.end,
            quote=citation.quote,
            score=citation.score,
        )


class RouteOut(BaseModel):
    """The router's choice for a question, and why."""

    kind: str = Field(..., description="profile, comparison, sentences or declined.")
    reason: str = Field(..., description="Why this kind of answer was chosen.")


class AskResponse(BaseModel):
    """A cited answer, or ``answerable: false`` with no citations when the documents do not say."""

    answer: str
    answerable: bool
    citations: list[CitationOut]
    timings_ms: dict[str, float] = Field(
        ..., description="Milliseconds per stage: embed, dense, lexical, fuse, answer, total."
    )
    route: RouteOut | None = Field(
        None, description="Which kind of answer this is (profile, comparison, sentences, declined)."
    )
    generated: bool = Field(
        False, description="True when the configured model wrote the answer (docs/generation.md)."
    )
    removed_sentences: int = Field(
        0, description="Generated sentences their citations did not support (removed or marked)."
    )
    note: str | None = Field(
        None, description="Why the answer is extractive although a model is configured."
    )


class Passage(BaseModel):
    """A retrieved passage."""

    doc_id: str
    title: str
    country: str | None
    section: str
    page: int | None
    page_end: int | None
    start: int
    end: int
    text: str
    score: float = Field(..., description="Fused reciprocal-rank score.")
    dense_score: float | None = Field(None, description="Cosine similarity with the query.")
    lexical_score: float | None = Field(None, description="BM25 score.")

    @classmethod
    def from_hit(cls, hit: Hit) -> Passage:
        """Copy a retrieval hit into the API model."""
        chunk = hit.chunk
        return cls(
            doc_id=chunk.doc_id,
            title=hit.document.title,
            country=hit.document.country,
            section=chunk.section_path,
            page=chunk.page_start,
            page_end=chunk.page_end,
            start=chunk.start,
            end=chunk.end,
            text=chunk.text,
            score=round(hit.score, 6),
            dense_score=None if hit.dense_score is None else round(hit.dense_score, 6),
            lexical_score=None if hit.lexical_score is None else round(hit.lexical_score, 6),
        )


class SearchResponse(BaseModel):
    """Ranked passages and facet counts (by country, by top-level section) over the candidates."""

    query: str
    results: list[Passage]
    facets: dict[str, dict[str, int]]
    timings_ms: dict[str, float]


class CitedReferenceOut(BaseModel):
    """An entry of a factsheet's reference list, and the indexed document it names."""

    text: str
    start: int = Field(..., description="Span of the entry in the factsheet's text.")
    end: int
    doc_id: str | None = Field(..., description="The ingested document cited, if any.")


class DocumentSummary(BaseModel):
    """A document's metadata."""

    doc_id: str
    title: str
    country: str | None
    kind: str = Field(..., description="'factsheet' or 'reference'.")
    year: int | None
    synthetic: bool = Field(
        ..., description="True for generated factsheets of fictional countries."
    )
    source_path: str = Field(
        ..., description="The source file's name (never a server path: it would reveal the layout)."
    )
    sha256: str
    media_type: str
    pages: int | None = Field(..., description="Page count (null for unpaginated sources).")
    chunks: int = Field(..., description="Passages indexed from this document.")
    cites: list[CitedReferenceOut] = Field(
        default_factory=list,
        description="A factsheet's reference-list entries, each with the indexed document it "
        "names (null when that document is not ingested). In `GET /v1/documents` only.",
    )

    @classmethod
    def from_document(cls, document: Document, chunks: int) -> DocumentSummary:
        """Metadata of a document and its passage count."""
        return cls(
            doc_id=document.doc_id,
            title=document.title,
            country=document.country,
            kind=document.kind.value,
            year=document.year,
            synthetic=document.synthetic,
            source_path=PurePath(document.source_path).name,
            sha256=document.sha256,
            media_type=document.media_type,
            pages=document.pages[-1].page if document.pages else None,
            chunks=chunks,
        )


class DocumentList(BaseModel):
    """All indexed documents."""

    documents: list[DocumentSummary]
    index_version: str | None = Field(None, description="The live index version.")
    indexed_at: str | None = Field(
        None, description="When the live version was written (UTC, ISO 8601)."
    )


class DocumentDetail(DocumentSummary):
    """A document's metadata and its canonical text, which citation offsets point into."""

    text: str


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    detail: str | None = None
    index: dict[str, object] | None = None
    write_enabled: bool = Field(
        False,
        description=(
            "Whether the write endpoints are on (POLICYQA_SERVICE__API_KEYS set); they still "
            "need a key."
        ),
    )
    read_auth: bool = Field(False, description="Whether reads need an API key too.")


class ErrorDetail(BaseModel):
    """An error: one readable line."""

    detail: str


class ValidationProblem(BaseModel):
    """One problem of a request that failed validation."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """A request that failed validation: one readable line, then each problem."""

    detail: str
    errors: list[ValidationProblem]


class JobOut(BaseModel):
    """A write job (``POST /v1/documents``, ``DELETE /v1/documents/{doc_id}``)."""

    id: str
    action: Literal["upload", "delete"]
    doc_id: str
    status: Literal["queued", "running", "done", "failed"]
    reason: str | None = Field(None, description="Why it failed, in one line (or a note).")
    version: str | None = Field(None, description="The index version live after the job.")
    created_at: str
    finished_at: str | None = None

    @classmethod
    def from_job(cls, job: Job) -> JobOut:
        """The job as the API shows it."""
        return cls(
            id=job.id,
            action=job.action,
            doc_id=job.doc_id,
            status=job.status,
            reason=job.reason,
            version=job.version,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )
