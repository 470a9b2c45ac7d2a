"""Targets, the printed table, and the regression check against recorded figures.

Figures are addressed by dotted paths into the results (``query.bundled.ask.median_ms``). The
regression check compares a run with ``recorded.json`` and fails only on gross regressions: a
time ten times the recorded one, a rate a tenth of it. Machines are noisy; that is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent / "recorded.json"
REGRESSION_FACTOR = 10.0


@dataclass(frozen=True, slots=True)
class Target:
    """One target of the issue: a figure, a bound and which side of it is good."""

    name: str
    path: str
    bound: float
    higher_is_better: bool
    unit: str

    def check(self, results: dict[str, Any]) -> dict[str, Any]:
        """The measured value, whether it meets the bound, and by how much it misses."""
        value = lookup(results, self.path)
        if value is None:
            return {"name": self.name, "target": self.describe(), "measured": None, "met": None}
        met = value >= self.bound if self.higher_is_better else value <= self.bound
        entry = {
            "name": self.name,
            "target": self.describe(),
            "measured": value,
            "unit": self.unit,
            "met": met,
        }
        if not met and self.bound:
            entry["missed_by"] = f"{abs(value - self.bound) / self.bound:.0%}"
        return entry

    def describe(self) -> str:
        """``>= 100 answers/s`` and the like."""
        return f"{'>=' if self.higher_is_better else '<='} {self.bound:g} {self.unit}".strip()


TARGETS = (
    Target(
        "embedding throughput / bare encode",
        "ingest.embedding.pipeline_to_bare_ratio",
        0.90,
        True,
        "x",
    ),
    Target(
        "re-ingest unchanged / first ingest", "ingest.reingest.reingest_share", 0.02, False, "x"
    ),
    Target("/v1/ask median, bundled", "query.bundled.ask.median_ms", 25, False, "ms"),
    Target("/v1/ask p95, bundled", "query.bundled.ask.p95_ms", 60, False, "ms"),
    Target("/v1/ask median, Morocco+50", "query.synthetic.ask.median_ms", 25, False, "ms"),
    Target("/v1/ask p95, Morocco+50", "query.synthetic.ask.p95_ms", 60, False, "ms"),
    Target("HTTP answers/s, 16 clients", "http.mixed.answers_per_s", 100, True, "/s"),
    Target("HTTP errors", "http.mixed.errors", 0, False, ""),
    Target("recall@10 ivfsq8 at 1M", "scale.1000000.ivfsq8.recall_at_10", 0.95, True, ""),
    Target("search median ivfsq8 at 1M", "scale.1000000.ivfsq8.search.median_ms", 5, False, "ms"),
    Target("start to ready", "footprint.start_to_ready_s", 5, False, "s"),
)

#: Figures the regression check compares: (path, True when higher is better).
WATCHED = (
    ("ingest.parse.md.median_ms_per_page", False),
    ("ingest.embedding.pipeline_to_bare_ratio", True),  # side by side: robust to load
    ("query.bundled.ask.median_ms", False),
    ("query.bundled.search.median_ms", False),
    ("query.bundled.embed_query.median_ms", False),
    ("query.bundled.ask_cached.median_ms", False),
    # CPU per answer rather than answers per second: it hardly moves with the machine's load
    ("http.mixed.server_cpu_ms_per_answer", False),
    ("scale.10000.flat.search.median_ms", False),
    ("scale.10000.ivfsq8.search.median_ms", False),
    ("scale.10000.ivfsq8.recall_at_10", True),
    ("footprint.start_to_ready_s", False),
)


def lookup(results: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None."""
    node: Any = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with its measured value (None when the run did not measure it)."""
    return [target.check(results) for target in TARGETS]


def regressions(
    results: dict[str, Any], recorded: dict[str, Any], factor: float = REGRESSION_FACTOR
) -> list[str]:
    """Gross regressions against the recorded figures (empty when there are none)."""
    found = []
    for path, higher_is_better in WATCHED:
        value, reference = lookup(results, path), recorded.get(path)
        if value is None or reference is None:
            continue
        if higher_is_better and value < reference / factor:
            found.append(f"{path}: {value} is under a {factor:g}th of the recorded {reference}")
        if not higher_is_better and value > reference * factor:
            found.append(f"{path}: {value} is over {factor:g} times the recorded {reference}")
    return found


def recorded_figures() -> dict[str, Any]:
    """The figures of the reference run (``recorded.json``)."""
    data: dict[str, Any] = json.loads(RECORDED.read_text(encoding="utf-8"))
    figures: dict[str, Any] = data["figures"]
    return figures


def record(results: dict[str, Any]) -> dict[str, Any]:
    """The watched figures of a run, in the form of ``recorded.json``."""
    return {
        "machine": results.get("machine", {}),
        "figures": {path: lookup(results, path) for path, _ in WATCHED},
    }


def table(results: dict[str, Any]) -> str:
    """The results as a plain-text table (what the README shows)."""
    lines: list[str] = []
    machine = results.get("machine", {})
    lines.append(
        f"policyqa benchmark {machine.get('date', '')} on {machine.get('cpu', '?')}, "
        f"{machine.get('cores', '?')} cores, {machine.get('memory_gb', '?')} GB; load average "
        f"{machine.get('load_average_at_start')} at start, {results.get('load_average_at_end')} "
        f"at end{'; QUICK run' if results.get('quick') else ''}"
    )
    rows: list[tuple[str, str]] = []
    ingest = results.get("ingest", {})
    for kind, parse in ingest.get("parse", {}).items():
        per_page = parse.get("median_ms_per_page")
        rows.append(
            (
                f"parse + chunk {kind} ({parse['passages']} passages)",
                f"{parse['median_ms']:.0f} ms"
                + (f", {per_page:.1f} ms/page ({parse['pages']} pages)" if per_page else ""),
            )
        )
    embedding = ingest.get("embedding")
    if embedding:
        rows.append(
            (
                f"embedding, {embedding['passages']} chunks",
                f"pipeline {embedding['pipeline_chunks_per_s']}/s, bare encode "
                f"{embedding['bare_encode_chunks_per_s']}/s, "
                f"ratio {embedding['pipeline_to_bare_ratio']}",
            )
        )
    reingest = ingest.get("reingest")
    if reingest:
        rows.append(
            (
                "re-ingest unchanged",
                f"{reingest['reingest_unchanged_ms']} ms vs first {reingest['first_ingest_ms']} ms "
                f"({reingest['reingest_share']:.2%})",
            )
        )
    for name, corpus in results.get("corpora", {}).items():
        rows.append(
            (
                f"corpus {name}",
                f"{corpus['documents']} documents, {corpus['passages']} passages, ingest "
                f"{corpus['total_s']} s ({corpus['chunks_per_s']} chunks/s); {corpus['source']}",
            )
        )
    for name, query in results.get("query", {}).items():
        rows.append(
            (
                f"/v1/ask {name} ({query['passages']} passages)",
                f"median {query['ask']['median_ms']:.1f} ms, p95 {query['ask']['p95_ms']:.1f} ms; "
                f"query embedding {query['embed_query']['median_ms']:.1f} / "
                f"{query['embed_query']['p95_ms']:.1f} ms; "
                f"cached {query['ask_cached']['median_ms']:.1f} ms",
            )
        )
        rows.append(
            (
                f"/v1/search {name}",
                f"median {query['search']['median_ms']:.1f} ms, "
                f"p95 {query['search']['p95_ms']:.1f} ms",
            )
        )
        stages = ", ".join(f"{k} {v:.1f}" for k, v in query["stages_median_ms"].items())
        rows.append((f"  stages {name} (median ms)", stages))
    for name, run in results.get("http", {}).items():
        latency = run["latency"]
        pss = [worker.get("pss_mb") for worker in run.get("memory_per_worker", [])]
        rows.append(
            (
                f"HTTP {name}: {run['workers']} workers, {run['concurrency']} clients, "
                f"{run['seconds']:.0f} s, {run['repeat_share']:.0%} repeated",
                f"{run['answers_per_s']}/s, p50 {latency['median_ms']:.1f} "
                f"p95 {latency['p95_ms']:.1f} "
                f"p99 {latency['p99_ms']:.1f} ms, errors {run['errors']}; PSS/worker {pss} MB",
            )
        )
        rows.append(
            (
                f"  HTTP {name}: CPU per answer",
                f"server {run.get('server_cpu_ms_per_answer')} ms (client "
                f"{run.get('client_cpu_s')} s in all): {run.get('answers_per_s_if_idle')}/s "
                "with the cores to itself",
            )
        )
    scale = results.get("scale", {})
    for size, row in scale.items():
        if not size.isdigit():
            continue
        for index_type in ("flat", "ivfsq8", "ivfpq", "hnsw"):
            if index_type in row:
                item = row[index_type]
                rows.append(
                    (
                        f"scale {int(size):,} {index_type}",
                        f"search {item['search']['median_ms']:.2f} / "
                        f"{item['search']['p95_ms']:.2f} ms, "
                        f"recall@10 {item['recall_at_10']:.3f}, {item['size_mb']:.0f} MB, "
                        f"build {item['build_s']} s",
                    )
                )
    footprint = results.get("footprint")
    if footprint:
        memory = footprint.get("memory", {}).get("after_40_questions", {})
        rows.append(
            (
                "start to ready (existing index)",
                f"{footprint['start_to_ready_s']} s (runs {footprint['runs_s']}); RSS "
                f"{memory.get('rss_mb')} MB, PSS {memory.get('pss_mb')} MB, heap "
                f"{memory.get('anonymous_mb')} MB",
            )
        )
        larger = footprint.get("synthetic")
        if larger:
            memory = larger.get("memory", {}).get("after_40_questions", {})
            rows.append(
                (
                    f"  same, {larger['passages']} passages",
                    f"{larger['start_to_ready_s']} s; RSS {memory.get('rss_mb')} MB, PSS "
                    f"{memory.get('pss_mb')} MB, heap {memory.get('anonymous_mb')} MB",
                )
            )
    width = max((len(name) for name, _ in rows), default=10)
    lines += [f"{name.ljust(width)}  {value}" for name, value in rows]
    lines.append("")
    lines.append("targets:")
    for entry in results.get("targets", []):
        status = {True: "met", False: "MISSED", None: "not measured"}[entry["met"]]
        missed = f" by {entry['missed_by']}" if entry.get("missed_by") else ""
        lines.append(
            f"  {entry['name']}: {entry['measured']} (target {entry['target']}) {status}{missed}"
        )
    return "\n".join(lines)
