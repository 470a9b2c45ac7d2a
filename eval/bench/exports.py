"""Export latency: the comparison of 31 countries as JSON, CSV, XLSX and the chart.

``python -m policyqa.eval.bench.exports [--countries N] [--repeats R]`` writes Morocco and
N - 1 synthetic factsheets (Markdown), reads their profiles as the service does at load, and
times, side by side in one run, what ``GET /v1/profiles/export`` and
``GET /v1/profiles/state-of-play.{png,svg}`` compute for every column and country (the HTTP
layer around them adds well under a millisecond). Prints medians and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policyqa.eval.bench.corpus import synthetic_corpus
from policyqa.eval.bench.measure import Timing, repeat_ms, summarize
from policyqa.ingest.loader import load_document
from policyqa.service.comparison import COLUMNS, comparison_rows
from policyqa.service.exports import to_csv, to_json, to_xlsx
from policyqa.service.factsheet_answers.library import ProfileLibrary
from policyqa.service.state_chart import draw_state_of_play


def measure(countries: int, repeats: int) -> dict[str, Timing]:
    """Timings of each export over Morocco and ``countries - 1`` synthetic factsheets."""
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-exports-") as folder:
        corpus = synthetic_corpus(Path(folder), count=countries - 1)
        documents = {doc.doc_id: doc for doc in (load_document(p) for p in corpus.files)}
    library = ProfileLibrary(documents)
    columns = list(COLUMNS)
    criteria = [c for c in COLUMNS if c.kind == "criterion"]
    rows = comparison_rows(library, columns)
    assert len(rows) == countries, f"{len(rows)} profiles read of {countries} factsheets"
    cases: dict[str, Callable[[], Any]] = {
        "rows (all 14 columns)": lambda: comparison_rows(library, columns),
        "json": lambda: to_json(comparison_rows(library, columns), columns),
        "csv": lambda: to_csv(comparison_rows(library, columns), columns),
        "xlsx": lambda: to_xlsx(comparison_rows(library, columns), columns),
        "chart svg": lambda: draw_state_of_play(rows, criteria, "svg"),
        "chart png": lambda: draw_state_of_play(rows, criteria, "png"),
    }
    return {name: summarize(repeat_ms(case, repeats)) for name, case in cases.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the table of export latencies."""
    parser = argparse.ArgumentParser(prog="python -m policyqa.eval.bench.exports")
    parser.add_argument(
        "--countries", type=int, default=31, help="factsheets (Morocco + synthetic)"
    )
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    if args.countries < 1 or args.repeats < 1:
        parser.error("--countries and --repeats must be at least 1")
    timings = measure(args.countries, args.repeats)
    print(f"export latency, {args.countries} countries, {args.repeats} runs each (ms)")
    print(f"{'export':<24}{'median':>10}{'p95':>10}")
    for name, timing in timings.items():
        print(f"{name:<24}{timing.median:>10.1f}{timing.p95:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
