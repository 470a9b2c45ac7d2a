"""``/healthz`` (the process is up) and ``/readyz`` (the engine is loaded and warm)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from policyqa.index import describe_index
from policyqa.service.engine_state import EngineState
from policyqa.service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request) -> Any:
    """Ready when the index is loaded and the model warm; 503 until then."""
    # read the state itself, not EngineDep: this route answers while the engine is loading
    state: EngineState = request.app.state.engine_state
    if state.engine is not None:
        return Health(status="ready", index=describe_index(state.engine.snapshot))
    status = "failed" if state.error else "loading"
    return JSONResponse(
        status_code=503, content=Health(status=status, detail=state.error).model_dump()
    )
