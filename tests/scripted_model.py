"""A scripted OpenAI-compatible model server for the generation tests (no model runs here).

``ScriptedModel`` is a real HTTP server on loopback speaking the chat completions API with
Server-Sent Events. It writes its replies from the numbered statements of the request (the
prompt's ``[n] text`` lines), following ``script``:

- ``faithful``: the first two statements restated, each citing its own number;
- ``wrong_number``: the first statement holding a number, restated with the number changed;
- ``invented_citation``: a faithful sentence that also cites a statement that was not given;
- ``no_citation``: a faithful sentence, then a claim with no citation;
- ``invented_claim``: a faithful sentence, then a claim its citation does not support;
- ``timeout``: waits ``delay`` seconds before answering; ``stall``: half the answer, then waits;
- ``broken_json``: an event that is not JSON; ``garbage``: plain text, not events;
  ``http_error``: HTTP 500.

It records every request (headers and body), and streams word by word with ``pause`` seconds
between words, so tests can see the tokens arrive one by one.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

INVENTED_ID = 99
#: A claim no Morocco or Valdoria statement supports.
INVENTED_CLAIM = "The programme also built a spaceport for the national astronaut corps"


def statements_of(messages: list[dict[str, Any]]) -> dict[int, str]:
    """The numbered statements of the last user message."""
    text = messages[-1]["content"]
    return {int(n): s.strip() for n, s in re.findall(r"^\[(\d+)\] (.+)$", text, re.MULTILINE)}


def restated(text: str) -> str:
    """A statement's first sentence, introduced as a model would."""
    text = re.sub(r"^\([^)]*\)\s*", "", text)  # the section label policyqa puts first
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[0].rstrip(" .;")
    return f"According to the documents, {first[:1].lower() + first[1:]}"


def reply(script: str, statements: dict[int, str]) -> str:
    """The reply text for ``script``."""
    ids = sorted(statements)
    first = f"{restated(statements[ids[0]])}. [{ids[0]}]"
    second = f" {restated(statements[ids[1]])}. [{ids[1]}]" if len(ids) > 1 else ""
    if script in ("faithful", "timeout", "stall"):
        return first + second
    if script == "wrong_number":
        number_id = next(n for n in ids if re.search(r"\d", statements[n]))
        wrong = re.sub(
            r"\d+", lambda m: str(int(m.group(0)) + 7), restated(statements[number_id]), count=1
        )
        return f"{first} {wrong}. [{number_id}]"
    if script == "invented_citation":
        return f"{restated(statements[ids[0]])}. [{ids[0]}][{INVENTED_ID}]{second}"
    if script == "no_citation":
        return f"{first} {INVENTED_CLAIM}."
    if script == "invented_claim":
        return f"{first} {INVENTED_CLAIM}. [{ids[0]}]"
    raise ValueError(f"unknown script {script!r}")


class ScriptedModel:
    """The server: ``url`` is its OpenAI base URL (``.../v1``); ``close()`` stops it."""

    def __init__(self, script: str = "faithful", pause: float = 0.0, delay: float = 3.0) -> None:
        self.script = script
        self.pause = pause
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                model.requests.append({"headers": dict(self.headers), "body": body})
                model.respond(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def respond(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        """Answer one request as the script says."""
        script = self.script
        if script == "http_error":
            self._send(handler, 500, "application/json", b'{"error": "scripted failure"}')
            return
        if script == "garbage":
            self._send(handler, 200, "text/plain", b"<html>not an event stream</html>")
            return
        if script == "timeout":
            time.sleep(self.delay)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Connection", "close")
        handler.end_headers()
        if script == "broken_json":
            self._event(handler, '{"choices": [{"delta": {"content": "Mor')
            return
        words = re.findall(r"\S+\s*", reply(script, statements_of(body["messages"])))
        for index, word in enumerate(words):
            if script == "stall" and index == len(words) // 2:
                time.sleep(self.delay)
            chunk = {"object": "chat.completion.chunk", "choices": [{"delta": {"content": word}}]}
            if not self._event(handler, json.dumps(chunk)):
                return
            time.sleep(self.pause)
        self._event(handler, "[DONE]")

    @staticmethod
    def _event(handler: BaseHTTPRequestHandler, data: str) -> bool:
        try:
            handler.wfile.write(f"data: {data}\n\n".encode())
            handler.wfile.flush()
            return True
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
            return False

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, kind: str, data: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
