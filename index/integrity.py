"""An index version proves itself before it is served: every file against its manifest hash.

The manifest lists the sha256 of every file of its version (``files``). ``verify_version``
re-hashes them, streamed in 1 MB blocks, and refuses a version with a missing, extra-short or
changed file, so that flipped bytes in ``dense.faiss`` cannot serve wrong rankings, a truncated
memory-mapped file cannot kill a worker with SIGBUS, and a damaged ``vectors.npy`` is never copied
into the next version. Files are checked generically: whatever a version lists is verified.

``candidate_versions`` orders the versions to try: the one ``CURRENT`` names, then the others,
newest first, so that a reader can fall back to the newest intact version.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from policyqa.errors import IndexCorruptError

BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in blocks (bounded memory whatever its size)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_version(path: Path, manifest: dict[str, Any]) -> float:
    """Check every file the manifest lists against its hash; returns the milliseconds it took.

    Raises ``IndexCorruptError`` naming the first file that is missing or differs.
    """
    started = time.perf_counter()
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexCorruptError(f"index version {path.name}: the manifest lists no file hashes")
    for name, expected in sorted(files.items()):
        file = path / name
        if not file.resolve().is_relative_to(path.resolve()):
            raise IndexCorruptError(f"index version {path.name}: the manifest names {name!r}")
        try:
            actual = file_sha256(file)
        except OSError as error:
            raise IndexCorruptError(
                f"index version {path.name}: {name} cannot be read ({error.strerror or error})"
            ) from error
        if actual != expected:
            raise IndexCorruptError(
                f"index version {path.name}: {name} is damaged (its sha256 differs from the "
                "manifest's)"
            )
    return round((time.perf_counter() - started) * 1000, 3)


def candidate_versions(versions: Path, current: str | None) -> list[Path]:
    """The version ``CURRENT`` names first, then every other complete one, newest first."""
    others = (
        sorted(
            (
                entry
                for entry in versions.iterdir()
                if entry.name.startswith("v") and entry.is_dir()
            ),
            key=lambda entry: entry.name,
            reverse=True,
        )
        if versions.is_dir()
        else []
    )
    ordered = [entry for entry in others if entry.name == current]
    return ordered + [entry for entry in others if entry.name != current]
