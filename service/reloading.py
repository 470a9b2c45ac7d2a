"""Hot reload: a running service picks up a new index version without dropping a request.

Index versions are immutable folders and ``INDEX_DIR/CURRENT`` names the live one (see
``policyqa.index.store``). ``watch_index`` polls that pointer; when it names another version, the
new engine is loaded and warmed in the background while requests go on being answered by the
old one, then the engine reference is replaced in one assignment. A request that already holds
the old engine finishes with it: its files stay readable (memory-mapped files outlive their
deletion, and the store keeps the last three versions anyway). Every worker process watches for
itself; they share the files, not the Python objects.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from policyqa.errors import PolicyQAError
from policyqa.index.passage_store import open_store
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.settings import Settings

log = logging.getLogger("policyqa.service")


class EngineHolder(Protocol):
    """Where the service keeps its engine (``EngineState`` in ``policyqa.service.engine_state``)."""

    engine: QAEngine | None
    error: str | None
    ready: threading.Event


def watch_index(holder: EngineHolder, settings: Settings, stop: threading.Event) -> None:
    """Until ``stop`` is set, swap in every new version that ``CURRENT`` points to.

    Also brings up a service whose first load failed because no index existed yet. A version
    that fails to load is logged once and skipped; the service keeps answering from the old one.
    """
    holder.ready.wait()
    interval = settings.service.reload_interval
    failed: str | None = None
    store = open_store(settings)  # the local folder's CURRENT, or Qdrant's alias
    while not stop.wait(interval):
        try:
            version = store.current_version()
        except PolicyQAError:
            continue  # CURRENT names a version that is not there (yet): keep serving
        current = holder.engine
        if version is None or version == failed:
            continue
        if current is not None and current.snapshot.version == version:
            continue
        try:
            engine = open_engine(settings, embedder=current.embedder if current else None)
            engine.warm()
        except Exception as error:
            failed = version
            log.error("cannot load index version %s, still serving the old one: %s", version, error)
            continue
        holder.engine = engine  # one reference assignment: requests see the old or the new
        holder.error = None
        log.info("now serving index version %s (%d passages)", version, len(engine.snapshot.chunks))


def start_watching(holder: EngineHolder, settings: Settings) -> threading.Event | None:
    """Start ``watch_index`` in a daemon thread; returns the event that stops it (None: off)."""
    if settings.service.reload_interval <= 0:
        return None
    stop = threading.Event()
    threading.Thread(
        target=watch_index, args=(holder, settings, stop), name="watch-index", daemon=True
    ).start()
    return stop
