"""The index on disk: immutable versions, a manifest, and an atomic pointer to the current one.

Layout of an index directory::

    INDEX_DIR/
      CURRENT                  name of the live version (replaced atomically with os.replace)
      versions/<version>/
        manifest.json          model, dimension, chunker settings, package version, documents
                               and their hashes, the hash of every file in the version
        documents.jsonl        one document per line: metadata, canonical text, blocks, pages
        chunks.jsonl           one passage per line, in vector-row order
        vectors.npy            float32 passage vectors (n x d), memory-mappable
        dense.faiss            the FAISS index
        bm25/                  the bm25s index files
        sentence_spans.npy     passage row, start, end of every sentence (index.sentence_vectors)
        sentence_vectors.npy   float32 sentence vectors, memory-mappable

A version is written in full to a temporary folder, renamed into ``versions/``, and only then
does ``CURRENT`` move to it: a crash at any point leaves the previous version live.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from policyqa import __version__
from policyqa.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexNotFoundError,
    IndexStoreError,
)
from policyqa.index.integrity import candidate_versions, verify_version
from policyqa.index.lexical import LexicalIndex
from policyqa.index.vectors import ConcreteIndexType, SearchTuning, VectorIndex
from policyqa.ingest import (
    Block,
    BlockKind,
    Chunk,
    Document,
    DocumentKind,
    PageSpan,
    Part,
    PartRole,
)
from policyqa.ingest.chunking import CHUNKER_VERSION
from policyqa.settings import ChunkingSettings

if TYPE_CHECKING:
    from policyqa.index.passage_store import LocalPassageIndex

FORMAT_VERSION = 1
CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"
KEEP_VERSIONS = 3  # the live version and two before it, for readers still using them

Vectors = npt.NDArray[np.float32]


def chunker_description(settings: ChunkingSettings) -> dict[str, Any]:
    """What the manifest records about the chunker; any change requires a rebuild."""
    return {**settings.model_dump(), "version": CHUNKER_VERSION}


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """One loaded, immutable version of the index."""

    path: Path
    version: str
    manifest: dict[str, Any]
    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: Vectors
    dense: VectorIndex
    lexical: LexicalIndex
    verify_ms: float = 0.0  # how long checking every file against the manifest took
    fallback_reason: str | None = None  # why CURRENT's version was refused (None: it is served)

    def passage_counts(self) -> dict[str, int]:
        """Passages per document, as the manifest records them (no walk over the passages)."""
        return {entry["doc_id"]: entry["chunks"] for entry in self.manifest["documents"]}

    @property
    def index_type(self) -> str:
        """The FAISS index type of the version."""
        return self.dense.index_type

    def passage_index(self) -> LocalPassageIndex:
        """Search over this version (``policyqa.index.passage_store``)."""
        from policyqa.index.passage_store import LocalPassageIndex

        return LocalPassageIndex(self)


# --- reading ------------------------------------------------------------------------------------


def current_version_path(index_dir: Path) -> Path | None:
    """The folder of the live version, or None when nothing was built yet."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    path = index_dir / VERSIONS_DIR / name
    if not name or not path.is_dir():
        raise IndexCorruptError(
            f"{pointer} names version {name!r}, which does not exist; rebuild the index with "
            f"`policyqa ingest --rebuild PATH... --index-dir {index_dir}`"
        )
    return path


