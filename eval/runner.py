"""Run an evaluation: gold questions through every system, metrics, and the report files.

``evaluate_in_process`` indexes the corpus (by default the bundled one) and compares the five
in-process systems over the same questions and model; ``evaluate_service`` evaluates a running
service through its HTTP contract alone. Both write ``report.json``, ``report.md``, ``chart.png``
and ``questions.jsonl`` (every question's outcome per system) into the output folder.
"""

from __future__ import annotations

import contextlib
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyqa import __version__
from policyqa.errors import EvaluationError, GoldDataError
from policyqa.eval.dataset import (
    Dataset,
    GoldQuestion,
    Span,
    contains,
    load_dataset,
    locate_evidence,
)
from policyqa.eval.metrics import (
    abstention_counts,
    answer_first,
    citation_hit_at_1,
    citation_precision,
    citation_recall,
    citation_valid,
    key_fact_recall,
    latency_summary,
    mean,
    retrieval_metrics,
)
from policyqa.eval.report import write_reports
from policyqa.eval.systems import EvaluatedSystem, SystemOutput
from policyqa.settings import Settings

if TYPE_CHECKING:
    import httpx

    from policyqa.index import Embedder

#: Version of the report's layout; bumped when a key changes meaning or goes away.
REPORT_SCHEMA = 1

TextSource = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One system's response to one gold question, with its gold data."""

    question: GoldQuestion
    evidence: tuple[Span, ...]  # located gold spans
    relevant: frozenset[str]  # keys of the system's passages that hold gold evidence
    output: SystemOutput


def load_datasets(paths: Sequence[Path]) -> list[Dataset]:
    """Read every dataset; question ids must be unique across them."""
    datasets = [load_dataset(path) for path in paths]
    seen: dict[str, str] = {}
    for dataset in datasets:
        for question in dataset.questions:
            if question.id in seen:
                raise GoldDataError(
                    f"question id {question.id!r} is in both {seen[question.id]} and {dataset.name}"
                )
            seen[question.id] = dataset.name
    return datasets


