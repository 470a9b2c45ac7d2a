"""Build and update the index incrementally.

``ingest_paths`` reads files, skips those whose content hash is already indexed, chunks and embeds
only what changed (reusing the vector of any passage whose text was embedded before), and writes
one new index version. Bad files are reported and skipped; the rest of the batch goes on, and
nothing already indexed is lost. ``remove_documents`` writes a version without some documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from policyqa.errors import (
    DocumentNotFoundError,
    EmptyIndexError,
    IndexNotFoundError,
    IngestError,
    PolicyQAError,
    UnreadableDocumentError,
)
from policyqa.index.embedding import Embedder, Vectors, describe_model
from policyqa.index.isolation import load_isolated
from policyqa.index.passage_store import StoreSnapshot, UpdateBase, open_store
from policyqa.index.sentence_vectors import (
    SentenceIndex,
    build_sentence_index,
    reusable_vectors,
)
from policyqa.index.store import check_compatible, chunker_description
from policyqa.ingest import (
    Chunk,
    Document,
    DocumentKind,
    TiktokenCounter,
    chunk_document,
    discover,
    file_sha256,
    make_doc_id,
)
from policyqa.settings import Settings

#: Called with the number of passages just embedded (for progress bars).
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """A file that could not be ingested, with the reason in one line."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class IndexedFile:
    """What the manifest records of an indexed file, enough to tell whether it changed."""

    sha256: str  # content hash of the file when it was indexed
    country: str | None  # the document's country (an explicit --country may differ)
    source_path: str  # the file it was read from: another file with its doc_id is a collision


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did."""

    added: list[str] = field(default_factory=list)  # doc_ids new to the index
    updated: list[str] = field(default_factory=list)  # doc_ids whose file changed
    unchanged: list[str] = field(default_factory=list)  # doc_ids skipped: same content hash
    removed: list[str] = field(default_factory=list)
    failed: list[IngestFailure] = field(default_factory=list)
    passages: int = 0  # passages in the index after the run
    embedded: int = 0  # passages embedded in this run (the rest were reused)
    version: str | None = None  # the index version now live
    seconds: dict[str, float] = field(default_factory=dict)  # parse, embed, write


class IndexBuilder:
    """Applies additions and removals to the index in ``settings.index_dir``."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.counter = TiktokenCounter(settings.chunking.encoding)
        self.model = describe_model(embedder)
        self.chunker = chunker_description(settings.chunking)
        self.store = open_store(settings)  # the local folder, or Qdrant

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        country: str | None = None,
        kind: DocumentKind | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files and folders into the index; returns what happened to each file."""
        report = IngestReport()
        with self.store.writer_lock():
            # the manifest says which files are indexed with which hash: an ingest that finds
            # nothing new reads nothing else of the index
            manifest = None if rebuild else self._current_manifest()
            known: dict[str, IndexedFile] = {}
            for row in [] if manifest is None else manifest.get("documents", []):
                known[row["doc_id"]] = IndexedFile(
                    row["sha256"], row.get("country"), row.get("source_path", "")
                )
            started = time.perf_counter()
            fresh: dict[str, tuple[Document, list[Chunk]]] = {}
            for found in _discover_safely(paths, report):
                self._read_one(found, known, fresh, report, country=country, kind=kind)
            report.seconds["parse"] = time.perf_counter() - started
            if not fresh and not rebuild:
                report.passages = 0 if manifest is None else manifest["index"]["passages"]
                report.version = None if manifest is None else manifest["version"]
                return report
            previous = None if rebuild else self._load_previous()
            documents = {} if previous is None else previous.snapshot.documents
            kept = {doc_id: doc for doc_id, doc in documents.items() if doc_id not in fresh}
            self._write(previous, kept, fresh, report, progress)
        return report

    def remove_documents(self, doc_ids: Sequence[str]) -> IngestReport:
        """Write a version of the index without ``doc_ids``."""
        report = IngestReport()
        with self.store.writer_lock():
            previous = self._load_previous()
            if previous is None:
                raise IndexNotFoundError(f"no index in {self.store.location}")
            missing = [doc_id for doc_id in doc_ids if doc_id not in previous.snapshot.documents]
            if missing:
                raise DocumentNotFoundError(missing[0])
            kept = {
                doc_id: document
                for doc_id, document in previous.snapshot.documents.items()
                if doc_id not in doc_ids
            }
            report.removed = list(doc_ids)
            self._write(previous, kept, {}, report, None)
        return report

    # --- steps ------------------------------------------------------------------------------------

    def _current_manifest(self) -> dict[str, Any] | None:
        """The live version's manifest, checked against the model and chunker (None: no index)."""
        manifest = self.store.current_manifest()
        if manifest is None:
            return None
        check_compatible(manifest, self.model, self.chunker, self.settings.index_dir)
        return manifest

    def _load_previous(self) -> UpdateBase | None:
        return self.store.load_for_update(self.model, self.chunker)

    def _read_one(
        self,
        path: Path,
        known: dict[str, IndexedFile],
        fresh: dict[str, tuple[Document, list[Chunk]]],
        report: IngestReport,
        *,
        country: str | None,
        kind: DocumentKind | None,
    ) -> None:
        doc_id = make_doc_id(path)
        try:
            digest = file_sha256(path) if path.is_file() else None
            old = known.get(doc_id)
            same_overrides = old is not None and (country is None or old.country == country)
            if old is not None and old.sha256 == digest and same_overrides:
                report.unchanged.append(doc_id)
                return
            if old is not None and not _same_file(old.source_path, path):
                report.failed.append(
                    IngestFailure(
                        _printable(path),
                        f"doc_id {doc_id!r} already belongs to {Path(old.source_path).name!r} "
                        f"({_printable(Path(old.source_path))}); rename this file or remove "
                        f"{doc_id!r} first",
                    )
                )
                return
            limits = self.settings.ingest
            if digest is not None and path.stat().st_size > limits.max_file_mb * (1 << 20):
                raise UnreadableDocumentError(
                    str(path), f"larger than {limits.max_file_mb} MB (POLICYQA_INGEST__MAX_FILE_MB)"
                )
            document = load_isolated(path, limits, country=country, kind=kind, sha256=digest)
            chunks = chunk_document(
                document, self.settings.chunking, self.counter, self.embedder.fits
            )
        except IngestError as error:
            report.failed.append(IngestFailure(error.path, error.reason))
            return
        except PolicyQAError as error:
            report.failed.append(IngestFailure(str(path), str(error)))
            return
        except OSError as error:
            report.failed.append(IngestFailure(str(path), error.strerror or str(error)))
            return
        if doc_id in fresh:
            report.failed.append(
                IngestFailure(str(path), f"same doc_id {doc_id!r} as another file in this batch")
            )
            return
        fresh[doc_id] = (document, chunks)
        (report.updated if doc_id in known else report.added).append(doc_id)

    def _write(
        self,
        previous: UpdateBase | None,
        kept: dict[str, Document],
        fresh: dict[str, tuple[Document, list[Chunk]]],
        report: IngestReport,
        progress: Progress | None,
    ) -> None:
        documents: list[Document] = [*kept.values(), *(doc for doc, _ in fresh.values())]
        if not documents:
            failures = "; ".join(f"{failure.path}: {failure.error}" for failure in report.failed)
            raise EmptyIndexError(
                "this write would leave the index with no documents, so the live version is "
                "kept" + (f" ({failures})" if failures else "")
            )
        documents.sort(key=lambda document: document.doc_id)
        old_rows: dict[str, list[int]] = {}
        reusable: dict[str, int] = {}
        if previous is not None:
            for row, chunk in enumerate(previous.snapshot.chunks):
                old_rows.setdefault(chunk.doc_id, []).append(row)
                reusable.setdefault(chunk.embedding_text, row)

        chunks: list[Chunk] = []
        sources: list[int | None] = []  # row in the previous vectors, or None: embed
        for document in documents:
            if document.doc_id in fresh:
                for chunk in fresh[document.doc_id][1]:
                    chunks.append(chunk)
                    sources.append(reusable.get(chunk.embedding_text))
            else:
                assert previous is not None  # kept documents come from the previous version
                for row in old_rows.get(document.doc_id, []):
                    chunks.append(previous.snapshot.chunks[row])
                    sources.append(row)

        started = time.perf_counter()
        vectors = self._vectors(previous, chunks, sources, progress)
        report.seconds["embed"] = time.perf_counter() - started
        report.embedded = sum(source is None for source in sources)

        started = time.perf_counter()
        sentences = self._sentences(previous, chunks, documents)
        report.seconds["embed_sentences"] = time.perf_counter() - started

        started = time.perf_counter()
        version = self.store.write_version(
            documents, chunks, vectors, self.model, self.chunker, extra=sentences.save
        )
        report.seconds["write"] = time.perf_counter() - started
        report.version = version
        report.passages = len(chunks)

    def _vectors(
        self,
        previous: UpdateBase | None,
        chunks: list[Chunk],
        sources: list[int | None],
        progress: Progress | None,
    ) -> Vectors:
        dimension = self.embedder.dimension
        vectors = np.zeros((len(chunks), dimension), dtype=np.float32)
        reused = [(row, source) for row, source in enumerate(sources) if source is not None]
        if reused and previous is not None:
            targets = [row for row, _ in reused]
            vectors[targets] = previous.vectors[[source for _, source in reused]]
        todo = [row for row, source in enumerate(sources) if source is None]
        # longest first and in order of length, so that every batch pads to similar lengths
        # (the encoder sorts within one call only; this matters for corpora of many calls)
        todo.sort(key=lambda row: -len(chunks[row].embedding_text))
        batch = max(self.settings.embedding.batch_size * 8, 1)
        for offset in range(0, len(todo), batch):
            rows = todo[offset : offset + batch]
            vectors[rows] = self.embedder.embed([chunks[row].embedding_text for row in rows])
            if progress is not None:
                progress(len(rows))
        return vectors

    def _sentences(
        self, previous: UpdateBase | None, chunks: list[Chunk], documents: list[Document]
    ) -> SentenceIndex:
        """Sentence vectors of the new version, reusing the previous version's for equal text."""
        by_id = {document.doc_id: document for document in documents}
        reusable: dict[str, Vectors] = {}
        # only a local version folder holds sentence vectors to reuse (Qdrant: not yet)
        folder = None if previous is None else getattr(previous.snapshot, "path", None)
        if previous is not None and folder is not None:
            base = previous.snapshot
            earlier = SentenceIndex.load(folder, len(base.chunks), mmap=False)
            reusable = reusable_vectors(earlier, base.chunks, base.documents)
        return build_sentence_index(chunks, by_id, self.embedder, reusable)


