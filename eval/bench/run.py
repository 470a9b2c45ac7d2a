"""Run the benchmark suite: ``python -m policyqa.eval.bench [--quick] [--out DIR]``.

Sections, in order: ingest (parse and chunk per page, embedding against the bare encoder,
re-ingest), the corpora (bundled; Morocco + 50 synthetic factsheets), query latency in process,
HTTP under load (a real server, as many workers as cores, 16 clients), vector search at scale,
start-up time and memory. Prints a table and writes ``bench-<date>.json`` and ``latest.json``.
``--quick`` is the smoke version (seconds, small sizes) that the test suite runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from policyqa.eval.bench import ingest, report, scale, serving
from policyqa.eval.bench.corpus import (
    bundled_corpus,
    calibration_questions,
    seed_files,
    synthetic_corpus,
)
from policyqa.eval.bench.machine import load_average, machine_facts
from policyqa.eval.bench.query import query_latency
from policyqa.index import SentenceTransformerEmbedder
from policyqa.index.embedding import load_query_embedder
from policyqa.index.store import current_version_path
from policyqa.settings import EmbeddingSettings, Settings

SECTIONS = ("ingest", "query", "http", "scale", "footprint")


@dataclass(frozen=True, slots=True)
class BenchOptions:
    """What to run and how long."""

    quick: bool = False
    sections: tuple[str, ...] = SECTIONS
    out: Path | None = Path("bench-results")
    synthetic_documents: int = 50
    scale_sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    hnsw_limit: int = 100_000  # HNSW at 1M takes ~6 minutes to build here: --full only
    pq_limit: int = 0  # IVF-PQ trains for a minute even at 10k and loses recall: --full only
    requests: int = 200  # in-process requests per corpus and route
    load_seconds: float = 30.0
    load_concurrency: int = 16
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    repeat_share: float = 0.5
    rounds: int = 5  # side-by-side rounds for the embedding comparison
    startup_runs: int = 3

    @classmethod
    def quick_run(cls, out: Path | None = None) -> BenchOptions:
        """The smoke version: every section, small and short."""
        return cls(
            quick=True,
            out=out,
            synthetic_documents=0,
            scale_sizes=(10_000,),
            hnsw_limit=0,
            pq_limit=0,
            requests=20,
            load_seconds=3.0,
            load_concurrency=4,
            rounds=1,
            startup_runs=1,
        )


def run(
    options: BenchOptions,
    ingest_embedder: SentenceTransformerEmbedder | None = None,
    log: Any = None,
) -> dict[str, Any]:
    """Run the selected sections; returns the results (also written to ``options.out``)."""
    say = log or (lambda message: print(message, file=sys.stderr, flush=True))
    results: dict[str, Any] = {"machine": machine_facts(), "quick": options.quick}
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="policyqa-bench-"))
    try:
        base_settings = Settings(index_dir=workdir / "unused")
        say("loading the embedding model (sentence-transformers, for ingest)")
        embedder = ingest_embedder or SentenceTransformerEmbedder(base_settings.embedding)
        # the service's question embedder without its cache (every request does the work),
        # and the bare model beside it: the floor of a request's latency
        query_embedder = load_query_embedder(EmbeddingSettings(query_cache_size=0))
        bare_query_embedder = load_query_embedder(
            EmbeddingSettings(query_cache_size=0, query_batch=1)
        )
        results["query_embedder"] = type(bare_query_embedder).__name__

        indexes = _build_corpora(options, workdir, embedder, results, say)
        if "ingest" in options.sections:
            say("ingest: parse and chunk, embedding against the bare encoder, re-ingest")
            files = seed_files()
            embedded = files[:1] if options.quick else files  # quick: the Markdown only
            results["ingest"] = {
                "files": [path.name for path in files],
                "parse": ingest.parse_and_chunk(
                    files, embedder, base_settings, 3 if options.quick else 20
                ),
                "embedding": ingest.embedding_throughput(
                    embedded, embedder, base_settings, options.rounds
                ),
                "reingest": ingest.reingest(embedded, embedder, base_settings, options.rounds),
            }
        if "query" in options.sections:
            results["query"] = {}
            questions = calibration_questions()
            for name, index_dir in indexes.items():
                say(f"query in process: {name}")
                results["query"][name] = query_latency(
                    Settings(index_dir=index_dir),
                    query_embedder,
                    bare_query_embedder,
                    questions,
                    options.requests,
                )
        if "http" in options.sections:
            say(
                f"HTTP: {options.workers} workers, {options.load_concurrency} clients, "
                f"{options.load_seconds:g} s"
            )
            results["http"] = {
                "mixed": serving.load_test(
                    indexes["bundled"],
                    options.workers,
                    options.load_concurrency,
                    options.load_seconds,
                    options.repeat_share,
                ),
            }
            if not options.quick:
                say("HTTP: new questions only, 10 s")
                results["http"]["new_only"] = serving.load_test(
                    indexes["bundled"], options.workers, options.load_concurrency, 10.0, 0.0
                )
        if "scale" in options.sections:
            say(f"scale: {', '.join(f'{size:,}' for size in options.scale_sizes)} passages")
            source = "synthetic" if "synthetic" in indexes else "bundled"
            base = _unique_rows(_load_vectors(indexes[source]))
            question_vectors = bare_query_embedder.embed(calibration_questions())
            results["scale"] = scale.scale_runs(
                base,
                question_vectors,
                list(options.scale_sizes),
                options.hnsw_limit,
                options.pq_limit,
            )
            results["scale"]["base_source"] = f"{len(base)} real passage vectors ({source} corpus)"
        if "footprint" in options.sections:
            say("footprint: start to ready, memory")
            results["footprint"] = serving.startup(indexes["bundled"], options.startup_runs)
            if "synthetic" in indexes:  # what more passages cost a worker
                larger = serving.startup(indexes["synthetic"], 1)
                results["footprint"]["synthetic"] = {
                    "passages": results["corpora"]["synthetic"]["passages"],
                    **larger,
                }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["load_average_at_end"] = load_average()
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.check_targets(results)
    if options.out is not None:
        _write(results, options.out)
    return results


def _build_corpora(
    options: BenchOptions,
    workdir: Path,
    embedder: SentenceTransformerEmbedder,
    results: dict[str, Any],
    say: Any,
) -> dict[str, Path]:
    """Index the bundled corpus, and Morocco + N synthetic factsheets when queries need them."""
    corpora = [bundled_corpus()]
    wanted = {"query", "scale", "footprint"} & set(options.sections)
    if wanted and options.synthetic_documents:
        corpora.append(synthetic_corpus(workdir / "synthetic-files", options.synthetic_documents))
    results["corpora"] = {}
    indexes = {}
    for corpus in corpora:
        key = "bundled" if corpus.name == "bundled" else "synthetic"
        say(f"indexing {corpus.name}: {len(corpus.files)} files ({corpus.source})")
        index_dir = workdir / f"index-{key}"
        summary = ingest.corpus_ingest(corpus.files, embedder, Settings(index_dir=index_dir))
        results["corpora"][key] = {"name": corpus.name, "source": corpus.source, **summary}
        indexes[key] = index_dir
    return indexes


def _load_vectors(index_dir: Path) -> Any:
    version = current_version_path(index_dir)
    assert version is not None
    return np.load(version / "vectors.npy")


def _unique_rows(vectors: Any) -> Any:
    return np.unique(np.round(vectors, 5), axis=0).astype(np.float32)


def _write(results: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = results["machine"]["date"].replace(":", "").replace("-", "")
    text = json.dumps(results, indent=2)
    (folder / f"bench-{stamp}{'-quick' if results['quick'] else ''}.json").write_text(text)
    (folder / "latest.json").write_text(text)


def main(argv: list[str] | None = None) -> int:
    """Command line: run, print the table, write JSON; exit 1 on a gross regression (--check)."""
    parser = argparse.ArgumentParser(
        prog="python -m policyqa.eval.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="the smoke version (seconds)")
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="JSON folder")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--full", action="store_true", help="also HNSW at 1M and IVF-PQ at every size (slow)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 on a gross regression against recorded.json"
    )
    parser.add_argument(
        "--record", action="store_true", help="write this run's figures to recorded.json"
    )
    args = parser.parse_args(argv)
    options = BenchOptions.quick_run(args.out) if args.quick else BenchOptions(out=args.out)
    if args.only:
        options = _replace(options, sections=tuple(args.only))
    if args.full:
        options = _replace(options, hnsw_limit=1_000_000, pq_limit=1_000_000)
    results = run(options)
    print(report.table(results))
    if args.record:
        report.RECORDED.write_text(json.dumps(report.record(results), indent=2) + "\n")
    if args.check:
        problems = report.regressions(results, report.recorded_figures())
        for problem in problems:
            print(f"REGRESSION {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _replace(options: BenchOptions, **changes: Any) -> BenchOptions:
    from dataclasses import replace

    return replace(options, **changes)
