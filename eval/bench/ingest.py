"""Ingest: parsing and chunking per page, embedding throughput against the bare encoder, re-ingest.

The pipeline's embedding step (``IngestReport.seconds["embed"]`` of a full ingest) is set against
``SentenceTransformer.encode`` of the very same passage texts with the same batch size, the two
alternating in one loop; the throughput ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from policyqa.eval.bench.measure import repeat_ms, summarize, time_ms
from policyqa.index import IndexBuilder, SentenceTransformerEmbedder
from policyqa.index.embedding import resolve_model_path
from policyqa.ingest import TiktokenCounter, chunk_document, load_document
from policyqa.settings import Settings


def parse_and_chunk(
    files: tuple[Path, ...], embedder: SentenceTransformerEmbedder, settings: Settings, repeats: int
) -> dict[str, Any]:
    """Milliseconds to load and chunk each file, in total and per page (no embedding)."""
    counter = TiktokenCounter(settings.chunking.encoding)
    pages = _page_count(files)
    results: dict[str, Any] = {}
    for path in files:

        def parse_one(path: Path = path) -> None:
            document = load_document(path)
            chunk_document(document, settings.chunking, counter, embedder.fits)

        timing = summarize(repeat_ms(parse_one, repeats))
        document = load_document(path)
        passages = len(chunk_document(document, settings.chunking, counter, embedder.fits))
        results[path.suffix.lstrip(".")] = {
            "file": path.name,
            "passages": passages,
            "pages": pages,
            **timing.as_dict(),
            "median_ms_per_page": round(timing.median / pages, 3) if pages else None,
        }
    return results


def embedding_throughput(
    files: tuple[Path, ...], embedder: SentenceTransformerEmbedder, settings: Settings, rounds: int
) -> dict[str, Any]:
    """Chunks per second: the pipeline's embedding step against a bare ``encode``, side by side."""
    from sentence_transformers import SentenceTransformer

    bare = SentenceTransformer(str(resolve_model_path(settings.embedding.model)), device="cpu")
    counter = TiktokenCounter(settings.chunking.encoding)
    texts = [
        chunk.embedding_text
        for path in files
        for chunk in chunk_document(load_document(path), settings.chunking, counter, embedder.fits)
    ]
    batch = settings.embedding.batch_size

    def encode_bare() -> None:
        bare.encode(texts, batch_size=batch, normalize_embeddings=True, show_progress_bar=False)

    encode_bare()  # warm both
    pipeline_seconds: list[float] = []
    bare_seconds: list[float] = []
    ratios: list[float] = []
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as scratch:
        for number in range(rounds):
            run_settings = settings.with_overrides(index_dir=Path(scratch) / f"index-{number}")
            builder = IndexBuilder(run_settings, embedder)
            if number % 2:
                bare_ms = time_ms(encode_bare)
                report = builder.ingest_paths(list(files))
            else:
                report = builder.ingest_paths(list(files))
                bare_ms = time_ms(encode_bare)
            assert report.embedded == len(texts), (report.embedded, len(texts))
            pipeline_seconds.append(report.seconds["embed"])
            bare_seconds.append(bare_ms / 1000)
            ratios.append((bare_ms / 1000) / report.seconds["embed"])
    pipeline_rate = len(texts) / statistics.median(pipeline_seconds)
    bare_rate = len(texts) / statistics.median(bare_seconds)
    return {
        "passages": len(texts),
        "batch_size": batch,
        "pipeline_chunks_per_s": round(pipeline_rate, 1),
        "bare_encode_chunks_per_s": round(bare_rate, 1),
        "pipeline_to_bare_ratio": round(statistics.median(ratios), 3),
        "ratios": [round(ratio, 3) for ratio in ratios],
    }


def reingest(
    files: tuple[Path, ...], embedder: SentenceTransformerEmbedder, settings: Settings, rounds: int
) -> dict[str, Any]:
    """A first ingest into an empty index against re-ingesting the unchanged files."""
    firsts: list[float] = []
    agains: list[float] = []
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as scratch:
        for number in range(rounds):
            builder = IndexBuilder(
                settings.with_overrides(index_dir=Path(scratch) / f"index-{number}"), embedder
            )
            run = partial(builder.ingest_paths, list(files))
            firsts.append(time_ms(run))
            report = run()
            assert report.embedded == 0 and len(report.unchanged) == len(files), report
            agains.append(statistics.median(repeat_ms(run, 5, 0)))
    first = statistics.median(firsts)
    again = statistics.median(agains)
    return {
        "first_ingest_ms": round(first, 1),
        "reingest_unchanged_ms": round(again, 2),
        "reingest_share": round(again / first, 4),
    }


def corpus_ingest(
    files: tuple[Path, ...], embedder: SentenceTransformerEmbedder, settings: Settings
) -> dict[str, Any]:
    """Ingest a whole corpus into ``settings.index_dir`` once; what it took."""
    builder = IndexBuilder(settings, embedder)
    started = time.perf_counter()
    report = builder.ingest_paths(list(files))
    elapsed = time.perf_counter() - started
    return {
        "documents": len(report.added),
        "failed": len(report.failed),
        "passages": report.passages,
        "seconds": {name: round(value, 2) for name, value in report.seconds.items()},
        "chunks_per_s": round(report.embedded / max(report.seconds.get("embed", 0.0), 1e-9), 1),
        "total_s": round(elapsed, 1),
    }


def _page_count(files: tuple[Path, ...]) -> int | None:
    """Pages of the PDF form (the Markdown is the same document, without page breaks)."""
    for path in files:
        if path.suffix.lower() == ".pdf":
            pages = load_document(path).pages
            if pages:
                return max(span.page for span in pages)
    return None
