"""``GET /v1/models``: the one model chat requests name, in the OpenAI list shape."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from policyqa.service.chat.openai_errors import OpenAIErrorRoute
from policyqa.service.chat.schemas import MODEL_ID, OPENAI_TAG, ModelCard, ModelList
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import CHAT_ROUTE
from policyqa.service.pipeline import QAEngine

router = APIRouter(tags=[OPENAI_TAG], route_class=OpenAIErrorRoute, responses=CHAT_ROUTE)


@router.get("/v1/models", response_model=ModelList)
def list_models(engine: EngineDep) -> ModelList:
    """The model to name in chat requests, in the OpenAI list shape."""
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_index_created(engine))])


def _index_created(engine: QAEngine) -> int:
    """Unix time the live index version was written (0 when its manifest does not say)."""
    created = engine.snapshot.manifest.get("created_at")
    try:
        return int(datetime.fromisoformat(str(created)).timestamp())
    except ValueError:
        return 0
