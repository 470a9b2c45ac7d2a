"""How the app words its errors: readable validation messages, 404 for unknown documents.

A validation error's ``detail`` is one readable line ("question: String should have at least 1
character"); the structured ``errors`` follow it. The chat routes add OpenAI's ``error`` object
on top (``service.chat.openai_errors``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from policyqa.errors import DocumentNotFoundError


def add_error_handlers(app: FastAPI) -> None:
    """Register the app's exception handlers."""

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
