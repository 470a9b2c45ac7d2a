"""The write API: ``POST /v1/documents``, ``DELETE /v1/documents/{doc_id}``, ``GET /v1/jobs/{id}``.

Writes need ``Authorization: Bearer KEY`` (``service.auth``) and answer 202 with a job that a
background thread runs (``service.jobs``); ``GET /v1/jobs/{id}`` tells how it went and which index
version it made live. An upload is streamed to disk and refused with 413 past
``POLICYQA_INGEST__MAX_FILE_MB``.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile

from policyqa.errors import DocumentNotFoundError
from policyqa.hygiene import clean_client_text
from policyqa.ingest import DocumentKind, make_doc_id
from policyqa.ingest.loader import MEDIA_TYPES
from policyqa.service.auth import require_write_key
from policyqa.service.engine_state import EngineDep
from policyqa.service.jobs import JobRunner, new_job_id
from policyqa.service.schemas import ErrorDetail, JobOut

router = APIRouter(tags=["write"])

WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorDetail, "description": "No API key, or a wrong one"},
    403: {"model": ErrorDetail, "description": "Writes are off (no API keys configured)"},
    503: {"model": ErrorDetail, "description": "The index is loading"},
}
CHUNK = 1 << 20


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


@router.post(
    "/v1/documents",
    status_code=202,
    response_model=JobOut,
    dependencies=[Depends(require_write_key)],
    responses={
        **WRITE_ERRORS,
        413: {"model": ErrorDetail, "description": "The file is larger than the limit"},
        415: {"model": ErrorDetail, "description": "Not a PDF, Markdown or text file"},
    },
)
async def upload_document(
    request: Request,
    engine: EngineDep,
    file: Annotated[UploadFile, File(description="A PDF, Markdown or text file.")],
    country: Annotated[str | None, Form(max_length=100)] = None,
    kind: Annotated[Literal["factsheet", "reference"] | None, Form()] = None,
) -> JobOut:
    """Add or replace a document (by its file name's doc_id); 202 with the job that ingests it."""
    name = _safe_file_name(file.filename or "")
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in MEDIA_TYPES:
        supported = ", ".join(sorted(MEDIA_TYPES))
        raise HTTPException(
            415, f"unsupported file type {suffix or '(none)'!r}; supported: {supported}"
        )
    runner = _runner(request)
    limit = request.app.state.settings.ingest.max_file_mb * CHUNK
    job_id = new_job_id()
    incoming = runner.incoming_path(job_id, name)
    written = 0
    with incoming.open("wb") as handle:
        while block := await file.read(CHUNK):
            written += len(block)
            if written > limit:
                handle.close()
                incoming.unlink(missing_ok=True)
                incoming.parent.rmdir()
                raise HTTPException(
                    413,
                    f"the file is larger than {limit // CHUNK} MB (POLICYQA_INGEST__MAX_FILE_MB)",
                )
            handle.write(block)
    country = clean_client_text(country).strip() or None if country else None
    job = runner.upload(
        job_id, make_doc_id(incoming), incoming, country, DocumentKind(kind) if kind else None
    )
    return JobOut.from_job(job)


@router.delete(
    "/v1/documents/{doc_id}",
    status_code=202,
    response_model=JobOut,
    dependencies=[Depends(require_write_key)],
    responses={**WRITE_ERRORS, 404: {"model": ErrorDetail, "description": "No such document"}},
)
def delete_document(doc_id: str, request: Request, engine: EngineDep) -> JobOut:
    """Remove a document; 202 with the job that writes the index without it."""
    if doc_id not in engine.snapshot.documents:
        raise DocumentNotFoundError(doc_id)
    return JobOut.from_job(_runner(request).delete(doc_id))


@router.get(
    "/v1/jobs/{job_id}",
    response_model=JobOut,
    responses={404: {"model": ErrorDetail, "description": "No such job"}},
)
def job_status(job_id: str, request: Request) -> JobOut:
    """A write job: queued, running, done or failed (with the reason), and the index version."""
    job = _runner(request).get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return JobOut.from_job(job)


def _safe_file_name(raw: str) -> str:
    """The client's file name without any folder part, control characters or leading dots."""
    name = PureWindowsPath(PurePosixPath(clean_client_text(raw)).name).name
    name = name.replace("\ufffd", "_").strip().lstrip(".")
    if not name:
        raise HTTPException(422, "file: the upload has no file name")
    return name[-200:]
