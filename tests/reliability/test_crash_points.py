"""Kill an ingest at every write step and find the last good version live, intact, every time.

The child (``tests/reliability/crash_child.py``) ingests a changed folder and SIGKILLs itself at
its N-th open-for-writing, fsync or rename, for every N the ingest has: a power cut at each point
where the disk changes. Each time the index must load with its checksums verified (nothing
refused, nothing falling back), and show either the previous version or the new one complete,
never a mix; the next ingest must then succeed. The fake embedder keeps each run about a second.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from policyqa.index import chunker_description, describe_model, load_snapshot
from policyqa.settings import ChunkingSettings
from tests.conftest import MOROCCO_MD, FakeEmbedder

pytestmark = pytest.mark.slow  # about 30 processes
ROOT = Path(__file__).resolve().parents[2]


def _ingest(index_dir: Path, corpus: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.crash_child",
            str(index_dir),
            str(corpus),
            str(kill_at),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _load(index_dir: Path):  # type: ignore[no-untyped-def]
    return load_snapshot(
        index_dir, describe_model(FakeEmbedder()), chunker_description(ChunkingSettings())
    )


def test_a_kill_at_any_write_step_leaves_a_good_version_live(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(MOROCCO_MD, corpus / MOROCCO_MD.name)
    pristine = tmp_path / "pristine"
    assert _ingest(pristine, corpus, 0).returncode == 0
    before = _load(pristine)
    # the change the killed ingests try to land: one document edited, one added
    (corpus / "note.txt").write_text("CLUSTER NOTE\n\nClusters need patient funding.\n", "utf-8")
    counting = tmp_path / "counting"
    shutil.copytree(pristine, counting)
    counted = _ingest(counting, corpus, 0)
    steps = int(counted.stdout.strip())
    after = _load(counting)
    assert steps > 10 and set(after.documents) == {*before.documents, "note.txt"}

    outcomes = {"previous": 0, "new": 0}
    for kill_at in range(1, steps + 1):
        index_dir = tmp_path / f"killed-{kill_at}"
        shutil.copytree(pristine, index_dir)
        run = _ingest(index_dir, corpus, kill_at)
        assert run.returncode == -signal.SIGKILL, (kill_at, run.stderr[-500:])
        live = _load(index_dir)
        assert live.fallback_reason is None, (kill_at, live.fallback_reason)
        if live.version == before.version:
            assert set(live.documents) == set(before.documents), kill_at
            outcomes["previous"] += 1
        else:
            assert set(live.documents) == set(after.documents), kill_at
            assert live.passage_counts() == after.passage_counts(), kill_at
            outcomes["new"] += 1
        if kill_at % 5 == 0 or kill_at == steps:  # and the next ingest lands the change
            assert _ingest(index_dir, corpus, 0).returncode == 0
            assert "note.txt" in _load(index_dir).documents
    print(f"\nkilled at {steps} write steps: {outcomes}")
    assert outcomes["previous"] > 0
