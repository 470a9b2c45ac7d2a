"""Timing and memory helpers: repeated runs, medians and p95, side-by-side ratios, RSS and PSS.

These machines are shared and noisy, so every figure is a median over repeats and every ratio is
measured side by side: the two things compared alternate within one loop, and the ratio is the
median of the per-round ratios, so a burst of load from elsewhere hits both sides alike.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Timing:
    """Summary of repeated measurements in milliseconds."""

    median: float
    p95: float
    p99: float
    mean: float
    count: int

    def as_dict(self) -> dict[str, float]:
        """JSON form, rounded to microseconds."""
        return {
            "median_ms": round(self.median, 3),
            "p95_ms": round(self.p95, 3),
            "p99_ms": round(self.p99, 3),
            "mean_ms": round(self.mean, 3),
            "count": self.count,
        }


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0..1) by linear interpolation, like numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples_ms: list[float]) -> Timing:
    """Median, p95, p99 and mean of samples in milliseconds."""
    return Timing(
        median=statistics.median(samples_ms) if samples_ms else float("nan"),
        p95=percentile(samples_ms, 0.95),
        p99=percentile(samples_ms, 0.99),
        mean=statistics.fmean(samples_ms) if samples_ms else float("nan"),
        count=len(samples_ms),
    )


def time_ms(function: Callable[[], Any]) -> float:
    """Wall time of one call in milliseconds."""
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def repeat_ms(function: Callable[[], Any], repeats: int, warmup: int = 1) -> list[float]:
    """Wall times of ``repeats`` calls after ``warmup`` untimed ones, garbage collector paused."""
    for _ in range(warmup):
        function()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [time_ms(function) for _ in range(repeats)]
    finally:
        if enabled:
            gc.enable()


def side_by_side(
    first: Callable[[], Any], second: Callable[[], Any], rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Alternate the two, order flipped every round: (first times, second times, ratios)."""
    times_first: list[float] = []
    times_second: list[float] = []
    ratios: list[float] = []
    for round_number in range(rounds):
        if round_number % 2 == 0:
            a = time_ms(first)
            b = time_ms(second)
        else:
            b = time_ms(second)
            a = time_ms(first)
        times_first.append(a)
        times_second.append(b)
        ratios.append(a / b if b > 0 else float("nan"))
    return times_first, times_second, ratios


def memory_mb(pid: int | None = None) -> dict[str, float]:
    """Resident (RSS), proportional (PSS: shared pages split among sharers) and anonymous memory.

    From ``/proc/<pid>/smaps_rollup``; PSS is the fair share of a worker when several processes
    map the same files; anonymous memory is its own heap. Empty on systems without it.
    """
    path = Path(f"/proc/{pid or os.getpid()}/smaps_rollup")
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    fields: dict[str, float] = {}
    for line in lines[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    shared = fields.get("Shared_Clean", 0.0) + fields.get("Shared_Dirty", 0.0)
    return {
        "rss_mb": round(fields.get("Rss", 0.0), 1),
        "pss_mb": round(fields.get("Pss", 0.0), 1),
        # the process's own heap: what a second worker would add, whatever maps it shares
        "anonymous_mb": round(fields.get("Anonymous", 0.0), 1),
        # pages of files (libraries, model weights, index files) also mapped by other processes
        "shared_mb": round(shared, 1),
    }
