"""The report files: ``report.json`` (stable keys), ``report.md``, ``chart.png`` and
``questions.jsonl`` (every question's outcome per system)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from policyqa.errors import EvaluationError

RETRIEVAL_COLUMNS = (
    ("recall@1", "Recall@1"),
    ("recall@5", "Recall@5"),
    ("recall@10", "Recall@10"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
)
LATENCY_STAGES = ("embed", "retrieve", "answer", "total")

METRIC_NOTES = """\
- **Relevant passage**: a passage of the system's own index whose span overlaps a gold evidence
  span of the same document (each system is judged on its own passages).
- **Recall@k**: share of a question's relevant passages among the system's first k; averaged over
  answerable questions. **MRR@10**: 1/rank of the first relevant passage (0 beyond 10).
  **nDCG@10**: rank-discounted gain of the relevant passages in the first 10. All three computed
  by ir-measures (trec_eval).
- **Key-fact recall**: share of a question's key facts found in the answer (words compared, case
  and punctuation ignored); a declined answerable question scores 0. Longer answers find more:
  read it next to the answers' median length and the citation precision.
- **Citation validity**: share of citations whose quote is exactly the document's text at the
  cited span. **Precision**: share of an answer's citations that overlap gold evidence (answered
  questions). **Recall**: share of the gold evidence spans some citation overlaps (answerable
  questions).
- **Abstention precision**: share of "not covered" answers given to unanswerable questions.
  **Abstention recall**: share of unanswerable questions answered "not covered".
- **Answer-first**: share of answerable questions whose answer's first statement (up to its first
  citation marker) holds a key fact. **Citation hit@1**: share of answerable questions whose first
  citation overlaps gold evidence. A declined answerable question scores 0 on both.
