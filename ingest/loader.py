"""Read files into Documents: find them, parse by type, render canonical text, read metadata.

Each bad file raises a named error (missing, unsupported type, unreadable, encrypted, empty) so a
batch can report it in one line and go on with the rest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from policyqa.errors import (
    EmptyDocumentError,
    SourceNotFoundError,
    UnreadableDocumentError,
    UnsupportedFileTypeError,
)
from policyqa.ingest.markdown import parse_markdown
from policyqa.ingest.metadata import detect_metadata
from policyqa.ingest.structure import Node, render
from policyqa.ingest.text import parse_text
from policyqa.ingest.types import Document, DocumentKind

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".text": "text/plain",
}


def discover(paths: Iterable[Path]) -> Iterator[Path | SourceNotFoundError]:
    """Supported files under ``paths`` (folders walked recursively, hidden files skipped).

    A missing path is yielded as a SourceNotFoundError rather than raised, so the caller can
    report it and go on. A file given explicitly is yielded whatever its type, so that an
    unsupported type is reported; inside folders, unsupported files are skipped silently.
    """
    for path in paths:
        if not path.exists():
            yield SourceNotFoundError(str(path), "no such file or directory")
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in MEDIA_TYPES:
                    yield child
        else:
            yield path


def make_doc_id(path: Path) -> str:
    """A stable, URL-safe id from the file name: ``eccp-factsheet-morocco-2023.md``."""
    name = unicodedata.normalize("NFKD", path.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.")
    return slug or "document"


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(path: Path) -> list[Node]:
    """Parse a file into document-tree nodes according to its type."""
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        supported = ", ".join(sorted(MEDIA_TYPES))
        raise UnsupportedFileTypeError(
            str(path), f"unsupported file type {suffix or '(none)'!r}; supported: {supported}"
        )
    if suffix == ".pdf":
        from policyqa.ingest.pdf import read_pdf  # pypdf is imported only when needed

        return read_pdf(path)
    try:
        source = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocumentError(str(path), f"not UTF-8 text ({error.reason})") from error
    if not source.strip():
        raise EmptyDocumentError(str(path), "the file is empty")
    return parse_markdown(source) if MEDIA_TYPES[suffix] == "text/markdown" else parse_text(source)


def load_document(
    path: Path,
    *,
    country: str | None = None,
    kind: DocumentKind | None = None,
    sha256: str | None = None,
) -> Document:
    """Read one file into a Document (canonical text, blocks, pages and metadata)."""
    if not path.exists():
        raise SourceNotFoundError(str(path), "no such file or directory")
    if not path.is_file():
        raise UnreadableDocumentError(str(path), "not a regular file")
    nodes = parse_file(path)
    rendered = render(nodes)
    if not rendered.text.strip():
        raise EmptyDocumentError(str(path), "no extractable text")
    metadata = detect_metadata(
        rendered.text, rendered.blocks, fallback_title=path.stem, country=country, kind=kind
    )
    return Document(
        doc_id=make_doc_id(path),
        text=rendered.text,
        title=metadata.title,
        country=metadata.country,
        kind=metadata.kind,
        source_path=str(path),
        sha256=sha256 or file_sha256(path),
        media_type=MEDIA_TYPES[path.suffix.lower()],
        blocks=rendered.blocks,
        pages=rendered.pages,
        year=metadata.year,
        synthetic=metadata.synthetic,
    )
