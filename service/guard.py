"""What every request passes first: allowed Host, read keys, body size; security headers.

A pure ASGI middleware, so that a body too large is refused while it streams in (from its
Content-Length, or as soon as more bytes than the limit arrived) before anything parses it:
``POLICYQA_SERVICE__MAX_BODY_BYTES`` for every request, ``POLICYQA_INGEST__MAX_FILE_MB`` (plus
room for the form's other fields) for uploads. The Host check defeats DNS rebinding: a page on
another site that resolves its own name to 127.0.0.1 still sends its own name as Host.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException

from policyqa.service.auth import key_problem
from policyqa.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The page loads its own script, style sheet and images only; no inline script, no framing.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Swagger UI and ReDoc (served from the package) start from one inline script of FastAPI's.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
UPLOAD_PATH = "/v1/documents"
FORM_ALLOWANCE = 64 * 1024  # the multipart framing and the small fields beside the file


class GuardMiddleware:
    """Refuses what must not reach the app; adds the security headers to what it answers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = set(settings.service.allowed_host_list())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        path: str = scope.get("path", "")
        refusal = self._refusal(scope, headers, path)
        if refusal is not None:
            await _send_error(send, *refusal)
            return
        limit = self._limit(scope, path)

        received = 0
        body_done = False
        # the whole body within body_timeout: a client that trickles it cannot hold a worker
        deadline = time.monotonic() + self.settings.service.body_timeout

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body only a disconnect can come: no deadline on it
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                detail = _too_slow(self.settings.service.body_timeout)
                raise HTTPException(408, detail, headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _too_large(limit, path))
                body_done = not message.get("more_body", False)
            return message

        csp = DOCS_CSP if path.startswith(DOCS_PATHS) else PAGE_CSP

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, limited_receive, secured_send)

    def _refusal(
        self, scope: Scope, headers: dict[str, bytes], path: str
    ) -> tuple[int, str] | None:
        host = _host_name(headers.get("host", b"").decode("latin-1"))
        if "*" not in self.hosts and host not in self.hosts:
            return 400, (f"host {host!r} is not allowed; add it to POLICYQA_SERVICE__ALLOWED_HOSTS")
        service = self.settings.service
        if service.read_auth and path.startswith("/v1/"):
            authorization = headers.get("authorization")
            problem = key_problem(
                service, None if authorization is None else authorization.decode("latin-1")
            )
            if problem is not None:
                return 401, problem
        length = headers.get("content-length")
        limit = self._limit(scope, path)
        if length is not None and length.isdigit() and int(length) > limit:
            return 413, _too_large(limit, path)
        return None

    def _limit(self, scope: Scope, path: str) -> int:
        if scope.get("method") == "POST" and path == UPLOAD_PATH:
            return self.settings.ingest.max_file_mb * (1 << 20) + FORM_ALLOWANCE
        return self.settings.service.max_body_bytes


def _host_name(host: str) -> str:
    """The Host header without its port: ``[::1]:8000`` -> ``::1``, ``a.b:80`` -> ``a.b``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _too_slow(timeout: float) -> str:
    return f"the request body did not arrive within {timeout:g} s (POLICYQA_SERVICE__BODY_TIMEOUT)"


def _too_large(limit: int, path: str) -> str:
    setting = (
        "POLICYQA_INGEST__MAX_FILE_MB"
        if path == UPLOAD_PATH
        else "POLICYQA_SERVICE__MAX_BODY_BYTES"
    )
    return f"the request body is larger than {limit} bytes ({setting})"


async def _send_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
