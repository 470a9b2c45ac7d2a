"""An index version proves itself: damaged files are refused, the newest intact version served."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa import cli
from policyqa.errors import IndexCorruptError
from policyqa.index import (
    IndexBuilder,
    chunker_description,
    describe_model,
    embedding,
    load_snapshot,
)
from policyqa.index.store import CURRENT_FILE, IndexSnapshot
from policyqa.service import pipeline
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder


def _load(settings: Settings, embedder: FakeEmbedder) -> IndexSnapshot:
    return load_snapshot(
        settings.index_dir, describe_model(embedder), chunker_description(settings.chunking)
    )


def _two_versions(tmp_path: Path, settings: Settings, embedder: FakeEmbedder) -> tuple[str, str]:
    builder = IndexBuilder(settings, embedder)
    older = builder.ingest_paths([MOROCCO_MD]).version
    note = tmp_path / "note.md"
    note.write_text("CLUSTER NOTE\n\nClusters need patient funding.\n", "utf-8")
    newer = builder.ingest_paths([note]).version
    assert older and newer
    return older, newer


def _flip_byte(path: Path, offset: int = -100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flip dense.faiss", "truncate vectors.npy", "drop bm25"])
def test_a_damaged_version_is_refused_and_the_newest_intact_one_served(
    damage: str, tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    older, newer = _two_versions(tmp_path, settings, fake_embedder)
    folder = settings.index_dir / "versions" / newer
    if damage == "flip dense.faiss":
        _flip_byte(folder / "dense.faiss")
    elif damage == "truncate vectors.npy":
        with (folder / "vectors.npy").open("r+b") as handle:
            handle.truncate(200)
    else:
        for file in (folder / "bm25").iterdir():
            file.unlink()
            break
    snapshot = _load(settings, fake_embedder)
    assert snapshot.version == older and "note.md" not in snapshot.documents
    assert snapshot.fallback_reason is not None
    assert newer in snapshot.fallback_reason and older in snapshot.fallback_reason
    assert str(settings.index_dir) not in snapshot.fallback_reason  # no server paths
    assert (settings.index_dir / CURRENT_FILE).read_text().strip() == newer  # nothing rewritten


def test_an_intact_version_is_verified_and_timed(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    _, newer = _two_versions(tmp_path, settings, fake_embedder)
    snapshot = _load(settings, fake_embedder)
    assert snapshot.version == newer and snapshot.fallback_reason is None
    assert snapshot.verify_ms > 0


def test_a_writer_never_builds_on_a_damaged_version(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    _, newer = _two_versions(tmp_path, settings, fake_embedder)
    _flip_byte(settings.index_dir / "versions" / newer / "vectors.npy")
    other = tmp_path / "other.md"
    other.write_text("OTHER NOTE\n\nAnother short note.\n", "utf-8")
    with pytest.raises(IndexCorruptError, match=r"vectors\.npy is damaged"):
        IndexBuilder(settings, fake_embedder).ingest_paths([other])
    assert (settings.index_dir / CURRENT_FILE).read_text().strip() == newer


def test_ask_on_a_damaged_index_is_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(embedding, "DeferredEmbedder", lambda _settings: FakeEmbedder())
    monkeypatch.setattr(pipeline, "load_query_embedder", lambda _settings: FakeEmbedder())
    version = IndexBuilder(settings, FakeEmbedder()).ingest_paths([MOROCCO_MD]).version
    _flip_byte(settings.index_dir / "versions" / str(version) / "dense.faiss", 60)
    status = cli.main(["ask", "budget?", "--index-dir", str(settings.index_dir)])
    err = capsys.readouterr().err.strip()
    assert status == 1 and len(err.splitlines()) == 1
    assert err.startswith("policyqa: error: index version") and "dense.faiss is damaged" in err
