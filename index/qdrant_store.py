"""Index versions in Qdrant: a collection per version, an alias naming the live one.

A version ``v...`` is two collections:

- ``<alias>-v...``: one point per passage (its row number as id) with a dense vector (cosine), a
  BM25 sparse vector (``policyqa.index.qdrant_search``) and a payload holding the passage (text,
  span, section, pages) and what filters read (country, doc_id, section path);
- ``<alias>-v...-documents``: the documents (canonical text, blocks, pages, metadata) and, as
  point 0, the manifest and the BM25 vocabulary.

Both are written in full, then the alias moves to the new version in one alias update, which
Qdrant applies atomically: a crash at any point leaves the previous version live, and the next
write removes the debris. A replica therefore needs nothing on disk but the model: it reads the
documents and passages from Qdrant and searches there. Factsheet profiles are read from the
stored documents when an engine loads, as with the local store.

With a server (``qdrant_url``) any number of processes share the store. qdrant-client's local
mode (``qdrant_path``) locks its folder to one process; ``QdrantStore.open`` shares one client
per location within a process.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from qdrant_client import QdrantClient, models

from policyqa import __version__
from policyqa.errors import IndexCorruptError, IndexNotFoundError, PolicyQAError
from policyqa.index.passage_store import TermWeights, UpdateBase, Vectors
from policyqa.index.qdrant_search import (
    DENSE,
    SPARSE,
    QdrantPassageIndex,
    TermStatistics,
    passage_terms,
    sparse_vectors,
)
from policyqa.index.store import (
    FORMAT_VERSION,
    KEEP_VERSIONS,
    _chunk_from_json,
    _chunk_to_json,
    _document_from_json,
    _document_to_json,
    check_compatible,
    manifest_documents,
)
from policyqa.index.vectors import SearchTuning
from policyqa.ingest import Chunk, Document
from policyqa.settings import Settings

DOCUMENTS_SUFFIX = "-documents"
META_POINT = 0  # the documents collection's point holding the manifest and the vocabulary
BATCH = 256  # points per upsert
PAGE = 1024  # points per scroll page


@dataclass(frozen=True, slots=True)
class QdrantSnapshot:
    """One loaded version: documents and passages read from Qdrant, searched there."""

    version: str
    manifest: dict[str, Any]
    documents: dict[str, Document]
    chunks: list[Chunk]
    terms: TermStatistics
    search: QdrantPassageIndex

    @property
    def lexical(self) -> TermWeights:
        """Term weights for the answerers (the version's BM25 vocabulary)."""
        return self.terms

    @property
    def index_type(self) -> str:
        return "qdrant"

    def passage_counts(self) -> dict[str, int]:
        """Passages per document, as the manifest records them."""
        return {entry["doc_id"]: entry["chunks"] for entry in self.manifest["documents"]}

    def passage_index(self) -> QdrantPassageIndex:
        return self.search


class QdrantStore:
    """The index in Qdrant: a server or cluster (``qdrant_url``) or local mode (``qdrant_path``)."""

    _clients: ClassVar[dict[str, QdrantClient]] = {}
    _guard = threading.Lock()

    def __init__(self, client: QdrantClient, alias: str, location: str, remote: bool) -> None:
        self.client = client
        self.alias = alias
        self._location = location
        self.remote = remote  # a server, not qdrant-client's local mode
        self._writing = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> QdrantStore:
        """The store the settings name; one client per location and process."""
        store = settings.store
        if store.qdrant_url:
            location = store.qdrant_url
        elif store.qdrant_path:
            location = store.qdrant_path
        else:
            raise PolicyQAError(
                "POLICYQA_STORE__KIND=qdrant needs POLICYQA_STORE__QDRANT_URL (a server) or "
                "POLICYQA_STORE__QDRANT_PATH (a local folder, or :memory:)"
            )
        with cls._guard:
            client = cls._clients.get(location)
            if client is None:
                if store.qdrant_url:
                    client = QdrantClient(
                        url=store.qdrant_url, api_key=store.qdrant_api_key or None
                    )
                elif location == ":memory:":
                    client = QdrantClient(location=":memory:")
                else:
                    Path(location).mkdir(parents=True, exist_ok=True)
                    client = QdrantClient(path=location)
                cls._clients[location] = client
        return cls(client, store.qdrant_alias, location, remote=bool(store.qdrant_url))

    @property
    def location(self) -> str:
        return f"Qdrant {self._location} (alias {self.alias})"

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Writers of this process, one at a time; across machines, run one ingest at a time."""
        with self._writing:
            yield

    # --- reading --------------------------------------------------------------------------------

    def live_collection(self) -> str | None:
        """The collection the alias names (None: no version is live)."""
        for alias in self.client.get_aliases().aliases:
            if alias.alias_name == self.alias:
                return alias.collection_name
        return None

    def current_version(self) -> str | None:
        collection = self.live_collection()
        return None if collection is None else collection.removeprefix(f"{self.alias}-")

    def current_manifest(self) -> dict[str, Any] | None:
        collection = self.live_collection()
        return None if collection is None else self._meta(collection)["manifest"]

    def load(
        self, model: dict[str, Any], chunker: dict[str, Any], tuning: SearchTuning | None = None
    ) -> QdrantSnapshot:
        collection = self.live_collection()
        if collection is None:
            raise IndexNotFoundError(
                f"no index in {self.location}; build one with `policyqa ingest PATH...` and "
                "POLICYQA_STORE__KIND=qdrant"
            )
        meta = self._meta(collection)
        manifest: dict[str, Any] = meta["manifest"]
        check_compatible(manifest, model, chunker, Path(f"qdrant:{collection}"))
        try:
            documents = {
                document.doc_id: document
                for document in (
                    _document_from_json(payload)
                    for payload in self._payloads(collection + DOCUMENTS_SUFFIX)
                    if "doc_id" in payload
                )
            }
            payloads = self._payloads(collection)
            chunks = [_chunk_from_json(payload, documents) for payload in payloads]
        except (KeyError, ValueError) as error:
            raise IndexCorruptError(f"collection {collection} is damaged ({error})") from error
        if len(chunks) != manifest["index"]["passages"]:
            raise IndexCorruptError(
                f"collection {collection} holds {len(chunks)} passages, its manifest says "
                f"{manifest['index']['passages']}"
            )
        terms = TermStatistics.from_payload(meta["terms"])
        search = QdrantPassageIndex(self.client, collection, terms, chunks)
        version = collection.removeprefix(f"{self.alias}-")
        return QdrantSnapshot(version, manifest, documents, chunks, terms, search)

    def load_for_update(self, model: dict[str, Any], chunker: dict[str, Any]) -> UpdateBase | None:
        if self.live_collection() is None:
            return None
        snapshot = self.load(model, chunker)
        dimension = int(snapshot.manifest["model"]["dimension"])
        vectors = np.zeros((len(snapshot.chunks), dimension), dtype=np.float32)
        for point in self._scroll(snapshot.search.collection, with_vectors=[DENSE]):
            vector = point.vector
            assert isinstance(vector, dict)
            vectors[int(point.id)] = np.asarray(vector[DENSE], dtype=np.float32)
        return UpdateBase(snapshot, vectors)

    def _meta(self, collection: str) -> dict[str, Any]:
        found = self.client.retrieve(collection + DOCUMENTS_SUFFIX, [META_POINT], with_payload=True)
        if not found or found[0].payload is None:
            raise IndexCorruptError(f"collection {collection} has no manifest")
        return found[0].payload

    def _scroll(
        self, collection: str, with_vectors: bool | list[str] = False
    ) -> Iterator[models.Record]:
        offset: models.ExtendedPointId | None = None
        while True:
            points, offset = self.client.scroll(
                collection, limit=PAGE, offset=offset, with_payload=True, with_vectors=with_vectors
            )
            yield from points
            if offset is None:
                return

    def _payloads(self, collection: str) -> Iterator[dict[str, Any]]:
        for point in self._scroll(collection):  # in id order: passage rows
            yield point.payload or {}

    # --- writing --------------------------------------------------------------------------------

    def write_version(
        self,
        documents: list[Document],
        chunks: list[Chunk],
        vectors: Vectors,
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: Callable[[Path], None] | None = None,
    ) -> str:
        del extra  # no version folder: sentence vectors are not held in Qdrant yet
        live = self.live_collection()
        self._remove_debris(live)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        version = f"v{stamp}-{secrets.token_hex(3)}"
        collection = f"{self.alias}-{version}"
        terms_of = passage_terms([chunk.embedding_text for chunk in chunks])
        terms = TermStatistics.build(terms_of)
        sparse = sparse_vectors(terms_of, terms)
        self._write_passages(collection, chunks, vectors, sparse, documents)
        manifest = _manifest(version, collection, documents, chunks, model, chunker)
        self._write_documents(collection + DOCUMENTS_SUFFIX, documents, manifest, terms)
        # the switch: one alias update, applied atomically by Qdrant
        operations: list[models.AliasOperations] = []
        if live is not None:
            operations.append(
                models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=self.alias))
            )
        operations.append(
            models.CreateAliasOperation(
                create_alias=models.CreateAlias(collection_name=collection, alias_name=self.alias)
            )
        )
        self.client.update_collection_aliases(change_aliases_operations=operations)
        self._prune(collection)
        return version

    def _write_passages(
        self,
        collection: str,
        chunks: list[Chunk],
        vectors: Vectors,
        sparse: list[models.SparseVector],
        documents: list[Document],
    ) -> None:
        self.client.create_collection(
            collection,
            vectors_config={
                DENSE: models.VectorParams(
                    size=int(vectors.shape[1]), distance=models.Distance.COSINE
                )
            },
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
        )
        countries = {document.doc_id: (document.country or "").lower() for document in documents}
        for field in ("country", "doc_id", "section_path") if self.remote else ():
            # what filters read, indexed on the server (local mode scans and has no such index)
            self.client.create_payload_index(collection, field, models.PayloadSchemaType.KEYWORD)
        for offset in range(0, len(chunks), BATCH):
            points = []
            for row in range(offset, min(offset + BATCH, len(chunks))):
                chunk = chunks[row]
                payload = {
                    **_chunk_to_json(chunk),
                    "text": chunk.text,
                    "country": countries[chunk.doc_id],
                    "section_path": chunk.section_path.lower(),
                }
                vector: dict[str, Any] = {DENSE: vectors[row].tolist(), SPARSE: sparse[row]}
                points.append(models.PointStruct(id=row, vector=vector, payload=payload))
            self.client.upsert(collection, points, wait=True)

    def _write_documents(
        self,
        collection: str,
        documents: list[Document],
        manifest: dict[str, Any],
        terms: TermStatistics,
    ) -> None:
        self.client.create_collection(collection, vectors_config={})
        for offset in range(0, len(documents), 16):
            points = [
                models.PointStruct(id=offset + index + 1, vector={}, payload=_document_to_json(doc))
                for index, doc in enumerate(documents[offset : offset + 16])
            ]
            self.client.upsert(collection, points, wait=True)
        # the manifest last: a documents collection without it is incomplete
        meta = {"manifest": manifest, "terms": terms.to_payload()}
        self.client.upsert(
            collection, [models.PointStruct(id=META_POINT, vector={}, payload=meta)], wait=True
        )

    def _versions(self) -> list[str]:
        prefix = f"{self.alias}-v"
        names = [collection.name for collection in self.client.get_collections().collections]
        return sorted(
            name
            for name in names
            if name.startswith(prefix) and not name.endswith(DOCUMENTS_SUFFIX)
        )

    def _drop(self, collection: str) -> None:
        self.client.delete_collection(collection)
        self.client.delete_collection(collection + DOCUMENTS_SUFFIX)

    def _remove_debris(self, live: str | None) -> None:
        """Collections newer than the live one were left by a crashed writer (we hold the lock)."""
        for name in self._versions():
            if live is None or name > live:
                self._drop(name)
        if live is None:  # documents collections without their passages
            for collection in self.client.get_collections().collections:
                if collection.name.startswith(f"{self.alias}-v"):
                    self.client.delete_collection(collection.name)

    def _prune(self, keep: str) -> None:
        """Keep the live version and the two before it, for engines still reading them."""
        names = self._versions()
        for name in names[:-KEEP_VERSIONS]:
            if name != keep:
                self._drop(name)


def _manifest(
    version: str,
    collection: str,
    documents: list[Document],
    chunks: list[Chunk],
    model: dict[str, Any],
    chunker: dict[str, Any],
) -> dict[str, Any]:
    """The same manifest as a local version's, with the collection instead of file hashes."""
    return {
        "format": FORMAT_VERSION,
        "version": version,
        "policyqa_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": model,
        "chunker": chunker,
        "store": {"kind": "qdrant", "collection": collection},
        "index": {"type": "qdrant", "passages": len(chunks), "documents": len(documents)},
        "documents": manifest_documents(documents, chunks),
    }
