"""The command line in process: every command through ``cli.main`` with the fake embedder.

Fast (no model, no subprocess); ``tests/integration/test_cli.py`` runs the same commands as real
processes with the real model. The CLI builds its embedders itself, so the tests replace the two
factories it calls (``DeferredEmbedder`` for ingest and remove, ``load_query_embedder`` for ask).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa import __version__, cli
from policyqa.index import embedding
from policyqa.service import pipeline
from tests.conftest import DATA, MOROCCO_MD, FakeEmbedder


@pytest.fixture
def index_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty index folder; every embedder the CLI makes is the fake one."""
    monkeypatch.setattr(embedding, "DeferredEmbedder", lambda _settings: FakeEmbedder())
    monkeypatch.setattr(pipeline, "load_query_embedder", lambda _settings: FakeEmbedder())
    monkeypatch.setattr(pipeline, "SentenceTransformerEmbedder", lambda _settings: FakeEmbedder())
    return tmp_path / "index"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit status, stdout, and the messages on stderr (without the progress bar's lines)."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    messages = [line for line in err.splitlines() if line.startswith("policyqa")]
    return status, out, "\n".join(messages)


def test_ingest_ask_remove(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "ingest", str(MOROCCO_MD), "--index-dir", str(index_dir))
    assert status == 0 and "1 added" in out and err == ""

    question = "What is the budget of the policy?"
    status, out, _ = run(capsys, "ask", question, "--json", "--index-dir", str(index_dir))
    body = json.loads(out)
    assert status == 0 and body["answerable"] and "Data unavailable" in body["answer"]
    assert body["citations"][0]["doc_id"] == MOROCCO_MD.name

    status, out, _ = run(capsys, "ask", question, "--index-dir", str(index_dir))
    assert status == 0 and "[1] Country factsheet: Morocco" in out and "\u201c" in out

    status, out, _ = run(capsys, "ingest", str(MOROCCO_MD), "--index-dir", str(index_dir))
    assert status == 0 and "1 unchanged" in out and "0 passages embedded" in out

    # removing the last document would leave an empty index live: refused, in one line
    status, out, err = run(capsys, "remove", MOROCCO_MD.name, "--index-dir", str(index_dir))
    assert status == 1 and "no documents" in err and len(err.splitlines()) == 1


def test_errors_are_one_line(
    index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"PK")
    missing = tmp_path / "missing.md"
    status, out, err = run(
        capsys, "ingest", str(MOROCCO_MD), str(unknown), str(missing), "--index-dir", str(index_dir)
    )
    lines = err.strip().splitlines()
    assert status == 1 and "1 added" in out and len(lines) == 2
    assert all(line.startswith("policyqa: error:") for line in lines)
    assert any("unsupported file type '.docx'" in line for line in lines)
    assert any("missing.md: no such file or directory" in line for line in lines)

    status, _, err = run(capsys, "remove", "nope.md", "--index-dir", str(index_dir))
    assert (status, err.strip()) == (
        1,
        "policyqa: error: no document with doc_id 'nope.md' in the index",
    )
    status, _, err = run(capsys, "ask", "  ", "--index-dir", str(index_dir))
    assert (status, err.strip()) == (2, "policyqa: error: the question is empty")
    status, _, err = run(capsys, "ask", "x", "--top-k", "99", "--index-dir", str(index_dir))
    assert (status, err.strip()) == (2, "policyqa: error: --top-k must be between 1 and 50")
    status, _, err = run(capsys, "eval", "--synthetic", "-1")
    assert status == 2 and "--synthetic takes a number" in err


def test_bad_pdfs_each_get_a_line(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = sorted((DATA / "bad").glob("*.pdf"))
    assert len(bad) >= 3  # corrupt, encrypted, blank
    status, _, err = run(capsys, "ingest", *map(str, bad), "--index-dir", str(index_dir))
    lines = err.splitlines()
    assert status == 1 and len(lines) == len(bad)
    assert all(line.startswith("policyqa: error:") for line in lines)


def test_ask_builds_the_bundled_corpus_when_there_is_no_index(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "ask", "Who are the beneficiaries?", "--index-dir", str(index_dir))
    assert status == 0 and (index_dir / "CURRENT").is_file()
    assert "BENEFICIARIES" in out


def test_version_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.strip() == f"policyqa {__version__}"
    with pytest.raises(SystemExit) as exited:
        cli.main(["frobnicate"])
    assert exited.value.code == 2 and "invalid choice: 'frobnicate'" in capsys.readouterr().err
