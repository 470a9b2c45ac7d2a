"""Building, updating and loading the on-disk index (with the fake embedder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyqa.errors import (
    DocumentNotFoundError,
    IndexCorruptError,
    IndexIncompatibleError,
    IndexNotFoundError,
)
from policyqa.index import IndexBuilder, chunker_description, describe_model, load_snapshot
from policyqa.index.lexical import LexicalIndex
from policyqa.settings import ChunkingSettings, Settings
from tests.conftest import MOROCCO_MD, FakeEmbedder


def _snapshot(settings: Settings, embedder: FakeEmbedder):  # type: ignore[no-untyped-def]
    return load_snapshot(
        settings.index_dir, describe_model(embedder), chunker_description(settings.chunking)
    )


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(MOROCCO_MD, folder / MOROCCO_MD.name)
    (folder / "note.txt").write_text("CLUSTER NOTE\n\nClusters need patient funding.\n", "utf-8")
    return folder


def test_build_then_reingest_unchanged_embeds_nothing(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    corpus = _corpus(tmp_path)
    builder = IndexBuilder(settings, fake_embedder)
    first = builder.ingest_paths([corpus])
    assert sorted(first.added) == ["eccp-factsheet-morocco-2023.md", "note.txt"]
    assert first.embedded == first.passages > 60
    embedded_before = fake_embedder.embedded
    second = builder.ingest_paths([corpus])
    assert second.unchanged == ["eccp-factsheet-morocco-2023.md", "note.txt"]
    assert second.embedded == 0 and fake_embedder.embedded == embedded_before
    assert second.version == first.version  # no new version for a no-op


def test_changed_file_replaces_its_chunks_and_reuses_unchanged_vectors(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    corpus = _corpus(tmp_path)
    builder = IndexBuilder(settings, fake_embedder)
    builder.ingest_paths([corpus])
    note = corpus / "note.txt"
    note.write_text("CLUSTER NOTE\n\nClusters need patient funding and good data.\n", "utf-8")
    report = builder.ingest_paths([corpus])
    assert report.updated == ["note.txt"] and report.unchanged == ["eccp-factsheet-morocco-2023.md"]
    assert report.embedded == 1
    snapshot = _snapshot(settings, fake_embedder)
    note_chunks = [c for c in snapshot.chunks if c.doc_id == "note.txt"]
    assert len(note_chunks) == 1 and "good data" in note_chunks[0].text


def test_remove_document(tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder) -> None:
    builder = IndexBuilder(settings, fake_embedder)
    builder.ingest_paths([_corpus(tmp_path)])
    report = builder.remove_documents(["note.txt"])
    assert report.removed == ["note.txt"]
    snapshot = _snapshot(settings, fake_embedder)
    assert set(snapshot.documents) == {"eccp-factsheet-morocco-2023.md"}
    assert all(chunk.doc_id != "note.txt" for chunk in snapshot.chunks)
    with pytest.raises(DocumentNotFoundError):
        builder.remove_documents(["note.txt"])


def test_bad_files_are_reported_and_the_rest_indexed(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (corpus / "empty.md").write_text("")
    report = IndexBuilder(settings, fake_embedder).ingest_paths([corpus, tmp_path / "missing.md"])
    failed = {Path(failure.path).name: failure.error for failure in report.failed}
    assert set(failed) == {"broken.pdf", "empty.md", "missing.md"}
    assert sorted(report.added) == ["eccp-factsheet-morocco-2023.md", "note.txt"]


def test_a_crash_mid_write_leaves_the_last_good_index(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    builder = IndexBuilder(settings, fake_embedder)
    good = builder.ingest_paths([corpus])
    (corpus / "note.txt").write_text("CLUSTER NOTE\n\nChanged text that never lands.\n", "utf-8")

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(LexicalIndex, "save", explode)
    with pytest.raises(OSError, match="disk full"):
        builder.ingest_paths([corpus])
    monkeypatch.undo()
    snapshot = _snapshot(settings, fake_embedder)
    assert snapshot.version == good.version
    assert "Changed text" not in snapshot.documents["note.txt"].text
    # the next write cleans the crashed staging folder and succeeds
    report = IndexBuilder(settings, fake_embedder).ingest_paths([corpus])
    assert report.updated == ["note.txt"]
    assert not list((settings.index_dir / "versions").glob(".tmp-*"))


def test_manifest_records_model_chunker_documents_and_hashes(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    IndexBuilder(settings, fake_embedder).ingest_paths([_corpus(tmp_path)])
    snapshot = _snapshot(settings, fake_embedder)
    manifest = json.loads((snapshot.path / "manifest.json").read_text())
    assert manifest["model"] == {
        "name": "fake-hashing",
        "fingerprint": "fake-hashing-v1",
        "dimension": 64,
    }
    assert manifest["chunker"]["max_tokens"] == settings.chunking.max_tokens
    assert {doc["doc_id"] for doc in manifest["documents"]} == {
        "eccp-factsheet-morocco-2023.md",
        "note.txt",
    }
    assert "vectors.npy" in manifest["files"] and "dense.faiss" in manifest["files"]
    assert manifest["policyqa_version"]


def test_loading_with_another_model_or_chunker_says_what_to_do(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    IndexBuilder(settings, fake_embedder).ingest_paths([_corpus(tmp_path)])
    other_model = {"name": "other", "fingerprint": "zzz", "dimension": 64}
    with pytest.raises(IndexIncompatibleError, match="rebuild it with `policyqa ingest --rebuild"):
        load_snapshot(settings.index_dir, other_model, chunker_description(settings.chunking))
    other_chunker = chunker_description(ChunkingSettings(max_tokens=99))
    with pytest.raises(IndexIncompatibleError, match="chunker settings"):
        load_snapshot(settings.index_dir, describe_model(fake_embedder), other_chunker)


def test_missing_and_corrupt_indexes(
    settings: Settings, fake_embedder: FakeEmbedder, tmp_path: Path
) -> None:
    with pytest.raises(IndexNotFoundError, match="policyqa ingest"):
        _snapshot(settings, fake_embedder)
    IndexBuilder(settings, fake_embedder).ingest_paths([_corpus(tmp_path)])
    snapshot = _snapshot(settings, fake_embedder)
    (snapshot.path / "chunks.jsonl").write_text("")
    with pytest.raises(IndexCorruptError, match=r"chunks\.jsonl is damaged"):
        _snapshot(settings, fake_embedder)


def test_unchanged_reingest_reads_only_the_manifest(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    builder = IndexBuilder(settings, fake_embedder)
    first = builder.ingest_paths([corpus])

    def no_loading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was loaded")

    monkeypatch.setattr("policyqa.index.passage_store.load_snapshot", no_loading)
    again = builder.ingest_paths([corpus])
    assert sorted(again.unchanged) == ["eccp-factsheet-morocco-2023.md", "note.txt"]
    assert (again.version, again.passages) == (first.version, first.passages)
