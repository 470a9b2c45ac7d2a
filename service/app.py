"""The FastAPI application: answers with citations, search, documents, health.

``create_app(settings)`` builds an app; its lifespan loads the model and the index in a background
thread, so ``/healthz`` answers at once and ``/readyz`` says 503 until the engine is warm. Routes
get the engine through the ``EngineDep`` dependency (``policyqa.service.engine_state``). Nothing
heavy happens at import time. A new index version is picked up while serving
(``policyqa.service.reloading``); repeated questions are answered from the engine's cache.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from policyqa import __version__
from policyqa.errors import DocumentNotFoundError
from policyqa.index import SearchFilters, describe_index
from policyqa.service import chat, page
from policyqa.service.engine_state import EngineDep, EngineState
from policyqa.service.pipeline import QAEngine
from policyqa.service.profiles_api import router as profiles_router
from policyqa.service.reloading import start_watching
from policyqa.service.schemas import (
    AskRequest,
    AskResponse,
    CitationOut,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    Health,
    Passage,
    SearchResponse,
)
from policyqa.settings import Settings


def create_app(
    settings: Settings | None = None,
    engine: QAEngine | None = None,
    build_if_missing: bool = False,
) -> FastAPI:
    """An app over the index in ``settings.index_dir`` (or over a ready ``engine``)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = EngineState()
        app.state.engine_state = state
        if engine is not None:
            state.engine = engine
            state.ready.set()
        else:
            threading.Thread(
                target=state.load, args=(settings, build_if_missing), name="load-index", daemon=True
            ).start()
        stop_watching = start_watching(state, settings)
        yield
        if stop_watching is not None:
            stop_watching.set()

    app = FastAPI(
        title="policyqa",
        version=__version__,
        summary="Questions answered from cluster-policy factsheets, with verifiable citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    _add_error_handlers(app)
    _add_routes(app)
    app.include_router(chat.router)
    page.add_page(app)
    app.include_router(profiles_router)
    return app


def create_app_from_environment() -> FastAPI:
    """App factory for ``uvicorn --factory`` (each worker reads POLICYQA_* settings)."""
    return create_app(Settings())


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def readable_validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        messages = []
        for problem in error.errors():
            location = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
            messages.append(f"{location}: {problem.get('msg')}" if location else problem.get("msg"))
        return JSONResponse(
            status_code=422,
            content={
                "detail": "; ".join(str(message) for message in messages),
                "errors": _jsonable(error.errors()),
            },
        )

    @app.exception_handler(DocumentNotFoundError)
    async def unknown_document(_: Request, error: DocumentNotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(error)})


def _jsonable(errors: Any) -> Any:
    """Validation errors without the non-JSON ``ctx`` objects pydantic may attach."""
    return [
        {key: value for key, value in error.items() if key in ("loc", "msg", "type")}
        for error in errors
    ]


def _add_routes(app: FastAPI) -> None:
    @app.get("/healthz", response_model=Health, tags=["health"])
    def healthz() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get("/readyz", response_model=Health, tags=["health"], responses={503: {"model": Health}})
    def readyz(request: Request) -> Any:
        """Ready when the index is loaded and the model warm; 503 until then."""
        state: EngineState = request.app.state.engine_state
        if state.engine is not None:
            return Health(status="ready", index=describe_index(state.engine.snapshot))
        status = "failed" if state.error else "loading"
        return JSONResponse(
            status_code=503, content=Health(status=status, detail=state.error).model_dump()
        )

    @app.post("/v1/ask", response_model=AskResponse, tags=["answers"])
    def ask(body: AskRequest, engine: EngineDep) -> AskResponse:
        """Answer a question with statements cited to exact spans of the documents."""
        filters = SearchFilters(body.filters.country, body.filters.doc_id, body.filters.section)
        if filters.doc_id is not None and filters.doc_id not in engine.snapshot.documents:
            raise DocumentNotFoundError(filters.doc_id)
        result, _ = engine.ask_cached(body.question, body.top_k, filters)
        return AskResponse(
            answer=result.answer.text,
            answerable=result.answer.answerable,
            citations=[CitationOut.from_citation(c) for c in result.answer.citations],
            timings_ms=result.timings_ms,
        )

    @app.get("/v1/search", response_model=SearchResponse, tags=["search"])
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

    @app.get("/v1/documents", response_model=DocumentList, tags=["documents"])
    def documents(engine: EngineDep) -> DocumentList:
        """Every indexed document with its metadata and passage count."""
        counts = engine.snapshot.passage_counts()
        return DocumentList(
            documents=[
                DocumentSummary.from_document(document, counts.get(doc_id, 0))
                for doc_id, document in sorted(engine.snapshot.documents.items())
            ]
        )

    @app.get(
        "/v1/documents/{doc_id}",
        response_model=DocumentDetail,
        tags=["documents"],
        responses={404: {"description": "No such document"}},
    )
    def document(doc_id: str, engine: EngineDep) -> DocumentDetail:
        """A document's metadata and canonical text (the text citation offsets point into)."""
        found = engine.snapshot.documents.get(doc_id)
        if found is None:
            raise DocumentNotFoundError(doc_id)
        summary = DocumentSummary.from_document(
            found, engine.snapshot.passage_counts().get(doc_id, 0)
        )
        return DocumentDetail(**summary.model_dump(), text=found.text)
