"""Each file parsed in a worker process with CPU-time and address-space limits.

A hostile file (a PDF whose pages share one enormous content stream, a 50 MB Markdown file)
can make a parser run for minutes and take gigabytes. Here ``load_document`` runs in a forked
child with ``RLIMIT_CPU`` (``POLICYQA_INGEST__FILE_TIMEOUT`` seconds) and ``RLIMIT_AS`` (its
current size plus ``POLICYQA_INGEST__FILE_MEMORY_MB``), and the parent also stops waiting after
a wall-clock allowance: the file fails alone, with a one-line reason, the rest of the batch goes
on and the writer lock is released on time. ``load_document``'s signature is unchanged; the
Document comes back pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from policyqa import errors
from policyqa.errors import IngestError, UnreadableDocumentError
from policyqa.ingest import Document, DocumentKind, load_document
from policyqa.settings import IngestSettings

WALL_ALLOWANCE = 2.0  # wall-clock time per CPU second allowed before the child is killed


def load_isolated(
    path: Path,
    limits: IngestSettings,
    *,
    country: str | None = None,
    kind: DocumentKind | None = None,
    sha256: str | None = None,
) -> Document:
    """``load_document(path, ...)`` in a child process bounded by ``limits``.

    Raises the ``IngestError`` the parser raised, or ``UnreadableDocumentError`` when the child
    ran out of time or memory or died.
    """
    # fork: the child needs nothing but the parser, already imported, and starts in milliseconds
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_parse_in_child,
        args=(sender, path, country, kind, sha256, limits.file_timeout, limits.file_memory_mb),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.file_timeout * WALL_ALLOWANCE + 5):
            raise UnreadableDocumentError(str(path), _too_slow(limits))
        try:
            outcome: tuple[Any, ...] = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            raise UnreadableDocumentError(str(path), _died(child.exitcode, limits)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if outcome[0] == "ok":
        document: Document = outcome[1]
        return document
    if outcome[0] == "memory":
        raise UnreadableDocumentError(str(path), _too_big(limits))
    _, name, failed_path, reason = outcome
    error_class = getattr(errors, name, UnreadableDocumentError)
    if not (isinstance(error_class, type) and issubclass(error_class, IngestError)):
        error_class = UnreadableDocumentError
    raise error_class(failed_path, reason)


def _parse_in_child(
    sender: Connection,
    path: Path,
    country: str | None,
    kind: DocumentKind | None,
    sha256: str | None,
    cpu_seconds: float,
    memory_mb: int,
) -> None:
    cpu = max(1, int(cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # the forked child already maps what its parent mapped (model weights, libraries): the limit
    # is what it may add to that
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    ceiling = pages * os.sysconf("SC_PAGE_SIZE") + memory_mb * (1 << 20)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    try:
        document = load_document(path, country=country, kind=kind, sha256=sha256)
        outcome: tuple[Any, ...] = ("ok", document)
    except IngestError as error:
        outcome = ("error", type(error).__name__, error.path, error.reason)
    except MemoryError:
        outcome = ("memory",)
    except OSError as error:
        outcome = ("error", "UnreadableDocumentError", str(path), error.strerror or str(error))
    except Exception as error:  # a parser bug on a strange file: that file fails, in one line
        reason = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        outcome = ("error", "UnreadableDocumentError", str(path), reason)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory",))
    sender.close()


def _too_slow(limits: IngestSettings) -> str:
    return (
        f"parsing took more than {limits.file_timeout:g} s (POLICYQA_INGEST__FILE_TIMEOUT); skipped"
    )


def _too_big(limits: IngestSettings) -> str:
    return (
        f"parsing needs more than {limits.file_memory_mb} MB "
        "(POLICYQA_INGEST__FILE_MEMORY_MB); skipped"
    )


def _died(exitcode: int | None, limits: IngestSettings) -> str:
    if exitcode is not None and -exitcode in (24, 9):  # SIGXCPU, SIGKILL
        return _too_slow(limits)
    return f"the parser stopped (exit status {exitcode}); skipped"
