"""A child process for the crash test: ingest a folder, SIGKILLed at its N-th write step.

Usage: ``python -m tests.reliability.crash_child INDEX_DIR CORPUS KILL_AT``. A write step is an
open for writing, an fsync or a rename: the points where a crash leaves a different state on
disk. ``KILL_AT`` 0 kills nothing and prints how many steps the ingest took.
"""

from __future__ import annotations

import builtins
import os
import signal
import sys
from pathlib import Path
from typing import Any

from policyqa.index import IndexBuilder
from policyqa.settings import Settings
from tests.conftest import FakeEmbedder


def main(index_dir: str, corpus: str, kill_at: int) -> None:
    steps = 0

    def step() -> None:
        nonlocal steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no atexit: as a power cut

    real_open, real_fsync, real_replace = builtins.open, os.fsync, os.replace

    def counted_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            step()
        return real_open(file, mode, *args, **kwargs)

    def counted_fsync(descriptor: int) -> None:
        step()
        real_fsync(descriptor)

    def counted_replace(source: Any, target: Any, **kwargs: Any) -> None:
        step()
        real_replace(source, target, **kwargs)

    # patched through Any: the stand-ins take what the real ones take, typed loosely
    os_module: Any = os
    builtins_module: Any = builtins
    builtins_module.open, os_module.fsync, os_module.replace = (
        counted_open,
        counted_fsync,
        counted_replace,
    )
    IndexBuilder(Settings(index_dir=Path(index_dir)), FakeEmbedder()).ingest_paths([Path(corpus)])
    print(steps)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
