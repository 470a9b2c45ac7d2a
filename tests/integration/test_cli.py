"""The command line as a user runs it: real processes, real model, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, MOROCCO_MD

pytestmark = pytest.mark.integration


def run(*args: str, index_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "policyqa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_ingest_ask_and_errors(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"PK")

    ingest = run(
        "ingest",
        str(MOROCCO_MD),
        str(corrupt),
        str(unknown),
        str(tmp_path / "missing.md"),
        index_dir=index_dir,
    )
    assert ingest.returncode == 1
    errors = [line for line in ingest.stderr.splitlines() if line.startswith("policyqa: error:")]
    assert len(errors) == 3 and "Traceback" not in ingest.stderr
    assert any("corrupt.pdf" in line for line in errors)
    assert any("unsupported file type '.docx'" in line for line in errors)
    assert any("missing.md: no such file or directory" in line for line in errors)
    assert "1 added" in ingest.stdout

    # the bad files lost nothing: the index still answers from the good one
    answer = run("ask", "What is the budget of the policy?", "--json", index_dir=index_dir)
    assert answer.returncode == 0, answer.stderr
    body = json.loads(answer.stdout)
    assert body["answerable"] and "Data unavailable" in body["answer"]

    again = run("ingest", str(MOROCCO_MD), index_dir=index_dir)
    assert (
        again.returncode == 0
        and "1 unchanged" in again.stdout
        and "0 passages embedded" in again.stdout
    )

    removed = run("remove", "nope.md", index_dir=index_dir)
    assert removed.returncode == 1
    assert (
        removed.stderr.strip() == "policyqa: error: no document with doc_id 'nope.md' in the index"
    )


def test_bad_pdfs_are_reported_one_line_each(tmp_path: Path) -> None:
    bad = sorted((DATA / "bad").glob("*.pdf"))
    assert len(bad) >= 3  # corrupt, encrypted, blank
    result = run("ingest", *map(str, bad), index_dir=tmp_path / "index")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len([line for line in lines if line.startswith("policyqa: error:")]) == len(bad)
