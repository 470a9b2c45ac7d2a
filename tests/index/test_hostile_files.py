"""Files a batch must survive: bad names, doc_id collisions, symlinks, nothing left to index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyqa.errors import EmptyIndexError
from policyqa.index import IndexBuilder
from policyqa.index.store import CURRENT_FILE
from policyqa.settings import Settings
from tests.conftest import FakeEmbedder

NOTE = "CLUSTER NOTE\n\nClusters need patient funding.\n"


def _note(path: Path, text: str = NOTE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_a_rebuild_from_a_mistyped_path_keeps_the_live_version(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    builder = IndexBuilder(settings, fake_embedder)
    good = builder.ingest_paths([_note(tmp_path / "corpus" / "note.md")])
    with pytest.raises(EmptyIndexError, match=r"no documents.*no such file"):
        builder.ingest_paths([tmp_path / "corpsu"], rebuild=True)
    assert (settings.index_dir / CURRENT_FILE).read_text().strip() == good.version


def test_removing_the_last_document_is_refused(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    builder = IndexBuilder(settings, fake_embedder)
    good = builder.ingest_paths([_note(tmp_path / "note.md")])
    with pytest.raises(EmptyIndexError):
        builder.remove_documents(["note.md"])
    assert (settings.index_dir / CURRENT_FILE).read_text().strip() == good.version


def test_an_undecodable_file_name_is_reported_and_the_batch_goes_on(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    folder = tmp_path / "corpus"
    _note(folder / "good.md")
    bad = os.fsencode(folder) + b"/bad-\xff-name.md"
    descriptor = os.open(bad, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(descriptor, NOTE.encode())
    os.close(descriptor)
    report = IndexBuilder(settings, fake_embedder).ingest_paths([folder])
    assert report.added == ["good.md"]
    [failure] = report.failed
    assert "\\xff" in failure.path and "not valid UTF-8" in failure.error
    failure.path.encode("utf-8")  # printable


@pytest.mark.parametrize(
    ("first", "second"), [("日本.md", "中国.md"), ("2023/report.md", "2024/report.md")]
)
def test_a_doc_id_collision_across_runs_is_refused(
    first: str, second: str, tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    builder = IndexBuilder(settings, fake_embedder)
    one = builder.ingest_paths([_note(tmp_path / "a" / first)])
    [doc_id] = one.added
    other = builder.ingest_paths([_note(tmp_path / "b" / second, NOTE + "\nOther text.\n")])
    assert other.added == other.updated == [] and other.version == one.version
    [failure] = other.failed
    assert f"doc_id {doc_id!r} already belongs to" in failure.error
    # the same file, changed, still updates its document
    again = builder.ingest_paths([_note(tmp_path / "a" / first, NOTE + "\nNew.\n")])
    assert again.updated == [doc_id]


def test_a_symlink_leaving_the_folder_is_not_followed(
    tmp_path: Path, settings: Settings, fake_embedder: FakeEmbedder
) -> None:
    secret = _note(tmp_path / "outside" / "secret.md", "SECRET\n\nDo not publish.\n")
    folder = tmp_path / "corpus"
    _note(folder / "good.md")
    (folder / "link.md").symlink_to(secret)
    (folder / "inside.md").symlink_to(folder / "good.md")  # a link within the folder is fine
    report = IndexBuilder(settings, fake_embedder).ingest_paths([folder])
    assert sorted(report.added) == ["good.md", "inside.md"]
    [failure] = report.failed
    assert failure.path.endswith("link.md") and "outside the folder" in failure.error