def evaluate_in_process(
    dataset_paths: Sequence[Path],
    out_dir: Path,
    *,
    settings: Settings | None = None,
    index_dir: Path | None = None,
    corpus: Sequence[Path] = (),
    embedder: Embedder | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Index ``corpus`` into ``index_dir`` (default: a temporary folder), compare all systems.

    Files already indexed with the same content are not embedded again, so a second run over
    the same ``index_dir`` only embeds the questions.
    """
    from policyqa.eval.systems import in_process_systems
    from policyqa.index import IndexBuilder, SentenceTransformerEmbedder
    from policyqa.service.pipeline import open_engine

    datasets = load_datasets(dataset_paths)
    settings = settings or Settings()
    with contextlib.ExitStack() as stack:
        if index_dir is None:
            index_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pqa-eval-")))
        settings = settings.with_overrides(index_dir=index_dir)
        embedder = embedder or SentenceTransformerEmbedder(settings.embedding)
        paths = list(corpus) or [settings.corpus_dir]
        ingest = IndexBuilder(settings, embedder).ingest_paths(paths)
        if ingest.failed:
            failure = ingest.failed[0]
            raise EvaluationError(f"cannot index the corpus: {failure.path}: {failure.error}")
        engine = open_engine(settings, embedder=embedder)
        documents = engine.snapshot.documents

        def text_of(doc_id: str) -> str | None:
            document = documents.get(doc_id)
            return None if document is None else document.text

        systems = in_process_systems(engine)
        target = {
            "mode": "in-process",
            "index_dir": str(index_dir),
            "store": settings.store.kind,
            "corpus": [str(path) for path in paths],
            "documents": len(documents),
            "passages": len(engine.snapshot.chunks),
            "model": embedder.name,
        }
        return run_evaluation(datasets, systems, text_of, out_dir, target, progress=progress)


def evaluate_service(
    dataset_paths: Sequence[Path],
    out_dir: Path,
    *,
    url: str | None = None,
    client: httpx.Client | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Evaluate the service at ``url`` (or behind ``client``) as a black box."""
    import httpx

    from policyqa.eval.systems import ServiceClient, ServiceSystem

    datasets = load_datasets(dataset_paths)
    with contextlib.ExitStack() as stack:
        if client is None:
            if not url:
                raise EvaluationError("a service URL is needed")
            if not url.startswith(("http://", "https://")):
                raise EvaluationError(f"not an http(s) URL: {url!r}")
            client = stack.enter_context(httpx.Client(base_url=url, timeout=60.0))
        service = ServiceClient(client)
        ready = service.wait_ready()
        index = ready.get("index") or {}
        target = {
            "mode": "service",
            "url": str(client.base_url),
            "documents": index.get("documents"),
            "passages": index.get("passages"),
            "model": index.get("model"),
        }
        system = ServiceSystem(service)
        return run_evaluation(
            datasets, [system], service.text_of, out_dir, target, progress=progress
        )


def run_evaluation(
    datasets: Sequence[Dataset],
    systems: Sequence[EvaluatedSystem],
    text_of: TextSource,
    out_dir: Path,
    target: dict[str, Any],
    *,
    progress: bool = True,
) -> dict[str, Any]:
    """Ask every question of every system, compute the metrics, write the reports."""
    from tqdm import tqdm

    questions = [question for dataset in datasets for question in dataset.questions]
    evidence = locate_evidence(questions, text_of)
    outcomes: dict[str, list[Outcome]] = {system.name: [] for system in systems}
    relevant_cache: dict[tuple[str, str], frozenset[str]] = {}
    with tqdm(
        total=len(questions) * len(systems),
        desc="evaluating",
        unit=" answers",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    ) as bar:
        # question by question, every system in turn: load on a shared machine hits all alike
        for question in questions:
            for system in systems:
                key = (system.name, question.id)
                if key not in relevant_cache:
                    relevant_cache[key] = frozenset(system.relevant(evidence[question.id]))
                output = system.run(question.question)
                outcomes[system.name].append(
                    Outcome(question, evidence[question.id], relevant_cache[key], output)
                )
                bar.update(1)

    report = build_report(datasets, systems, outcomes, text_of, target)
    per_question = [
        question_row(system.name, outcome, text_of)
        for system in systems
        for outcome in outcomes[system.name]
    ]
    write_reports(report, per_question, out_dir)
    return report


# --- aggregation ----------------------------------------------------------------------------------


def build_report(
    datasets: Sequence[Dataset],
    systems: Sequence[EvaluatedSystem],
    outcomes: dict[str, list[Outcome]],
    text_of: TextSource,
    target: dict[str, Any],
) -> dict[str, Any]:
    """The report as a JSON-ready dictionary with stable keys."""
    questions = [question for dataset in datasets for question in dataset.questions]
    answerable = [question for question in questions if question.answerable]
    report_systems: dict[str, Any] = {}
    latency: dict[str, Any] = {}
    by_style: dict[str, Any] = {}
    for system in systems:
        results = outcomes[system.name]
        metrics, per_question = _retrieval(results)
        entry: dict[str, Any] = {
            "description": system.description,
            "answers": system.answers,
            "retrieval": metrics,
            "answer": None,
            "citations": None,
            "abstention": None,
        }
        if system.answers:
            entry.update(_answer_metrics(results, text_of))
        report_systems[system.name] = entry
        latency[system.name] = latency_summary([r.output.timings_ms for r in results])
        by_style[system.name] = _by_style(results, per_question)
    by_dataset = _by_dataset(datasets, systems, outcomes, text_of) if len(datasets) > 1 else {}
    return {
        "schema": REPORT_SCHEMA,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "policyqa_version": __version__,
        "machine": _machine(),
        "target": target,
        "dataset": {
            "files": [dataset.path for dataset in datasets],
            "questions": len(questions),
            "answerable": len(answerable),
            "unanswerable": len(questions) - len(answerable),
            "documents": sorted({doc for dataset in datasets for doc in dataset.doc_ids}),
            "countries": sorted({q.country for q in questions if q.country}),
            "styles": _counts(question.style for question in questions),
            "categories": _counts(question.category for question in questions),
        },
        "questions": len(questions),
        "systems": report_systems,
        "latency_ms": latency,
        "by_style": by_style,
        "by_dataset": by_dataset,
    }


def _by_dataset(
    datasets: Sequence[Dataset],
    systems: Sequence[EvaluatedSystem],
    outcomes: dict[str, list[Outcome]],
    text_of: TextSource,
) -> dict[str, dict[str, Any]]:
    """Every system's metrics on each dataset alone (a held-out set next to the gold set)."""
    table: dict[str, dict[str, Any]] = {}
    for dataset in datasets:
        ids = {question.id for question in dataset.questions}
        table[dataset.name] = {}
        for system in systems:
            results = [r for r in outcomes[system.name] if r.question.id in ids]
            entry: dict[str, Any] = {"retrieval": _retrieval(results)[0]}
            if system.answers:
                entry.update(_answer_metrics(results, text_of))
            table[dataset.name][system.name] = entry
    return table


def _retrieval(results: list[Outcome]) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    answerable = [r for r in results if r.question.answerable]
    qrels = {r.question.id: set(r.relevant) for r in answerable}
    runs = {r.question.id: [p.key for p in r.output.ranking] for r in answerable}
    means, per_question = retrieval_metrics(qrels, runs)
    metrics: dict[str, Any] = {name: round(value, 4) for name, value in means.items()}
    metrics["questions"] = len(answerable)
    metrics["evidence_not_indexed"] = sum(not r.relevant for r in answerable)
    return metrics, per_question


def _answer_metrics(results: list[Outcome], text_of: TextSource) -> dict[str, Any]:
    answerable = [r for r in results if r.question.answerable]
    answered = [r for r in answerable if r.output.answer and r.output.answer.answerable]
    facts = [_key_fact_recall(r) for r in answerable]
    citations = [c for r in results if r.output.answer for c in r.output.answer.citations]
    valid = [citation_valid(c, text_of(c.doc_id)) for c in citations]
    precision = [
        citation_precision(r.output.answer.citations, r.evidence)
        for r in answered
        if r.output.answer
    ]
    recall = [
        citation_recall(r.output.answer.citations if r.output.answer else (), r.evidence)
        for r in answerable
    ]
    counts = abstention_counts(
        (r.question.answerable, bool(r.output.answer and not r.output.answer.answerable))
        for r in results
    )
    metrics: dict[str, Any] = {
        "answer": {
            "key_fact_recall": _round(mean(facts)),
            "answer_first": _round(mean(_answer_first(r) for r in answerable)),
            "key_fact_recall_answered": _round(mean(_key_fact_recall(r) for r in answered)),
            "answered": len(answered),
            "questions": len(answerable),
            # key-fact recall rewards long answers: read it next to how long they are
            "median_chars": _median(
                [len(r.output.answer.text) for r in answered if r.output.answer]
            ),
        },
        "citations": {
            "count": len(citations),
            "validity": _round(mean(float(v) for v in valid)),
            "precision": _round(mean(precision)),
            "recall": _round(mean(recall)),
            "hit_at_1": _round(mean(_citation_hit_at_1(r) for r in answerable)),
        },
        "abstention": {
            "precision": _round(counts.precision),
            "recall": _round(counts.recall),
            "abstained_unanswerable": counts.abstained_unanswerable,
            "abstained_answerable": counts.abstained_answerable,
            "answered_unanswerable": counts.answered_unanswerable,
        },
    }
    written = sum(r.output.answer.generated_sentences for r in results if r.output.answer)
    if written:  # a generator is configured: the share of its sentences verification kept
        supported = sum(r.output.answer.supported_sentences for r in results if r.output.answer)
        metrics["generation"] = {
            "faithfulness": _round(supported / written),
            "generated_sentences": written,
        }
    return metrics


def _answer_first(outcome: Outcome) -> float | None:
    """1 when the first statement holds a key fact; a declined answerable question scores 0."""
    answer = outcome.output.answer
    if not outcome.question.key_facts:
        return None
    if answer is None or not answer.answerable:
        return 0.0
    return float(bool(answer_first(answer.text, outcome.question.key_facts)))


def _citation_hit_at_1(outcome: Outcome) -> float:
    answer = outcome.output.answer
    if answer is None or not answer.answerable:
        return 0.0
    return float(citation_hit_at_1(answer.citations, outcome.evidence))


def _key_fact_recall(outcome: Outcome) -> float:
    answer = outcome.output.answer
    if answer is None or not answer.answerable:
        return 0.0
    return key_fact_recall(answer.text, outcome.question.key_facts)


def _by_style(
    results: list[Outcome], per_question: dict[str, dict[str, float]]
) -> dict[str, dict[str, Any]]:
    styles: dict[str, list[Outcome]] = {}
    for result in results:
        styles.setdefault(result.question.style, []).append(result)
    table: dict[str, dict[str, Any]] = {}
    for style, group in sorted(styles.items()):
        answerable = [r for r in group if r.question.answerable]
        row: dict[str, Any] = {"questions": len(group)}
        if answerable:
            for name in ("recall@5", "mrr@10"):
                row[name] = _round(mean(per_question[r.question.id][name] for r in answerable))
            if any(r.output.answer for r in answerable):
                row["key_fact_recall"] = _round(mean(_key_fact_recall(r) for r in answerable))
        unanswerable = [r for r in group if not r.question.answerable]
        if unanswerable and any(r.output.answer for r in unanswerable):
            row["abstained"] = _round(
                mean(
                    float(bool(r.output.answer and not r.output.answer.answerable))
                    for r in unanswerable
                )
            )
        table[style] = row
    return table


def question_row(system: str, outcome: Outcome, text_of: TextSource) -> dict[str, Any]:
    """One line of ``questions.jsonl``: what a system did with one question."""
    question = outcome.question
    output = outcome.output
    ranking = [passage.key for passage in output.ranking]
    row: dict[str, Any] = {
        "system": system,
        "id": question.id,
        "question": question.question,
        "style": question.style,
        "category": question.category,
        "answerable": question.answerable,
        "relevant": sorted(outcome.relevant),
        "ranking": ranking,
        "first_relevant_rank": next(
            (rank for rank, key in enumerate(ranking, 1) if key in outcome.relevant), None
        ),
        "timings_ms": {stage: round(value, 3) for stage, value in output.timings_ms.items()},
    }
    answer = output.answer
    if answer is not None:
        row["answer"] = answer.text
        row["abstained"] = not answer.answerable
        row["key_facts_missing"] = [
            fact
            for fact in question.key_facts
            if not (answer.answerable and contains(answer.text, fact))
        ]
        row["key_fact_recall"] = _key_fact_recall(outcome)
        row["citations"] = [
            {
                "doc_id": citation.doc_id,
                "start": citation.start,
                "end": citation.end,
                "valid": citation_valid(citation, text_of(citation.doc_id)),
                "on_evidence": any(citation.span.overlaps(gold) for gold in outcome.evidence),
            }
            for citation in answer.citations
        ]
    return row


def _machine() -> dict[str, Any]:
    import os

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": _cpu_model() or platform.processor() or platform.machine(),
        "python": platform.python_version(),
    }


def _cpu_model() -> str | None:
    """The CPU's model name on Linux (``platform.processor()`` is often empty there)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text("utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return None


def _counts(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
