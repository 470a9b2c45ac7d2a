"""Query latency in process: ``/v1/ask`` and ``/v1/search`` through the real app, caches off.

Each request is timed through the ASGI app (FastAPI's TestClient: routing, validation, JSON),
alternating with a bare embedding of the same question, which is the floor no request can beat.
Answers from the cache are timed separately.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi.testclient import TestClient

from policyqa.eval.bench.measure import summarize, time_ms
from policyqa.index import Embedder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings


def with_section(settings: Settings, section: str, **values: Any) -> Settings:
    """A copy of ``settings`` with fields of one nested section replaced."""
    data = settings.model_dump()
    data[section] = {**data[section], **values}
    return Settings.model_validate(data)


def query_latency(
    settings: Settings,
    embedder: Embedder,
    bare: Embedder,
    questions: list[str],
    requests: int,
) -> dict[str, Any]:
    """Median and p95 of /v1/ask and /v1/search with the bare query embedding beside them.

    ``embedder`` is what the service uses (without its cache), ``bare`` the model alone.
    """
    uncached = with_section(settings, "service", answer_cache_size=0)
    engine = open_engine(uncached, embedder=embedder)
    stages: dict[str, list[float]] = {}
    with TestClient(create_app(uncached, engine=engine)) as client:

        def ask(question: str) -> None:
            response = client.post("/v1/ask", json={"question": question})
            response.raise_for_status()
            for stage, value in response.json()["timings_ms"].items():
                stages.setdefault(stage, []).append(value)

        def search(question: str) -> None:
            client.get("/v1/search", params={"q": question}).raise_for_status()

        for question in questions[:5]:  # warm caches of the OS, allocator and tokenizer
            ask(question)
            search(question)
        stages.clear()
        asks, embeds_a, ask_ratios = _alternate(ask, bare, questions, requests)
        searches, embeds_s, _ = _alternate(search, bare, questions, requests)
    cached = _cached_ask(settings, embedder, questions, requests)
    return {
        "passages": len(engine.snapshot.chunks),
        "documents": len(engine.snapshot.documents),
        "index_type": engine.snapshot.index_type,
        "ask": summarize(asks).as_dict(),
        "search": summarize(searches).as_dict(),
        "embed_query": summarize(embeds_a + embeds_s).as_dict(),
        "ask_to_embed_ratio": round(statistics.median(ask_ratios), 2),
        "ask_cached": cached,
        "stages_median_ms": {
            stage: round(statistics.median(values), 3) for stage, values in stages.items()
        },
    }


def _alternate(
    request: Callable[[str], None], embedder: Embedder, questions: list[str], count: int
) -> tuple[list[float], list[float], list[float]]:
    """Time ``request`` and a bare embedding of each question, side by side (order alternates)."""
    requests: list[float] = []
    embeds: list[float] = []
    for number in range(count):
        question = questions[number % len(questions)]
        embed = partial(embedder.embed_query, question)
        if number % 2:
            embeds.append(time_ms(embed))
            requests.append(time_ms(partial(request, question)))
        else:
            requests.append(time_ms(partial(request, question)))
            embeds.append(time_ms(embed))
    ratios = [full / floor for full, floor in zip(requests, embeds, strict=True) if floor > 0]
    return requests, embeds, ratios


def _cached_ask(
    settings: Settings, embedder: Embedder, questions: list[str], count: int
) -> dict[str, Any]:
    """/v1/ask for questions asked before (the answer cache on)."""
    cached = with_section(settings, "service", answer_cache_size=max(1024, len(questions)))
    with TestClient(create_app(cached, engine=open_engine(cached, embedder=embedder))) as client:
        for question in questions:
            client.post("/v1/ask", json={"question": question}).raise_for_status()

        def ask(question: str) -> None:
            client.post("/v1/ask", json={"question": question}).raise_for_status()

        times = [
            time_ms(partial(ask, questions[number % len(questions)])) for number in range(count)
        ]
    return summarize(times).as_dict()
