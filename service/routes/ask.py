"""``POST /v1/ask``: a question answered with statements cited to exact spans."""

from __future__ import annotations

from fastapi import APIRouter

from policyqa.errors import DocumentNotFoundError
from policyqa.index import SearchFilters
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import V1_ROUTE, not_found
from policyqa.service.schemas import AskRequest, AskResponse, CitationOut, RouteOut

router = APIRouter(tags=["answers"], responses=V1_ROUTE)


@router.post(
    "/v1/ask",
    response_model=AskResponse,
    responses=not_found("No document with the filter's doc_id"),
)
def ask(body: AskRequest, engine: EngineDep) -> AskResponse:
    """Answer a question with statements cited to exact spans of the documents."""
    filters = SearchFilters(body.filters.country, body.filters.doc_id, body.filters.section)
    if filters.doc_id is not None and filters.doc_id not in engine.snapshot.documents:
        raise DocumentNotFoundError(filters.doc_id)
    result, _ = engine.ask_cached(body.question, body.top_k, filters)
    if engine.generator is not None:  # a configured model writes the answer (docs/generation.md)
        result = engine.generator.rewrite(result, body.question)
    return AskResponse(
        answer=result.answer.text,
        answerable=result.answer.answerable,
        citations=[CitationOut.from_citation(c) for c in result.answer.citations],
        timings_ms=result.timings_ms,
        route=RouteOut(kind=result.route.kind, reason=result.route.reason)
        if result.route
        else None,
        generated=result.answer.generated,
        removed_sentences=result.answer.removed,
        note=result.answer.note,
    )
