"""A file that costs too much time or memory to parse fails alone; the batch and the lock go on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from policyqa.index import IndexBuilder, isolation
from policyqa.ingest import Document, load_document
from policyqa.settings import IngestSettings, Settings
from tests.conftest import FakeEmbedder

NOTE = "CLUSTER NOTE\n\nClusters need patient funding.\n"


def _hostile_loader(path: Path, **options: object) -> Document:
    """The real loader, except for files named to hang or to eat memory (runs in the child)."""
    if path.name.startswith("hang"):
        while True:  # a parser stuck in a loop: burns CPU until the limit stops it
            pass
    if path.name.startswith("bomb"):
        hoard = [bytearray(64 << 20) for _ in range(64)]  # 4 GB, past the 256 MB limit
        del hoard
    return load_document(path, **options)  # type: ignore[arg-type]


@pytest.mark.slow  # a CPU second per hostile file, more on a busy machine
def test_a_slow_or_greedy_file_fails_alone_and_frees_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolation, "load_document", _hostile_loader)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("good.md", "hang.md", "bomb.md"):
        (folder / name).write_text(NOTE, "utf-8")
    settings = Settings(
        index_dir=tmp_path / "index", ingest=IngestSettings(file_timeout=1, file_memory_mb=256)
    )
    builder = IndexBuilder(settings, FakeEmbedder())
    started = time.monotonic()
    report = builder.ingest_paths([folder])
    assert time.monotonic() - started < 30
    assert report.added == ["good.md"]
    reasons = {Path(failure.path).name: failure.error for failure in report.failed}
    assert "FILE_TIMEOUT" in reasons["hang.md"] and "FILE_MEMORY_MB" in reasons["bomb.md"]
    other = tmp_path / "other.md"
    other.write_text(NOTE + "More.\n", "utf-8")
    assert builder.ingest_paths([other]).added == ["other.md"]  # the writer lock was released


def test_a_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("CLUSTER NOTE\n\n" + "word " * 250_000, "utf-8")
    settings = Settings(index_dir=tmp_path / "index", ingest=IngestSettings(max_file_mb=1))
    (tmp_path / "small.md").write_text(NOTE, "utf-8")
    report = IndexBuilder(settings, FakeEmbedder()).ingest_paths([big, tmp_path / "small.md"])
    assert report.added == ["small.md"]
    assert any("MAX_FILE_MB" in failure.error for failure in report.failed)
