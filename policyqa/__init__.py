"""policyqa: retrieval-augmented question answering with verifiable citations over policy documents.

Data flows one way through the stage packages:
``policyqa.ingest`` (files -> documents -> chunks) -> ``policyqa.index`` (embeddings, FAISS, BM25,
hybrid retrieval) -> ``policyqa.service`` (answers with citations, HTTP API) -> ``policyqa.eval``.
``policyqa.settings`` and ``policyqa.errors`` sit beneath all of them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policyqa")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
