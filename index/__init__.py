"""Index: embeddings + FAISS + BM25 over passages, persisted as versioned folders with a manifest.

Imports the ingest stage's types; never the service or eval stages.
"""

from policyqa.index.builder import IndexBuilder, IngestFailure, IngestReport, describe_index
from policyqa.index.embedding import Embedder, SentenceTransformerEmbedder, describe_model
from policyqa.index.retriever import Hit, Retriever, SearchFilters, SearchMode, SearchResult
from policyqa.index.store import IndexSnapshot, chunker_description, load_snapshot

__all__ = [
    "Embedder",
    "Hit",
    "IndexBuilder",
    "IndexSnapshot",
    "IngestFailure",
    "IngestReport",
    "Retriever",
    "SearchFilters",
    "SearchMode",
    "SearchResult",
    "SentenceTransformerEmbedder",
    "chunker_description",
    "describe_index",
    "describe_model",
    "load_snapshot",
]