def read_manifest(version_path: Path) -> dict[str, Any]:
    """The manifest of a version folder."""
    try:
        manifest: dict[str, Any] = json.loads((version_path / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise IndexCorruptError(f"cannot read {version_path / 'manifest.json'}: {error}") from error
    return manifest


def check_compatible(
    manifest: dict[str, Any], model: dict[str, Any], chunker: dict[str, Any], index_dir: Path
) -> None:
    """Fail with a message that says what to do when the index was built differently."""
    rebuild = f"`policyqa ingest --rebuild PATH... --index-dir {index_dir}`"
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexIncompatibleError(
            f"index at {index_dir} has format {manifest.get('format')!r}, this policyqa reads "
            f"format {FORMAT_VERSION}; rebuild it with {rebuild}"
        )
    built = manifest.get("model", {})
    if built.get("fingerprint") != model.get("fingerprint") or built.get("dimension") != model.get(
        "dimension"
    ):
        raise IndexIncompatibleError(
            f"index at {index_dir} was built with embedding model {built.get('name')!r} "
            f"({built.get('dimension')}-d, fingerprint {built.get('fingerprint')}), but the "
            f"configured model is {model.get('name')!r} ({model.get('dimension')}-d, fingerprint "
            f"{model.get('fingerprint')}); rebuild it with {rebuild}, or set "
            "POLICYQA_EMBEDDING__MODEL to the model it was built with"
        )
    if manifest.get("chunker") != chunker:
        raise IndexIncompatibleError(
            f"index at {index_dir} was built with chunker settings {manifest.get('chunker')}, "
            f"but the current settings are {chunker}; rebuild it with {rebuild}, or restore the "
            "POLICYQA_CHUNKING__* settings it was built with"
        )


def manifest_documents(documents: list[Document], chunks: list[Chunk]) -> list[dict[str, Any]]:
    """The manifest's entry for each document (every store writes the same ones)."""
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return [
        {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "country": doc.country,
            "kind": doc.kind.value,
            "source_path": doc.source_path,
            "sha256": doc.sha256,
            "chunks": counts.get(doc.doc_id, 0),
        }
        for doc in documents
    ]


def load_snapshot(
    index_dir: Path,
    model: dict[str, Any],
    chunker: dict[str, Any],
    mmap: bool = True,
    tuning: SearchTuning | None = None,
    fallback: bool = True,
) -> IndexSnapshot:
    """Load the live version, verified, checking that it matches the configured model and chunker.

    Every file is checked against the manifest's sha256 first (``index.integrity``). When the
    version ``CURRENT`` names is damaged, the newest intact version is loaded instead (with
    ``fallback``; writers pass False, so that they never build on an older version by mistake)
    and ``fallback_reason`` says why. With ``mmap`` (the default) the vectors, the FAISS index
    (where its type allows) and BM25 are memory-mapped: processes serving one version share
    those pages instead of holding copies.
    """
    try:
        path = current_version_path(index_dir)
    except IndexCorruptError as error:
        if not fallback:
            raise
        path, first_error = None, error
    else:
        if path is None:
            raise IndexNotFoundError(
                f"no index in {index_dir}; build one with `policyqa ingest PATH... --index-dir "
                f"{index_dir}` (or run `policyqa serve`, which indexes the bundled corpus)"
            )
        try:
            return _load_version(path, index_dir, model, chunker, mmap, tuning)
        except IndexCorruptError as error:
            if not fallback:
                raise
            first_error = error
    current = None if path is None else path.name
    for candidate in candidate_versions(index_dir / VERSIONS_DIR, current):
        if candidate.name == current:
            continue
        try:
            snapshot = _load_version(candidate, index_dir, model, chunker, mmap, tuning)
        except IndexStoreError:
            continue
        reason = f"{first_error}; serving the newest intact version {candidate.name} instead"
        return dataclasses.replace(snapshot, fallback_reason=reason)
    raise first_error


def _load_version(
    path: Path,
    index_dir: Path,
    model: dict[str, Any],
    chunker: dict[str, Any],
    mmap: bool,
    tuning: SearchTuning | None,
) -> IndexSnapshot:
    manifest = read_manifest(path)
    check_compatible(manifest, model, chunker, index_dir)
    verify_ms = verify_version(path, manifest)
    try:
        documents = {
            document.doc_id: document
            for document in (
                _document_from_json(line) for line in _read_jsonl(path / "documents.jsonl")
            )
        }
        chunks = [_chunk_from_json(line, documents) for line in _read_jsonl(path / "chunks.jsonl")]
        vectors = np.load(path / "vectors.npy", mmap_mode="r" if mmap else None)
        index_type: ConcreteIndexType = manifest["index"]["type"]
        dense = VectorIndex.load(
            path / "dense.faiss", index_type, mmap=mmap, vectors=vectors, tuning=tuning
        )
        lexical = LexicalIndex.load(path / "bm25", len(chunks), mmap=mmap)
    except (OSError, KeyError, ValueError, TypeError, IndexError, RuntimeError) as error:
        # RuntimeError: what FAISS raises for a file it cannot read
        raise IndexCorruptError(
            f"index version {path.name} is incomplete or damaged ({_one_line(error)}); rebuild "
            f"it with `policyqa ingest --rebuild PATH... --index-dir {index_dir}`"
        ) from error
    if not (len(chunks) == vectors.shape[0] == dense.size == lexical.size):
        raise IndexCorruptError(
            f"index version {path.name} is inconsistent: {len(chunks)} passages, "
            f"{vectors.shape[0]} vectors, {dense.size} FAISS entries, {lexical.size} BM25 entries"
        )
    return IndexSnapshot(
        path, path.name, manifest, documents, chunks, vectors, dense, lexical, verify_ms
    )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


# --- writing ------------------------------------------------------------------------------------


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Serialise writers of one index directory (readers never wait)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_version(
    index_dir: Path,
    documents: list[Document],
    chunks: list[Chunk],
    vectors: Vectors,
    model: dict[str, Any],
    chunker: dict[str, Any],
    dense: VectorIndex,
    lexical: LexicalIndex,
    extra: Callable[[Path], None] | None = None,
) -> Path:
    """Write a complete new version and make it live atomically; returns its folder.

    ``extra`` writes further files into the version folder before it is hashed and made live
    (the sentence vectors, ``index.sentence_vectors``).
    """
    versions = index_dir / VERSIONS_DIR
    versions.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(versions)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"v{stamp}-{secrets.token_hex(3)}"
    staging = versions / f".tmp-{name}"
    staging.mkdir()

    _write_jsonl(staging / "documents.jsonl", (_document_to_json(doc) for doc in documents))
    _write_jsonl(staging / "chunks.jsonl", (_chunk_to_json(chunk) for chunk in chunks))
    np.save(staging / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
    dense.save(staging / "dense.faiss")
    lexical.save(staging / "bm25")
    if extra is not None:
        extra(staging)
    manifest = {
        "format": FORMAT_VERSION,
        "version": name,
        "policyqa_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": model,
        "chunker": chunker,
        "index": {"type": dense.index_type, "passages": len(chunks), "documents": len(documents)},
        "documents": manifest_documents(documents, chunks),
        "files": _file_hashes(staging),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    _fsync_tree(staging)
    final = versions / name
    staging.rename(final)
    _fsync_dir(versions)

    pointer_tmp = index_dir / f".{CURRENT_FILE}.{name}.tmp"
    pointer_tmp.write_text(name + "\n", encoding="utf-8")
    with pointer_tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    pointer_tmp.replace(index_dir / CURRENT_FILE)  # atomic: readers see old or new, never half
    _fsync_dir(index_dir)
    _prune_versions(versions, keep=name)
    return final


def _write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")


def _file_hashes(folder: Path) -> dict[str, str]:
    hashes = {}
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            digest = hashlib.sha256()
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            hashes[file.relative_to(folder).as_posix()] = digest.hexdigest()
    return hashes


def _fsync_tree(folder: Path) -> None:
    for file in folder.rglob("*"):
        if file.is_file():
            with file.open("rb") as handle:
                os.fsync(handle.fileno())
    for sub in [folder, *[path for path in folder.rglob("*") if path.is_dir()]]:
        _fsync_dir(sub)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_stale_temporaries(versions: Path) -> None:
    """Staging folders left by a crashed writer (we hold the writer lock, so none is live)."""
    for path in versions.glob(".tmp-*"):
        shutil.rmtree(path, ignore_errors=True)


def _prune_versions(versions: Path, keep: str) -> None:
    names = sorted(path.name for path in versions.iterdir() if path.name.startswith("v"))
    for name in names[:-KEEP_VERSIONS]:
        if name != keep:
            shutil.rmtree(versions / name, ignore_errors=True)


# --- (de)serialisation --------------------------------------------------------------------------


def _document_to_json(document: Document) -> dict[str, Any]:
    return {
        "doc_id": document.doc_id,
        "title": document.title,
        "country": document.country,
        "kind": document.kind.value,
        "source_path": document.source_path,
        "sha256": document.sha256,
        "media_type": document.media_type,
        "year": document.year,
        "synthetic": document.synthetic,
        "pages": [[span.page, span.start, span.end] for span in document.pages],
        "blocks": [
            [
                block.kind.value,
                block.start,
                block.end,
                list(block.section),
                block.label,
                block.table,
                [[part.start, part.end, part.role.value] for part in block.parts],
            ]
            for block in document.blocks
        ],
        "text": document.text,
    }


def _document_from_json(row: dict[str, Any]) -> Document:
    return Document(
        doc_id=row["doc_id"],
        text=row["text"],
        title=row["title"],
        country=row["country"],
        kind=DocumentKind(row["kind"]),
        source_path=row["source_path"],
        sha256=row["sha256"],
        media_type=row["media_type"],
        year=row["year"],
        synthetic=row["synthetic"],
        pages=tuple(PageSpan(page, start, end) for page, start, end in row["pages"]),
        blocks=tuple(
            Block(
                kind=BlockKind(kind),
                start=start,
                end=end,
                section=tuple(section),
                label=label,
                table=table,
                parts=tuple(Part(p_start, p_end, PartRole(role)) for p_start, p_end, role in parts),
            )
            for kind, start, end, section, label, table, parts in row["blocks"]
        ),
    )


def _chunk_to_json(chunk: Chunk) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "section": list(chunk.section),
        "kind": chunk.kind.value,
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "n_tokens": chunk.n_tokens,
        "context": chunk.context,
    }


def _chunk_from_json(row: dict[str, Any], documents: dict[str, Document]) -> Chunk:
    document = documents[row["doc_id"]]
    return Chunk(
        chunk_id=f"{row['doc_id']}#{row['ordinal']}",
        doc_id=row["doc_id"],
        ordinal=row["ordinal"],
        start=row["start"],
        end=row["end"],
        text=document.text[row["start"] : row["end"]],
        section=tuple(row["section"]),
        kind=BlockKind(row["kind"]),
        page_start=row["page_start"],
        page_end=row["page_end"],
        n_tokens=row["n_tokens"],
        context=row["context"],
    )
