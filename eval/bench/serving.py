"""A real ``policyqa serve`` process: start-to-ready time, memory per worker, HTTP under load.

The server is started as users start it (``python -m policyqa.cli serve``) on a free loopback
port; the load comes from ``policyqa.eval.bench.loadclient`` in another process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from policyqa.eval.bench.corpus import REPOSITORY, calibration_questions
from policyqa.eval.bench.measure import memory_mb, summarize


@dataclass
class Server:
    """A running ``policyqa serve``."""

    process: subprocess.Popen[bytes]
    url: str
    log: IO[bytes]
    ready_s: float = float("nan")  # seconds from launch until /readyz answered 200

    def stop(self) -> None:
        """Terminate the server (and its workers) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def worker_pids(self) -> list[int]:
        """The worker processes (uvicorn starts none with one worker: then the server itself)."""
        children = [
            pid
            for pid in _children(self.process.pid)
            if b"resource_tracker" not in _command_line(pid)  # multiprocessing's helper
        ]
        return children or [self.process.pid]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    index_dir: Path,
    workers: int,
    timeout: float = 180.0,
    environment: dict[str, str] | None = None,
) -> Server:
    """Launch ``policyqa serve`` on ``index_dir`` and wait until it is ready."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPOSITORY),
        "HF_HUB_OFFLINE": "1",
        **(environment or {}),
    }
    log = tempfile.TemporaryFile(prefix="policyqa-bench-server-")  # noqa: SIM115 (Server.stop)
    command = [sys.executable, "-m", "policyqa.cli", "serve", "--index-dir", str(index_dir)]
    command += ["--port", str(port), "--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPOSITORY, env=env, stdout=log, stderr=log)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_ready(server, started + timeout, consecutive=1)
        server.ready_s = time.perf_counter() - started
        if workers > 1:  # new connections go to any worker: wait until all of them answer
            _wait_ready(server, started + timeout, consecutive=8 * workers)
    except Exception:
        server.stop()
        raise
    return server


def _wait_ready(server: Server, deadline: float, consecutive: int) -> None:
    streak = 0
    while streak < consecutive:
        if server.process.poll() is not None:
            server.log.seek(0)
            tail = server.log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"the server exited with {server.process.returncode}:\n{tail}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{server.url} was not ready in time")
        try:
            with urllib.request.urlopen(server.url + "/readyz", timeout=5) as response:
                streak = streak + 1 if response.status == 200 else 0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            streak = 0
        if streak < consecutive:
            time.sleep(0.02)


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_questions(url: str, questions: list[str]) -> None:
    """Ask each question once (warms the process the way users would)."""
    for question in questions:
        request = urllib.request.Request(
            url + "/v1/ask",
            data=json.dumps({"question": question}).encode(),
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def startup(index_dir: Path, runs: int) -> dict[str, Any]:
    """Seconds from launch to ready (one worker, existing index); memory after some questions."""
    times = []
    memory: dict[str, float] = {}
    for number in range(runs):
        server = start_server(index_dir, workers=1)
        try:
            times.append(server.ready_s * 1000)
            if number == runs - 1:
                memory["after_ready"] = memory_mb(server.process.pid)  # type: ignore[assignment]
                post_questions(server.url, calibration_questions()[:40])
                memory["after_40_questions"] = memory_mb(server.process.pid)  # type: ignore[assignment]
        finally:
            server.stop()
    summary = summarize(times)
    return {
        "start_to_ready_s": round(summary.median / 1000, 2),
        "runs_s": [round(value / 1000, 2) for value in times],
        "memory": memory,
    }


def load_test(
    index_dir: Path,
    workers: int,
    concurrency: int,
    seconds: float,
    repeat_share: float,
    environment: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``concurrency`` clients for ``seconds`` against a server with ``workers`` workers."""
    server = start_server(index_dir, workers=workers, environment=environment)
    try:
        command = [sys.executable, "-m", "policyqa.eval.bench.loadclient", server.url]
        command += ["--concurrency", str(concurrency), "--seconds", str(seconds)]
        command += ["--repeat-share", str(repeat_share)]
        env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
        pids = [server.process.pid, *_children(server.process.pid)]
        cpu_before = sum(cpu_seconds(pid) for pid in set(pids))
        completed = subprocess.run(
            command, cwd=REPOSITORY, env=env, capture_output=True, check=True, timeout=seconds + 120
        )
        cpu_used = sum(cpu_seconds(pid) for pid in set(pids)) - cpu_before
        result: dict[str, Any] = json.loads(completed.stdout)
        result["workers"] = workers
        # CPU time per answer hardly depends on how busy the machine is: the cores divided by
        # the server's and the client's CPU time per answer is the throughput this run would
        # reach with the machine to itself.
        answers = max(result["completed"], 1)
        result["server_cpu_ms_per_answer"] = round(1000 * cpu_used / answers, 2)
        result["answers_per_s_if_idle"] = round(
            (os.cpu_count() or 1) * answers / max(cpu_used + result["client_cpu_s"], 1e-9), 1
        )
        result["memory_per_worker"] = [memory_mb(pid) for pid in server.worker_pids()]
        if workers > 1:
            result["memory_supervisor"] = memory_mb(server.process.pid)
        return result
    finally:
        server.stop()
