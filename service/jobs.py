"""Index writes requested over HTTP, run one at a time in the background as jobs.

``POST /v1/documents`` and ``DELETE /v1/documents/{doc_id}`` answer 202 with a job at once; a
thread of the worker process runs its jobs in order (the index's writer lock serialises them
with every other writer, the CLI included). A job's state is a small JSON file in
``INDEX_DIR/jobs``, replaced atomically, so that any worker process answers ``GET /v1/jobs/{id}``.
When a job has written a version, the worker swaps the new engine in at once (others pick it up
by hot reload). Uploaded files are kept in ``INDEX_DIR/uploads``, the documents' source files.
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from policyqa.errors import PolicyQAError
from policyqa.index import IndexBuilder
from policyqa.ingest import DocumentKind
from policyqa.service.pipeline import open_engine
from policyqa.service.reloading import EngineHolder
from policyqa.settings import Settings

log = logging.getLogger("policyqa.service")

JobStatus = Literal["queued", "running", "done", "failed"]
JOBS_DIR = "jobs"
UPLOADS_DIR = "uploads"
INCOMING_DIR = ".incoming"


@dataclass(slots=True)
class Job:
    """One requested write and what became of it."""

    id: str
    action: Literal["upload", "delete"]
    doc_id: str
    status: JobStatus = "queued"
    reason: str | None = None  # one line: why it failed, or what happened ("unchanged")
    version: str | None = None  # the index version live after the job
    created_at: str = ""
    finished_at: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class JobRunner:
    """Runs the jobs of one worker process in order, on one thread."""

    def __init__(self, settings: Settings, holder: Callable[[], EngineHolder]) -> None:
        self.settings = settings
        self.holder = holder
        self.folder = settings.index_dir / JOBS_DIR
        self._queue: queue.SimpleQueue[tuple[Job, Callable[[Job], None]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- requests -------------------------------------------------------------------------------

    def incoming_path(self, job_id: str, file_name: str) -> Path:
        """Where an upload is written while its job waits."""
        folder = self.settings.index_dir / UPLOADS_DIR / INCOMING_DIR / job_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder / file_name

    def upload(
        self,
        job_id: str,
        doc_id: str,
        incoming: Path,
        country: str | None,
        kind: DocumentKind | None,
    ) -> Job:
        """Queue the ingest of an uploaded file (already written to ``incoming``)."""
        job = Job(job_id, "upload", doc_id, created_at=_now())
        return self._submit(job, lambda job: self._ingest(job, incoming, country, kind))

    def delete(self, doc_id: str) -> Job:
        """Queue the removal of a document."""
        job = Job(new_job_id(), "delete", doc_id, created_at=_now())
        return self._submit(job, self._remove)

    def get(self, job_id: str) -> Job | None:
        """A job's last recorded state (from any worker process), or None."""
        if not _valid_id(job_id):
            return None
        try:
            row = json.loads((self.folder / f"{job_id}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return Job(**row)

    # --- running --------------------------------------------------------------------------------

    def _submit(self, job: Job, work: Callable[[Job], None]) -> Job:
        self._save(job)
        self._queue.put((job, work))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="jobs", daemon=True)
                self._thread.start()
        return job

    def _serve(self) -> None:
        while True:
            job, work = self._queue.get()
            job.status = "running"
            self._save(job)
            try:
                work(job)
            except PolicyQAError as error:
                self._finish(job, "failed", str(error))
            except Exception as error:  # a job must never take the worker thread with it
                log.exception("job %s failed", job.id)
                self._finish(job, "failed", f"{type(error).__name__}: {error}")

    def _builder(self) -> IndexBuilder:
        engine = self.holder().engine
        if engine is None:
            raise PolicyQAError("the index is not loaded yet; retry shortly")
        return IndexBuilder(self.settings, engine.embedder)

    def _ingest(
        self, job: Job, incoming: Path, country: str | None, kind: DocumentKind | None
    ) -> None:
        target = self.settings.index_dir / UPLOADS_DIR / incoming.name
        backup = target.with_name(f".{target.name}.{job.id}.previous")
        try:
            if target.exists():
                target.replace(backup)
            incoming.replace(target)
            report = self._builder().ingest_paths([target], country=country, kind=kind)
            if report.failed:
                self._restore(target, backup)
                self._finish(job, "failed", report.failed[0].error)
                return
        except BaseException:
            self._restore(target, backup)
            raise
        finally:
            shutil.rmtree(incoming.parent, ignore_errors=True)
        backup.unlink(missing_ok=True)
        job.version = report.version
        self._refresh()
        self._finish(job, "done", "unchanged: already indexed" if report.unchanged else None)

    def _remove(self, job: Job) -> None:
        engine = self.holder().engine
        document = None if engine is None else engine.snapshot.documents.get(job.doc_id)
        report = self._builder().remove_documents([job.doc_id])
        job.version = report.version
        self._refresh()
        uploads = (self.settings.index_dir / UPLOADS_DIR).resolve()
        source = None if document is None else Path(document.source_path).resolve()
        if source is not None and source.parent == uploads:  # an uploaded file goes with it
            source.unlink(missing_ok=True)
        self._finish(job, "done", None)

    @staticmethod
    def _restore(target: Path, backup: Path) -> None:
        if backup.exists():
            backup.replace(target)
        else:
            target.unlink(missing_ok=True)

    def _refresh(self) -> None:
        """Serve the version just written from this worker at once (others reload by polling)."""
        holder = self.holder()
        current = holder.engine
        engine = open_engine(self.settings, embedder=current.embedder if current else None)
        engine.warm()
        holder.engine = engine

    def _finish(self, job: Job, status: JobStatus, reason: str | None) -> None:
        job.status = status
        job.reason = None if reason is None else " ".join(reason.split())
        job.finished_at = _now()
        self._save(job)

    def _save(self, job: Job) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{job.id}.tmp"
        temporary.write_text(json.dumps(asdict(job)), encoding="utf-8")
        temporary.replace(self.folder / f"{job.id}.json")


def new_job_id() -> str:
    """A random job id (unguessable: job states name documents)."""
    return secrets.token_hex(8)


def _valid_id(job_id: str) -> bool:
    return len(job_id) == 16 and all(char in "0123456789abcdef" for char in job_id)
