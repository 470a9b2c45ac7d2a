"""``/healthz`` (the process is up) and ``/readyz`` (the engine is loaded and warm)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from policyqa.index import describe_index
from policyqa.service.engine_state import EngineState, redact_paths
from policyqa.service.schemas import Health

router = APIRouter(tags=["health"])


def _access(request: Request) -> dict[str, bool]:
    service = request.app.state.settings.service
    return {"write_enabled": bool(service.api_key_list()), "read_auth": service.read_auth}


@router.get("/healthz", response_model=Health)
def healthz(request: Request) -> Health:
    """The process is up; says whether writes are enabled."""
    return Health(status="ok", **_access(request))


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(request: Request) -> Any:
    """Ready when the index is loaded and the model warm; 503 until then."""
    # read the state itself, not EngineDep: this route answers while the engine is loading
    state: EngineState = request.app.state.engine_state
    if state.engine is not None:
        snapshot = state.engine.snapshot
        fallback_reason = getattr(snapshot, "fallback_reason", None)  # local store only
        return Health(
            status="ready",
            index=describe_index(snapshot),
            detail=redact_paths(fallback_reason, request.app.state.settings)
            if fallback_reason
            else None,
            **_access(request),
        )
    status = "failed" if state.error else "loading"
    content = Health(status=status, detail=state.error, **_access(request)).model_dump()
    return JSONResponse(status_code=503, content=content)
