"""Error responses that OpenAI SDKs can read, for the chat API's routes.

OpenAI SDKs show ``error.message`` and nothing else of an error body; policyqa's clients read
``detail``. The chat and model routes send both, with the same readable message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from policyqa.errors import DocumentNotFoundError


class OpenAIErrorRoute(APIRoute):
    """A route whose error responses also carry OpenAI's ``error`` object.

    OpenAI SDKs show ``error.message`` and nothing else of an error body; policyqa's clients read
    ``detail``. Both are sent, with the same readable message.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def with_openai_errors(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError as error:
                # the app's handler words the message; keep its body and add the error object
                readable = request.app.exception_handlers[RequestValidationError]
                response = await readable(request, error)
                body = json.loads(bytes(response.body))
                return openai_error(422, body["detail"], code="invalid_request", extra=body)
            except DocumentNotFoundError as error:
                return openai_error(404, str(error), param="filters.doc_id", code="not_found")
            except HTTPException as error:  # 503 while the index loads (SDKs retry it)
                return openai_error(error.status_code, str(error.detail), code="unavailable")

        return with_openai_errors


def openai_error(
    status: int,
    message: str,
    *,
    code: str,
    param: str | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """An error body readable by OpenAI SDKs (``error``) and by policyqa's clients (``detail``)."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    error = {"message": message, "type": kind, "param": param, "code": code}
    return JSONResponse(
        status_code=status, content={**(extra or {}), "detail": message, "error": error}
    )
