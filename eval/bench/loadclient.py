"""A load generator for ``/v1/ask``: N concurrent keep-alive clients for a fixed time.

Run as its own process (``python -m policyqa.eval.bench.loadclient URL``) so that it does not
share an interpreter with the server; prints one JSON object with throughput, latency
percentiles and errors. Plain asyncio streams speaking HTTP/1.1: on a two-core machine the
client's own CPU time is taken from the server, so it does as little as it can.

Each request asks, with probability ``--repeat-share``, one of a few popular questions (a team
asks the same things) and otherwise a question never asked before (a cache cannot help).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from policyqa.eval.bench.corpus import calibration_questions, iter_distinct_questions
from policyqa.eval.bench.measure import summarize


@dataclass
class LoadResult:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"repeated": [], "new": []})
    errors: dict[str, int] = field(default_factory=dict)
    completed: int = 0


class QuestionSource:
    """Popular questions with probability ``repeat_share``, otherwise new ones."""

    def __init__(self, repeat_share: float, popular: int, seed: int) -> None:
        self.repeat_share = repeat_share
        self.popular = calibration_questions()[:popular]
        self.fresh = iter_distinct_questions(seed)
        self.random = random.Random(seed)

    def next(self) -> tuple[str, str]:
        """(kind, question)."""
        if self.random.random() < self.repeat_share:
            return "repeated", self.random.choice(self.popular)
        return "new", next(self.fresh)


async def _client(
    host: str, port: int, deadline: float, source: QuestionSource, result: LoadResult
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        assert reader is not None
        kind, question = source.next()
        body = json.dumps({"question": question}).encode()
        request = (
            f"POST /v1/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        try:
            writer.write(request)
            await writer.drain()
            status, payload = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            result.errors[type(error).__name__] = result.errors.get(type(error).__name__, 0) + 1
            writer.close()
            writer = None
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or b'"answer"' not in payload:
            result.errors[f"HTTP {status}"] = result.errors.get(f"HTTP {status}", 0) + 1
            continue
        result.latencies[kind].append(elapsed)
        result.completed += 1
    if writer is not None:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise asyncio.IncompleteReadError(b"", None)
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return status, await reader.readexactly(length)


async def run_load(
    url: str, concurrency: int, seconds: float, repeat_share: float, popular: int, seed: int
) -> dict[str, object]:
    """Run the clients and summarise."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    source = QuestionSource(repeat_share, popular, seed)
    result = LoadResult()
    cpu_started = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(host, port, deadline, source, result) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    everything = result.latencies["repeated"] + result.latencies["new"]
    return {
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "repeat_share": repeat_share,
        "completed": result.completed,
        "answers_per_s": round(result.completed / elapsed, 1),
        "errors": sum(result.errors.values()),
        "error_kinds": result.errors,
        "latency": summarize(everything).as_dict(),
        "latency_repeated": summarize(result.latencies["repeated"]).as_dict(),
        "latency_new": summarize(result.latencies["new"]).as_dict(),
        "client_cpu_s": round(time.process_time() - cpu_started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the load result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the service, e.g. http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeat-share", type=float, default=0.5)
    parser.add_argument("--popular", type=int, default=20, help="how many popular questions")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    summary = asyncio.run(
        run_load(
            args.url, args.concurrency, args.seconds, args.repeat_share, args.popular, args.seed
        )
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
