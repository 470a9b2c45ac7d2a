"""API keys: ``Authorization: Bearer KEY`` with a key from ``POLICYQA_SERVICE__API_KEYS``.

Write endpoints always need a key; with ``POLICYQA_SERVICE__READ_AUTH=true`` every ``/v1/`` read
does too (``service.guard``). Without configured keys the write endpoints are off (403). Keys are
compared in constant time, against every configured key, so timing tells nothing about them.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from policyqa.settings import ServiceSettings

WRITES_OFF = "writes are off on this server: set POLICYQA_SERVICE__API_KEYS to enable them"
MISSING_KEY = "this endpoint needs an API key: send the header Authorization: Bearer KEY"
WRONG_KEY = "the API key is not valid"


def bearer_key(authorization: str | None) -> str | None:
    """The key of an ``Authorization: Bearer KEY`` header, or None."""
    if not authorization:
        return None
    scheme, _, key = authorization.partition(" ")
    return key.strip() or None if scheme.lower() == "bearer" else None


def key_problem(settings: ServiceSettings, authorization: str | None) -> str | None:
    """Why the request's key is refused (None: accepted)."""
    key = bearer_key(authorization)
    if key is None:
        return MISSING_KEY
    given = key.encode("utf-8", "surrogateescape")
    matched = False
    for known in settings.api_key_list():  # no early exit: every key is compared
        matched |= hmac.compare_digest(given, known.encode("utf-8"))
    return None if matched else WRONG_KEY


def require_write_key(request: Request) -> None:
    """Dependency of the write endpoints: 403 when writes are off, 401 without a valid key."""
    settings: ServiceSettings = request.app.state.settings.service
    if not settings.api_key_list():
        raise HTTPException(status_code=403, detail=WRITES_OFF)
    problem = key_problem(settings, request.headers.get("authorization"))
    if problem is not None:
        raise HTTPException(status_code=401, detail=problem, headers={"WWW-Authenticate": "Bearer"})
