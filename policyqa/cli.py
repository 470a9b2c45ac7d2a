"""The ``policyqa`` command: a thin layer over the library.

Domain errors become one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policyqa import __version__
from policyqa.errors import PolicyQAError
from policyqa.settings import Settings, load_settings

if TYPE_CHECKING:
    from policyqa.index import IngestReport
    from policyqa.ingest import DocumentKind
    from policyqa.service.types import AskResult

EPILOG = """examples:
  policyqa ingest factsheets/ --country Morocco
  policyqa ask "What are the policy objectives of Morocco's industrial policy?"
  policyqa serve --port 8000
  policyqa remove eccp-factsheet-morocco-2023.pdf
  policyqa eval --out eval-report
"""


class CommandError(Exception):
    """A usage problem reported as one line (exit status 2)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all sub-commands."""
    parser = argparse.ArgumentParser(
        prog="policyqa",
        description="Questions answered from cluster-policy documents, with verifiable citations.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policyqa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_index_dir(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--index-dir",
            type=Path,
            help="index folder (default: POLICYQA_INDEX_DIR or ~/.local/share/policyqa/index)",
        )
        return sub

    ingest = with_index_dir(
        commands.add_parser(
            "ingest",
            help="add or update documents (PDF, Markdown, text; folders recursively)",
            description="Add files to the index; unchanged files are skipped, changed ones "
            "replaced. Example: policyqa ingest factsheets/ references/report.pdf",
        )
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--country", help="country of these documents (default: read from them)")
    ingest.add_argument("--kind", choices=["factsheet", "reference"], help="document kind")
    ingest.add_argument("--rebuild", action="store_true", help="start a new index from these files")

    serve = with_index_dir(
        commands.add_parser(
            "serve",
            help="run the HTTP service (indexes the bundled corpus when the index is empty)",
            description="Run the HTTP API. Example: policyqa serve --port 8000",
        )
    )
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="TCP port (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        help="worker processes sharing one memory-mapped index (default 1; 0: one per core)",
    )

    ask = with_index_dir(
        commands.add_parser(
            "ask",
            help="answer a question with citations",
            description='Answer one question. Example: policyqa ask "Which instruments does '
            "Morocco's industrial policy use?\"",
        )
    )
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the /v1/ask JSON response")
    ask.add_argument("--top-k", type=int, default=5, help="passages to retrieve (default 5)")
    ask.add_argument("--country", help="only documents about this country")

    remove = with_index_dir(
        commands.add_parser(
            "remove",
            help="remove documents from the index",
            description="Remove documents by doc_id. Example: policyqa remove report.pdf",
        )
    )
    remove.add_argument("doc_ids", nargs="+", metavar="DOC_ID")

    evaluate = commands.add_parser(
        "eval",
        help="evaluate retrieval, answers and citations on gold questions; write reports",
        description="Run the gold questions through the full system and the baselines (BM25, "
        "dense, hybrid, a tutorial pipeline), or through a running service with --url, and write "
        "report.json, report.md and chart.png. Example: policyqa eval --out eval-report",
    )
    evaluate.add_argument(
        "--dataset",
        type=Path,
        action="append",
        metavar="FILE",
        help="gold questions (JSONL, see eval/README.md); repeatable (default: the bundled set)",
    )
    evaluate.add_argument(
        "--corpus",
        type=Path,
        action="append",
        metavar="PATH",
        help="documents to index for the questions; repeatable (default: the bundled corpus)",
    )
    evaluate.add_argument(
        "--index-dir",
        type=Path,
        metavar="DIR",
        help="index folder to build and reuse (default: a temporary folder)",
    )
    evaluate.add_argument(
        "--out",
        type=Path,
        default=Path("eval-report"),
        metavar="DIR",
        help="report folder (default eval-report)",
    )
    evaluate.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also write N synthetic factsheets (Markdown and PDF) into DIR/synthetic, index them "
        "with Morocco's and ask their generated gold questions (every field of every country, "
        "and comparisons)",
    )
    evaluate.add_argument(
        "--url", metavar="URL", help="evaluate the service at URL through its HTTP API instead"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        index_dir = None if args.command == "eval" else getattr(args, "index_dir", None)
        settings = load_settings().with_overrides(index_dir=index_dir)
        handler = {
            "ingest": _ingest,
            "serve": _serve,
            "ask": _ask,
            "remove": _remove,
            "eval": _eval,
        }
        return handler[args.command](args, settings)
    except CommandError as error:
        print(f"policyqa: error: {error}", file=sys.stderr)
        return 2
    except PolicyQAError as error:
        print(f"policyqa: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policyqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# --- commands ---------------------------------------------------------------------------------


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from policyqa.ingest import DocumentKind

    kind = DocumentKind(args.kind) if args.kind else None
    report = _run_ingest(
        settings, list(args.paths), country=args.country, kind=kind, rebuild=args.rebuild
    )
    _print_report(report, settings)
    return 1 if report.failed else 0


def _run_ingest(
    settings: Settings,
    paths: list[Path],
    *,
    country: str | None = None,
    kind: DocumentKind | None = None,
    rebuild: bool = False,
) -> IngestReport:
    from tqdm import tqdm

    from policyqa.index import IndexBuilder
    from policyqa.index.embedding import DeferredEmbedder

    # the model loads only if a file is new or changed
    builder = IndexBuilder(settings, DeferredEmbedder(settings.embedding))
    with tqdm(desc="embedding", unit=" passages", file=sys.stderr, leave=False) as bar:
        return builder.ingest_paths(
            paths,
            country=country,
            kind=kind,
            rebuild=rebuild,
            progress=bar.update,
        )


def _print_report(report: IngestReport, settings: Settings) -> None:
    for failure in report.failed:
        print(f"policyqa: error: {failure.path}: {failure.error}", file=sys.stderr)
    parts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
        f"{len(report.failed)} failed",
    ]
    timing = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in report.seconds.items())
    print(
        f"{', '.join(parts)}; {report.embedded} passages embedded, {report.passages} in the index "
        f"at {settings.index_dir} (version {report.version})" + (f"; {timing}" if timing else "")
    )


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from policyqa.index import SearchFilters
    from policyqa.service.pipeline import open_engine

    if not 1 <= args.top_k <= 50:
        raise CommandError("--top-k must be between 1 and 50")
    if not args.question.strip():
        raise CommandError("the question is empty")
    engine = open_engine(
        settings, build_if_missing=True, on_build=lambda note: print(note, file=sys.stderr)
    )
    result = engine.ask(args.question, args.top_k, SearchFilters(country=args.country))
    print(
        json.dumps(_ask_json(result), indent=2, ensure_ascii=False)
        if args.json
        else _ask_text(result)
    )
    return 0


def _ask_json(result: AskResult) -> dict[str, object]:
    from policyqa.service.schemas import AskResponse, CitationOut

    response = AskResponse(
        answer=result.answer.text,
        answerable=result.answer.answerable,
        citations=[CitationOut.from_citation(citation) for citation in result.answer.citations],
        timings_ms=result.timings_ms,
    )
    return response.model_dump()


def _ask_text(result: AskResult) -> str:
    lines = [result.answer.text]
    if result.answer.citations:
        lines.append("")
    for citation in result.answer.citations:
        page = f", page {citation.page}" if citation.page is not None else ""
        lines.append(f"[{citation.id}] {citation.title}{page}: {citation.section}")
        lines.append(f"    {citation.doc_id} [{citation.start}:{citation.end}]")
        quote = " ".join(citation.quote.split())
        lines.append(f"    \u201c{quote[:300]}{'…' if len(quote) > 300 else ''}\u201d")
    return "\n".join(lines)


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    from policyqa.index import IndexBuilder
    from policyqa.index.embedding import DeferredEmbedder

    builder = IndexBuilder(settings, DeferredEmbedder(settings.embedding))  # never loads it
    report = builder.remove_documents(args.doc_ids)
    print(
        f"removed {', '.join(report.removed)}; {report.passages} passages remain "
        f"(version {report.version})"
    )
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from policyqa.eval.dataset import DEFAULT_DATASET
    from policyqa.eval.report import summary_lines
    from policyqa.eval.runner import evaluate_in_process, evaluate_service

    datasets = args.dataset or [DEFAULT_DATASET]
    corpus = list(args.corpus or [])
    if args.synthetic < 0:
        raise CommandError("--synthetic takes a number of factsheets (0 or more)")
    if args.url:
        if args.index_dir or args.corpus or args.synthetic:
            raise CommandError(
                "--url evaluates a running service: drop --index-dir, --corpus and --synthetic"
            )
        report = evaluate_service(datasets, args.out, url=args.url)
    else:
        if args.synthetic:
            from policyqa.eval.synthetic import write_corpus, write_gold

            folder = args.out / "synthetic"
            truths, paths = write_corpus(folder, args.synthetic)
            datasets = [*datasets, write_gold(truths, paths, folder / "gold-synthetic.jsonl")]
            corpus = [*(corpus or [settings.corpus_dir]), *paths[1:]]
            print(f"{args.synthetic} synthetic factsheets and their questions in {folder}")
        report = evaluate_in_process(
            datasets, args.out, settings=settings, index_dir=args.index_dir, corpus=corpus
        )
    print("\n".join(summary_lines(report)))
    print(f"reports in {args.out}: report.json, report.md, chart.png, questions.jsonl")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from policyqa.index.passage_store import open_store

    host = args.host or settings.service.host
    port = args.port or settings.service.port
    workers = settings.service.workers if args.workers is None else args.workers
    if workers < 0:
        raise CommandError("--workers must be 0 (one per core) or more")
    cores = os.cpu_count() or 1
    workers = workers or cores
    if workers > 1:
        # One process per core answers more than threads fighting over the cores: each worker
        # computes on one thread (unless the environment already says otherwise).
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, str(max(1, cores // workers)))
    store = open_store(settings)  # the local folder, or Qdrant (POLICYQA_STORE__KIND)
    if store.current_version() is None:
        print(f"no index in {store.location}; indexing {settings.corpus_dir}", file=sys.stderr)
        report = _run_ingest(settings, [settings.corpus_dir])
        _print_report(report, settings)
        if report.failed and not report.passages:
            return 1
    # workers are separate processes: hand them the settings through the environment
    os.environ["POLICYQA_INDEX_DIR"] = str(settings.index_dir)
    print(f"policyqa serving {store.location} on http://{host}:{port}", file=sys.stderr)
    uvicorn.run(
        "policyqa.service.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_keep_alive=settings.service.timeout_keep_alive,  # idle and slow connections
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
