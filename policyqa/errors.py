"""Domain errors for every stage, in one place.

Library code raises these; only the edges translate them: the CLI into one line and a non-zero
exit, the HTTP service into a 4xx/5xx response with the message. Each message is written for the
user who has to act on it.
"""

from __future__ import annotations


class PolicyQAError(Exception):
    """Base class of every error policyqa raises on purpose."""


class SettingsError(PolicyQAError):
    """A POLICYQA_* environment variable is unknown or has an invalid value."""


# --- ingest -------------------------------------------------------------------------------------


class IngestError(PolicyQAError):
    """A source file could not be turned into a document."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class SourceNotFoundError(IngestError):
    """The given path does not exist."""


class UnsupportedFileTypeError(IngestError):
    """The file's type is not one policyqa can read (PDF, Markdown, plain text)."""


class UnreadableDocumentError(IngestError):
    """The file exists but cannot be parsed (corrupt PDF, undecodable text)."""


class EncryptedDocumentError(IngestError):
    """The PDF is encrypted and cannot be read without a password."""


class EmptyDocumentError(IngestError):
    """The file holds no extractable text (empty file, scanned PDF without a text layer)."""


# --- index --------------------------------------------------------------------------------------


class IndexStoreError(PolicyQAError):
    """Base class of errors about the on-disk index."""


class IndexNotFoundError(IndexStoreError):
    """No index has been built in the given directory yet."""


class IndexIncompatibleError(IndexStoreError):
    """The index was built with another model, chunker or format than the current settings."""


class IndexCorruptError(IndexStoreError):
    """The index directory exists but its files are missing or inconsistent."""


class EmptyIndexError(IndexStoreError):
    """A write would leave the index without documents; the live version is kept."""


class DocumentNotFoundError(IndexStoreError):
    """No document with the given doc_id is in the index."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"no document with doc_id {doc_id!r} in the index")


class EmbeddingModelError(PolicyQAError):
    """The configured embedding model cannot be loaded from local files."""


class ChunkTooLongError(PolicyQAError):
    """A chunk cannot be split below the embedding model's maximum sequence length."""


# --- evaluation ---------------------------------------------------------------------------------


class EvaluationError(PolicyQAError):
    """An evaluation run cannot go on (unreachable service, corpus that failed to index, ...)."""


class GoldDataError(EvaluationError):
    """A gold dataset is malformed or no longer matches the documents it cites."""