- **Latency**: per question, median and 95th percentile, in milliseconds.
"""


def write_reports(
    report: dict[str, Any], per_question: Sequence[dict[str, Any]], out_dir: Path
) -> None:
    """Write the JSON and Markdown reports, the chart and the per-question outcomes."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "report.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        (out_dir / "questions.jsonl").write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in per_question), "utf-8"
        )
        (out_dir / "report.md").write_text(markdown_report(report, per_question), "utf-8")
        write_chart(report, out_dir / "chart.png")
    except OSError as error:
        raise EvaluationError(f"cannot write the reports to {out_dir}: {error}") from error


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_number(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown_report(report: dict[str, Any], per_question: Sequence[dict[str, Any]] = ()) -> str:
    """The report for people: tables of every metric, by system, then by question style."""
    dataset = report["dataset"]
    target = report["target"]
    machine = report["machine"]
    systems: dict[str, Any] = report["systems"]
    if target["mode"] == "service":
        where = f"the service at {target['url']}"
    else:
        where = (
            f"an in-process index of {target['documents']} documents, {target['passages']} passages"
        )
    lines = [
        "# policyqa evaluation",
        "",
        f"Measured {report['measured_at']} on {machine['processor']} ({machine['cpus']} CPUs, "
        f"Python {machine['python']}), policyqa {report['policyqa_version']}, model "
        f"{target.get('model')}, against {where}.",
        "",
        f"Dataset: {', '.join(Path(f).name for f in dataset['files'])}: "
        f"{dataset['questions']} questions ({dataset['answerable']} answerable, "
        f"{dataset['unanswerable']} unanswerable) about {len(dataset['documents'])} document(s); "
        "styles: " + ", ".join(f"{k} {v}" for k, v in dataset["styles"].items()) + ".",
        "",
        "## Retrieval",
        "",
    ]
    lines += _table(
        ["system", *(title for _, title in RETRIEVAL_COLUMNS)],
        [
            [name, *(entry["retrieval"][key] for key, _ in RETRIEVAL_COLUMNS)]
            for name, entry in systems.items()
        ],
    )
    answering = {name: entry for name, entry in systems.items() if entry["answers"]}
    if answering:
        lines += ["", "## Answers and citations", ""]
        lines += _table(
            [
                "system",
                "key-fact recall",
                "answer-first",
                "answered",
                "median length",
                "citation validity",
                "citation hit@1",
                "citation precision",
                "citation recall",
                "abstention precision",
                "abstention recall",
            ],
            [
                [
                    name,
                    entry["answer"]["key_fact_recall"],
                    entry["answer"].get("answer_first"),
                    f"{entry['answer']['answered']}/{entry['answer']['questions']}",
                    _chars(entry["answer"]["median_chars"]),
                    entry["citations"]["validity"],
                    entry["citations"].get("hit_at_1"),
                    entry["citations"]["precision"],
                    entry["citations"]["recall"],
                    entry["abstention"]["precision"],
                    entry["abstention"]["recall"],
                ]
                for name, entry in answering.items()
            ],
        )
    lines += ["", "## Latency (ms, median / p95)", ""]
    lines += _table(
        ["system", *LATENCY_STAGES],
        [
            [name, *(_latency(report["latency_ms"][name].get(stage)) for stage in LATENCY_STAGES)]
            for name in systems
        ],
    )
    focus = "full" if "full" in systems else next(iter(systems))
    lines += _dataset_lines(report.get("by_dataset") or {}, focus)
    styles = report["by_style"][focus]
    lines += ["", f"## By question style ({focus})", ""]
    lines += _table(
        ["style", "questions", "Recall@5", "MRR@10", "key-fact recall", "abstained"],
        [
            [
                style,
                row["questions"],
                row.get("recall@5"),
                row.get("mrr@10"),
                row.get("key_fact_recall"),
                row.get("abstained"),
            ]
            for style, row in styles.items()
        ],
    )
    missed = [
        row
        for row in per_question
        if row["system"] == focus
        and (
            (row["answerable"] and (row.get("first_relevant_rank") or 99) > 5)
            or (row["answerable"] and row.get("key_facts_missing"))
            or (not row["answerable"] and row.get("abstained") is False)
        )
    ]
    if missed:
        lines += ["", f"## Questions the {focus} system missed", ""]
        for row in missed:
            problems = []
            rank = row.get("first_relevant_rank")
            if row["answerable"] and (rank or 99) > 5:
                problems.append(f"first relevant passage at rank {rank or '>10'}")
            if row["answerable"] and row.get("key_facts_missing"):
                problems.append("missing " + "; ".join(repr(f) for f in row["key_facts_missing"]))
            if not row["answerable"] and row.get("abstained") is False:
                problems.append("answered an unanswerable question")
            lines.append(f"- `{row['id']}` {row['question']} — {', '.join(problems)}")
    lines += ["", "## Systems", ""]
    lines += [f"- **{name}**: {entry['description']}" for name, entry in systems.items()]
    lines += ["", "## Metrics", "", METRIC_NOTES]
    return "\n".join(lines)


def _dataset_lines(by_dataset: dict[str, Any], focus: str) -> list[str]:
    """One row per dataset for the ``focus`` system (nothing when there is one dataset)."""
    if not by_dataset:
        return []
    rows = []
    for name, systems in by_dataset.items():
        entry = systems[focus]
        answer, citations = entry.get("answer") or {}, entry.get("citations") or {}
        abstention = entry.get("abstention") or {}
        rows.append(
            [
                name,
                entry["retrieval"]["recall@5"],
                entry["retrieval"]["mrr@10"],
                citations.get("hit_at_1"),
                answer.get("answer_first"),
                answer.get("key_fact_recall"),
                abstention.get("precision"),
                abstention.get("recall"),
            ]
        )
    header = ["dataset", "Recall@5", "MRR@10", "citation hit@1", "answer-first", "key-fact recall"]
    header += ["abstention precision", "abstention recall"]
    return ["", f"## By dataset ({focus})", "", *_table(header, rows)]


def _chars(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} chars"


def _latency(values: dict[str, float] | None) -> str:
    if not values:
        return "–"
    return f"{values['median']:.1f} / {values['p95']:.1f}"


def write_chart(report: dict[str, Any], path: Path) -> None:
    """A PNG comparing the systems: retrieval metrics, and answer metrics where they apply."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    systems: dict[str, Any] = report["systems"]
    names = list(systems)
    retrieval = [("Recall@5", "recall@5"), ("MRR@10", "mrr@10"), ("nDCG@10", "ndcg@10")]
    answering = [name for name in names if systems[name]["answers"]]
    answer_metrics = [
        ("key-fact recall", "answer", "key_fact_recall"),
        ("citation precision", "citations", "precision"),
        ("citation recall", "citations", "recall"),
        ("abstention recall", "abstention", "recall"),
    ]
    palette = plt.get_cmap("tab10")
    colours = {name: palette(index % 10) for index, name in enumerate(names)}  # one per system
    panels = 2 if answering else 1
    figure, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 4.2), squeeze=False)
    _bars(
        axes[0][0],
        [title for title, _ in retrieval],
        {name: [systems[name]["retrieval"][key] for _, key in retrieval] for name in names},
        "Retrieval",
        colours,
    )
    if answering:
        _bars(
            axes[0][1],
            [title for title, _, _ in answer_metrics],
            {
                name: [systems[name][group][key] or 0.0 for _, group, key in answer_metrics]
                for name in answering
            },
            "Answers",
            colours,
        )
    figure.suptitle(
        f"policyqa evaluation: {report['questions']} questions, {report['measured_at'][:10]}"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _bars(
    axis: Any,
    metrics: list[str],
    values: dict[str, list[float]],
    title: str,
    colours: dict[str, Any],
) -> None:
    width = 0.8 / max(len(values), 1)
    for index, (name, row) in enumerate(values.items()):
        positions = [m + (index - (len(values) - 1) / 2) * width for m in range(len(metrics))]
        axis.bar(positions, row, width, label=name, color=colours[name])
    axis.set_xticks(range(len(metrics)), metrics, fontsize=8)
    axis.set_ylim(0, 1.18)  # room for the legend above the bars
    axis.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axis.set_title(title)
    axis.grid(axis="y", alpha=0.3)
    axis.legend(fontsize=8, loc="upper center", ncol=len(values), frameon=False)


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A short plain-text table for the terminal."""
    header = f"{'system':<10} {'R@5':>6} {'MRR@10':>7} {'nDCG@10':>8} {'facts':>6} {'abstain':>8}"
    lines = [f"{report['questions']} questions, measured {report['measured_at']}", header]
    for name, entry in report["systems"].items():
        retrieval = entry["retrieval"]
        facts = entry["answer"]["key_fact_recall"] if entry["answer"] else None
        abstain = entry["abstention"]["recall"] if entry["abstention"] else None
        lines.append(
            f"{name:<10} {retrieval['recall@5']:>6.3f} {retrieval['mrr@10']:>7.3f} "
            f"{retrieval['ndcg@10']:>8.3f} {_number(facts):>6} {_number(abstain):>8}"
        )
    return lines
