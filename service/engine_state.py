"""Where the service keeps its engine, and how routes get it.

``EngineState`` holds the engine once the lifespan has loaded it (or the error that stopped it);
routes declare ``engine: EngineDep`` and get 503 while it is loading. Routers import this module,
not ``policyqa.service.app``, so the app can include them without an import loop.
"""

from __future__ import annotations

import logging
import threading
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from policyqa.errors import PolicyQAError
from policyqa.index import describe_index
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.settings import Settings

log = logging.getLogger("policyqa.service")


class EngineState:
    """The engine once loaded, or the error that stopped it from loading."""

    def __init__(self) -> None:
        self.engine: QAEngine | None = None
        self.error: str | None = None
        self.ready = threading.Event()

    def load(self, settings: Settings, build_if_missing: bool) -> None:
        """Load model and index, warm the model with one query; record any failure."""
        try:
            engine = open_engine(settings, build_if_missing=build_if_missing, on_build=log.info)
            engine.warm()
            self.engine = engine
            log.info("ready: %s", describe_index(engine.snapshot))
        except PolicyQAError as error:
            self.error = redact_paths(str(error), settings)
            log.error("cannot load the index: %s", error)
        except Exception as error:  # keep the process up and report it on /readyz
            self.error = redact_paths(f"{type(error).__name__}: {error}", settings)
            log.exception("cannot load the engine")
        finally:
            self.ready.set()


def redact_paths(message: str, settings: Settings) -> str:
    """``message`` with the server's folders named by their settings, not their paths.

    Responses must not reveal the server's layout; the log keeps the full message.
    """
    for folder, name in ((settings.index_dir, "INDEX_DIR"), (settings.corpus_dir, "CORPUS_DIR")):
        for spelling in {str(folder), str(folder.resolve())}:
            message = message.replace(spelling, name)
    return message


def get_engine(request: Request) -> QAEngine:
    """The loaded engine, or 503 while it is loading or after it failed to load."""
    state: EngineState = request.app.state.engine_state
    if state.engine is None:
        detail = state.error or "the index is loading; retry shortly"
        raise HTTPException(status_code=503, detail=detail)
    return state.engine


EngineDep = Annotated[QAEngine, Depends(get_engine)]
