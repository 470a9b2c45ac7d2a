"""``GET /v1/search``: ranked passages for a search box query, with facet counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from policyqa.index import SearchFilters
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import V1_ROUTE
from policyqa.service.schemas import Passage, SearchResponse

router = APIRouter(tags=["search"], responses=V1_ROUTE)


@router.get("/v1/search", response_model=SearchResponse)
def search(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Search query.")],
    k: Annotated[int, Query(ge=1, le=100, description="Passages to return.")] = 10,
    country: Annotated[str | None, Query(max_length=100)] = None,
    section: Annotated[str | None, Query(max_length=300)] = None,
    doc_id: Annotated[str | None, Query(max_length=300)] = None,
) -> SearchResponse:
    """Ranked passages for a query, with facet counts by country and section."""
    result = engine.search(q, k, SearchFilters(country, doc_id, section))
    return SearchResponse(
        query=q,
        results=[Passage.from_hit(hit) for hit in result.hits],
        facets=result.facets,
        timings_ms=result.timings_ms,
    )
