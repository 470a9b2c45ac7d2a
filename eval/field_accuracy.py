"""Does each answer name the right country and field? Every country x every template aspect.

The gold questions of ``eval.synthetic.gold_questions`` (about 26 per factsheet: each Table 1
field, each state-of-play criterion, cooperation and the policy, asked directly, paraphrased, as
yes/no or number questions) are asked of an engine over Morocco's factsheet and synthetic ones.
An answer is right when

- it is answerable and every citation quotes exactly its document's text at its span,
- every citation quotes the question's country's own document (no other country's),
- some citation overlaps the question's evidence (the field or narrative it is about),
- it contains every key fact (case-insensitive).

Comparison questions (``comparison_questions``) are right when they cite exactly the countries
the truth names, each with a quote overlapping its evidence.

Run ``python -m policyqa.eval.field_accuracy [--countries 31] [--index-dir DIR] [--phrasings
gold|further|unseen]``: it writes the synthetic factsheets (alternately Markdown and PDF) and
Morocco's into an index (a temporary one unless ``--index-dir`` is given), asks every question and
prints the accuracy per aspect and style. ``further`` and ``unseen`` ask two more phrasings per
aspect and country instead (``eval.synthetic.PHRASINGS``, on which the question patterns were
fixed, and ``UNSEEN_PHRASINGS``, never tuned on).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyqa.eval.synthetic import (
    PHRASINGS,
    UNSEEN_PHRASINGS,
    FactsheetTruth,
    comparison_questions,
    gold_questions,
    rephrased_questions,
    write_corpus,
)
from policyqa.ingest import Document
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.service.statements import verify_citations
from policyqa.service.types import Answer
from policyqa.settings import Settings

MOROCCO_ADJECTIVE = "Moroccan"


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question, asked and judged."""

    id: str
    question: str
    category: str
    style: str
    country: str | None
    problems: tuple[str, ...]  # why the answer is wrong; empty when it is right
    answer: str
    ms: float  # time to answer

    @property
    def correct(self) -> bool:
        """True when nothing is wrong with the answer."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class AccuracyReport:
    """Results of a run, with the breakdowns the README reports."""

    results: tuple[QuestionResult, ...]

    @property
    def accuracy(self) -> float:
        """Share of questions answered right."""
        return sum(r.correct for r in self.results) / max(len(self.results), 1)

    def by(self, attribute: str) -> dict[str, tuple[int, int]]:
        """(right, asked) per value of ``attribute`` ("category", "style", "country")."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for result in self.results:
            row = table[str(getattr(result, attribute))]
            row[0] += result.correct
            row[1] += 1
        return {key: (right, asked) for key, (right, asked) in sorted(table.items())}

    def failures(self) -> list[QuestionResult]:
        """The questions answered wrong."""
        return [r for r in self.results if not r.correct]

    def median_ms(self) -> float:
        """Median answering time."""
        times = sorted(r.ms for r in self.results)
        return times[len(times) // 2] if times else 0.0


def _spans_of(text: str, quote: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(quote)
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def judge(
    question: Mapping[str, Any], answer: Answer, documents: Mapping[str, Document]
) -> list[str]:
    """What is wrong with ``answer`` to a gold ``question`` (empty: nothing)."""
    problems = list(verify_citations(answer, documents))
    if not answer.answerable or not answer.citations:
        return [*problems, "not answered"]
    evidence = question["evidence"]
    wanted_docs = {item["doc_id"] for item in evidence}
    cited_docs = {citation.doc_id for citation in answer.citations}
    if not cited_docs <= wanted_docs:
        problems.append(f"cites other documents: {sorted(cited_docs - wanted_docs)}")
    # the right field: a citation overlapping the evidence, in each document it comes from
    for doc_id in sorted(wanted_docs):
        text = documents[doc_id].text
        spans = [
            span
            for item in evidence
            if item["doc_id"] == doc_id
            for span in _spans_of(text, item["quote"])
        ]
        if not any(
            citation.doc_id == doc_id and citation.start < end and start < citation.end
            for citation in answer.citations
            for start, end in spans
        ):
            problems.append(f"no citation of the evidence in {doc_id}")
    lowered = answer.text.lower()
    missing = [fact for fact in question["key_facts"] if fact.lower() not in lowered]
    if missing:
        problems.append(f"missing key facts: {missing}")
    return problems


def evaluate(engine: QAEngine, questions: Iterable[Mapping[str, Any]]) -> AccuracyReport:
    """Ask every question of ``engine`` and judge the answers."""
    results = []
    for question in questions:
        started = time.perf_counter()
        answer = engine.ask(question["question"]).answer
        elapsed = (time.perf_counter() - started) * 1000
        results.append(
            QuestionResult(
                id=question["id"],
                question=question["question"],
                category=question["category"],
                style=question["style"],
                country=question["country"],
                problems=tuple(judge(question, answer, engine.snapshot.documents)),
                answer=answer.text,
                ms=round(elapsed, 2),
            )
        )
    return AccuracyReport(tuple(results))


def factsheet_questions(
    engine: QAEngine, truths: Sequence[FactsheetTruth], comparisons: bool = True
) -> list[dict[str, Any]]:
    """Gold questions for every factsheet of the engine that has a truth, and for Morocco's.

    Morocco's truth is its parsed profile (whose correctness ``tests/ingest/test_factsheet.py``
    checks field by field); the synthetic ones are the generator's.
    """
    by_country = {truth.country: truth for truth in truths}
    questions: list[dict[str, Any]] = []
    doc_ids: dict[str, str] = {}
    chosen: list[FactsheetTruth] = []
    for profile in engine.profiles.preferred():
        country = profile.country or ""
        truth = by_country.get(country)
        if truth is None and not profile.synthetic:
            truth = dataclasses.replace(
                FactsheetTruth.from_profile(profile), adjective=MOROCCO_ADJECTIVE
            )
        if truth is None:
            continue
        doc_ids[country] = profile.doc_id
        chosen.append(truth)
        questions.extend(gold_questions(truth, profile.doc_id))
    if comparisons:
        questions.extend(comparison_questions(chosen, doc_ids))
    return questions


def rephrased(
    engine: QAEngine,
    truths: Sequence[FactsheetTruth],
    phrasings: Mapping[str, Sequence[str]],
    turns: int = 2,
) -> list[dict[str, Any]]:
    """``turns`` further phrasings per aspect for every factsheet (``rephrased_questions``)."""
    by_country = {truth.country: truth for truth in truths}
    questions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, profile in enumerate(engine.profiles.preferred()):
        truth = by_country.get(profile.country or "")
        if truth is None and not profile.synthetic:
            truth = dataclasses.replace(
                FactsheetTruth.from_profile(profile), adjective=MOROCCO_ADJECTIVE
            )
        if truth is None:
            continue
        for turn in range(turns):
            for question in rephrased_questions(truth, profile.doc_id, index + turn, phrasings):
                if question["question"] not in seen:
                    seen.add(question["question"])
                    questions.append(question)
    return questions


def print_report(report: AccuracyReport) -> None:
    """The accuracy, its breakdowns and the first failures."""
    right = sum(r.correct for r in report.results)
    print(f"country+field accuracy: {right}/{len(report.results)} = {report.accuracy:.4f}")
    for attribute in ("category", "style"):
        cells = ", ".join(
            f"{key} {right}/{asked}" for key, (right, asked) in report.by(attribute).items()
        )
        print(f"by {attribute}: {cells}")
    print(f"median answer time: {report.median_ms():.1f} ms")
    for failure in report.failures()[:20]:
        print(f"WRONG {failure.id}: {failure.question} -> {'; '.join(failure.problems)}")


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) an index over Morocco and synthetic factsheets and report accuracy."""
    from policyqa.index import IndexBuilder, SentenceTransformerEmbedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=31, help="synthetic countries")
    parser.add_argument("--index-dir", type=Path, help="reuse or build the index here")
    parser.add_argument(
        "--phrasings",
        choices=["gold", "further", "unseen"],
        default="gold",
        help="gold: gold_questions and comparisons; further: PHRASINGS (the patterns were "
        "fixed on them); unseen: UNSEEN_PHRASINGS (never tuned on); two per aspect and country",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        index_dir = args.index_dir or folder / "index"
        settings = Settings().with_overrides(index_dir=index_dir)
        embedder = SentenceTransformerEmbedder(settings.embedding)
        truths, paths = write_corpus(folder / "corpus", args.countries)
        started = time.perf_counter()
        IndexBuilder(settings, embedder).ingest_paths(paths)
        print(f"indexed {len(paths)} documents in {time.perf_counter() - started:.1f} s")
        engine = open_engine(settings, embedder=embedder)
        if args.phrasings == "gold":
            questions = factsheet_questions(engine, truths)
        else:
            phrasings = PHRASINGS if args.phrasings == "further" else UNSEEN_PHRASINGS
            questions = rephrased(engine, truths, phrasings)
        print_report(evaluate(engine, questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