def _discover_safely(paths: Sequence[Path], report: IngestReport) -> list[Path]:
    """``discover``'s files, without those a batch must not take, each reported in one line.

    A file inside a given folder that is a symlink resolving outside that folder is not followed
    (a link must not publish files the folder does not hold); a name that is not valid UTF-8
    cannot be stored or shown, so it is reported and the batch goes on.
    """
    found: list[Path] = []
    for root in paths:
        base = root.resolve() if root.is_dir() else None
        for item in discover([root]):
            if isinstance(item, PolicyQAError):
                assert isinstance(item, IngestError)
                report.failed.append(IngestFailure(_printable(Path(item.path)), item.reason))
                continue
            if not _utf8(str(item)):
                report.failed.append(
                    IngestFailure(_printable(item), "the file name is not valid UTF-8; rename it")
                )
                continue
            if base is not None and not item.resolve().is_relative_to(base):
                report.failed.append(
                    IngestFailure(
                        str(item), "a symlink to a file outside the folder is not followed"
                    )
                )
                continue
            found.append(item)
    return found


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # names the file system could not decode hold surrogates
        return False
    return True


def _printable(path: Path) -> str:
    """A path as one printable line, undecodable bytes shown as escapes."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _same_file(recorded: str, path: Path) -> bool:
    """Whether the manifest's source path is ``path`` (relative paths compared resolved)."""
    return not recorded or Path(recorded).resolve() == path.resolve()


def describe_index(snapshot: StoreSnapshot) -> dict[str, Any]:
    """A short summary of a loaded index for logs and health checks."""
    return {
        "version": snapshot.version,
        "documents": len(snapshot.documents),
        "passages": len(snapshot.chunks),
        "model": snapshot.manifest.get("model", {}).get("name"),
        "index_type": snapshot.index_type,
        "verify_ms": getattr(snapshot, "verify_ms", None),
    }
