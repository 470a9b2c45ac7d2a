"""The FastAPI application: answers with citations, search, documents, profiles, chat, health.

``create_app(settings)`` assembles an app from the routers of ``service.routes``; its lifespan
loads the model and the index in a background thread, so ``/healthz`` answers at once and
``/readyz`` says 503 until the engine is warm. Routes get the engine through the ``EngineDep``
dependency (``policyqa.service.engine_state``). Nothing heavy happens at import time. A new index
version is picked up while serving (``policyqa.service.reloading``); repeated questions are
answered from the engine's cache.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from policyqa import __version__
from policyqa.service.api_docs import add_offline_docs
from policyqa.service.engine_state import EngineState
from policyqa.service.error_handlers import add_error_handlers
from policyqa.service.error_responses import EVERY_ROUTE
from policyqa.service.guard import GuardMiddleware
from policyqa.service.jobs import JobRunner
from policyqa.service.pipeline import QAEngine
from policyqa.service.reloading import start_watching
from policyqa.service.routes import (
    ask,
    chat,
    documents,
    health,
    models,
    page,
    profile_exports,
    profiles,
    search,
    writes,
)
from policyqa.settings import Settings, load_settings


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
        docs_url=None,  # served offline by add_offline_docs
        redoc_url=None,
        responses=EVERY_ROUTE,
    )
    app.state.settings = settings
    app.state.jobs = JobRunner(settings, lambda: app.state.engine_state)
    add_error_handlers(app)
    # the order of the OpenAPI schema's paths; profile_exports before profiles' /{country}
    for routes in (
        health,
        ask,
        search,
        documents,
        writes,
        models,
        chat,
        page,
        profile_exports,
        profiles,
    ):
        app.include_router(routes.router)
    app.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")
    add_offline_docs(app)
    origins = settings.service.cors_origin_list()
    if origins:  # CORS stays off unless configured
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(GuardMiddleware, settings=settings)  # outermost: runs first
    return app


def create_app_from_environment() -> FastAPI:
    """App factory for ``uvicorn --factory`` (each worker reads POLICYQA_* settings)."""
    return create_app(load_settings())
