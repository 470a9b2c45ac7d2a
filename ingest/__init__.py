"""Ingest: files (PDF, Markdown, text) -> Documents with canonical text and structure -> Chunks.

This stage imports nothing from the later stages (index, service, eval).
"""

from policyqa.ingest.chunking import FitsModel, chunk_document
from policyqa.ingest.factsheet import FactsheetProfile, parse_profile
from policyqa.ingest.loader import MEDIA_TYPES, discover, file_sha256, load_document, make_doc_id
from policyqa.ingest.tokens import TiktokenCounter, TokenCounter
from policyqa.ingest.types import (
    Block,
    BlockKind,
    Chunk,
    Document,
    DocumentKind,
    PageSpan,
    Part,
    PartRole,
)

__all__ = [
    "MEDIA_TYPES",
    "Block",
    "BlockKind",
    "Chunk",
    "Document",
    "DocumentKind",
    "FactsheetProfile",
    "FitsModel",
    "PageSpan",
    "Part",
    "PartRole",
    "TiktokenCounter",
    "TokenCounter",
    "chunk_document",
    "discover",
    "file_sha256",
    "load_document",
    "make_doc_id",
    "parse_profile",
]
