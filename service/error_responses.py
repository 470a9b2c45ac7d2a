"""The error responses the OpenAPI schema documents, so that it says what the service returns.

Every route can answer 400 (a ``Host`` not allowed), 408 and 413 (a body too slow or too large)
and 422 (a request that fails validation, in the app's readable shape); ``/v1`` routes also
answer 401 when reads need a key and 503 while the index loads. Routes add their own (404...)
beside these. The chat API's routes answer in OpenAI's error shape as well
(``service.chat.openai_errors``).
"""

from __future__ import annotations

from typing import Any

from policyqa.service.chat.schemas import ChatErrorOut
from policyqa.service.schemas import ErrorDetail, ValidationErrorOut

Responses = dict[int | str, dict[str, Any]]

#: What any route may answer: the guard's refusals and a request that fails validation.
EVERY_ROUTE: Responses = {
    400: {"model": ErrorDetail, "description": "The Host header is not an allowed host"},
    408: {"model": ErrorDetail, "description": "The request body did not arrive in time"},
    413: {"model": ErrorDetail, "description": "The request body is larger than the limit"},
    422: {"model": ValidationErrorOut, "description": "The request failed validation"},
}

#: What the ``/v1`` read routes answer besides: no key when reads need one, the index loading.
V1_ROUTE: Responses = {
    401: {
        "model": ErrorDetail,
        "description": "No API key, or a wrong one (only with POLICYQA_SERVICE__READ_AUTH=true)",
    },
    503: {"model": ErrorDetail, "description": "The index is loading, or failed to load"},
}

#: The chat API's errors: the same statuses with OpenAI's ``error`` object beside ``detail``.
CHAT_ROUTE: Responses = {
    status: {"model": ChatErrorOut, "description": response["description"]}
    for status, response in {**EVERY_ROUTE, **V1_ROUTE}.items()
}


def not_found(description: str, *, chat: bool = False) -> Responses:
    """A documented 404 with its meaning."""
    return {404: {"model": ChatErrorOut if chat else ErrorDetail, "description": description}}
