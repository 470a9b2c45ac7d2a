"""``GET /v1/documents`` and ``GET /v1/documents/{doc_id}``: what is indexed, and its text.

A document's canonical text is the text every citation's ``start`` and ``end`` point into.
"""

from __future__ import annotations

from fastapi import APIRouter

from policyqa.errors import DocumentNotFoundError
from policyqa.service.document_library import cited_references
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import V1_ROUTE, not_found
from policyqa.service.schemas import (
    CitedReferenceOut,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
)

router = APIRouter(tags=["documents"], responses=V1_ROUTE)


@router.get("/v1/documents", response_model=DocumentList)
def documents(engine: EngineDep) -> DocumentList:
    """Every indexed document with its metadata, passage count and (factsheets) references."""
    snapshot = engine.snapshot
    counts = snapshot.passage_counts()
    cites = cited_references(snapshot.documents)
    listed = []
    for doc_id, document in sorted(snapshot.documents.items()):
        summary = DocumentSummary.from_document(document, counts.get(doc_id, 0))
        summary.cites = [
            CitedReferenceOut(text=c.text, start=c.start, end=c.end, doc_id=c.doc_id)
            for c in cites.get(doc_id, [])
        ]
        listed.append(summary)
    return DocumentList(
        documents=listed,
        index_version=snapshot.version,
        indexed_at=snapshot.manifest.get("created_at"),
    )


@router.get(
    "/v1/documents/{doc_id}",
    response_model=DocumentDetail,
    responses=not_found("No such document"),
)
def document(doc_id: str, engine: EngineDep) -> DocumentDetail:
    """A document's metadata and canonical text (the text citation offsets point into)."""
    found = engine.snapshot.documents.get(doc_id)
    if found is None:
        raise DocumentNotFoundError(doc_id)
    summary = DocumentSummary.from_document(found, engine.snapshot.passage_counts().get(doc_id, 0))
    return DocumentDetail(**summary.model_dump(), text=found.text)
