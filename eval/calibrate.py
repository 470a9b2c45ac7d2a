"""Calibrate the answerer's "not covered" threshold on answerable and off-corpus questions.

Run ``python -m policyqa.eval.calibrate [--index-dir DIR] [--dataset FILE]``. For every question
it computes the relevance features of the retrieved passages (best cosine similarity and question
term coverage), then searches the coverage weight and the threshold that best separate answerable
from unanswerable questions (balanced accuracy, ties broken by the widest margin). The chosen
values are the defaults of ``AnswerSettings.coverage_weight`` and ``AnswerSettings.min_relevance``.

``--names`` calibrates the other decline instead: a question naming something no document
contains (a city, a firm, a number) is declined by name unless a retrieved sentence matches it
closely in meaning. Over the questions that name such a thing (by default the near-miss file,
``calibration-nearmiss.jsonl``, and ``calibration.jsonl``), it prints the best sentence cosine and
the threshold that best separates answerable from unanswerable ones (the default of
``service.pipeline.STRONG_MEANING``).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.service.relevance import relevance_features
from policyqa.settings import Settings

DEFAULT_DATASET = Path(__file__).resolve().parent / "data" / "calibration.jsonl"
NEAR_MISS_DATASET = DEFAULT_DATASET.with_name("calibration-nearmiss.jsonl")
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The chosen weight and threshold, and how well they separate the questions."""

    coverage_weight: float
    threshold: float
    balanced_accuracy: float
    margin: float  # distance from the threshold to the nearest question's score
    questions: int


def load_questions(path: Path) -> list[tuple[str, bool]]:
    """(question, answerable) pairs from a JSONL file."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [(row["question"], bool(row["answerable"])) for row in rows]


def features(
    engine: QAEngine, questions: list[tuple[str, bool]]
) -> list[tuple[float, float, bool]]:
    """(cosine, coverage, answerable) for every question, retrieved as ``ask`` would."""
    rows = []
    for question, answerable in questions:
        evidence, _ = engine.gather(question)
        dense, coverage = relevance_features(evidence)
        rows.append((dense, coverage, answerable))
    return rows


def calibrate(rows: list[tuple[float, float, bool]]) -> Calibration:
    """The weight and threshold with the best balanced accuracy, then the widest margin."""
    best: Calibration | None = None
    verbose_best: dict[float, tuple[float, float, float]] = {}
    for weight in WEIGHTS:
        scores = sorted(
            (dense + weight * coverage, answerable) for dense, coverage, answerable in rows
        )
        values = [score for score, _ in scores]
        candidates = [(left + right) / 2 for left, right in itertools.pairwise(values)]
        for threshold in candidates:
            positives = [score >= threshold for score, answerable in scores if answerable]
            negatives = [score < threshold for score, answerable in scores if not answerable]
            accuracy = (
                sum(positives) / max(len(positives), 1) + sum(negatives) / max(len(negatives), 1)
            ) / 2
            margin = min(abs(score - threshold) for score in values)
            candidate = Calibration(
                weight, round(threshold, 4), round(accuracy, 4), round(margin, 4), len(rows)
            )
            # accuracy to 3 decimals, so that the widest margin decides between equals
            if best is None or (round(accuracy, 3), margin) > (
                round(best.balanced_accuracy, 3),
                best.margin,
            ):
                best = candidate
            if verbose_best.get(weight) is None or (accuracy, margin) > verbose_best[weight][:2]:
                verbose_best[weight] = (accuracy, margin, threshold)
    for weight, (accuracy, margin, threshold) in verbose_best.items():
        print(
            f"weight {weight:4}: balanced accuracy {accuracy:.3f} "
            f"margin {margin:.3f} at {threshold:.3f}"
        )
    if best is None:
        raise ValueError("calibration needs at least two questions")
    return best


def name_features(
    engine: QAEngine, questions: list[tuple[str, bool]]
) -> list[tuple[str, list[str], float, bool]]:
    """(question, unknown names, best sentence cosine, answerable) of the questions that name
    something no document contains."""
    from policyqa.service.pipeline import best_sentence_cosine
    from policyqa.service.routing import unknown_names

    rows = []
    for question, answerable in questions:
        parsed = engine.parse(question)
        names = unknown_names(parsed, engine.countries, engine.snapshot.lexical)
        if names:
            evidence, _ = engine.gather(question, parsed=parsed)
            rows.append((question, names, best_sentence_cosine(evidence), answerable))
    return rows


def name_threshold(rows: list[tuple[str, list[str], float, bool]]) -> tuple[float, float]:
    """(threshold, balanced accuracy): answer at or above it, decline by name below it."""
    values = sorted({cosine for _, _, cosine, _ in rows})
    candidates = [0.0, *((a + b) / 2 for a, b in itertools.pairwise(values)), 1.0]
    best = (1.0, -1.0)
    for threshold in candidates:
        kept = [cosine >= threshold for _, _, cosine, answerable in rows if answerable]
        declined = [cosine < threshold for _, _, cosine, answerable in rows if not answerable]
        accuracy = (
            (sum(kept) / len(kept) if kept else 1.0)
            + (sum(declined) / len(declined) if declined else 1.0)
        ) / 2
        if accuracy > best[1]:
            best = (round(threshold, 4), round(accuracy, 4))
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the feature table and the chosen calibration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, help="index to calibrate on (default: settings)")
    parser.add_argument("--dataset", type=Path, action="append")
    parser.add_argument("--names", action="store_true", help="calibrate the decline by name")
    args = parser.parse_args(argv)
    settings = Settings().with_overrides(index_dir=args.index_dir)
    engine = open_engine(settings, build_if_missing=True)
    if args.names:
        paths = args.dataset or [NEAR_MISS_DATASET, DEFAULT_DATASET]
        named = name_features(engine, [q for path in paths for q in load_questions(path)])
        for question, names, cosine, answerable in named:
            label = "ANS" if answerable else "OFF"
            print(f"{label}  cos={cosine:.3f}  {', '.join(names)}  {question}")
        threshold, accuracy = name_threshold(named)
        print(json.dumps({"threshold": threshold, "balanced_accuracy": accuracy}))
        return 0
    questions = [q for path in (args.dataset or [DEFAULT_DATASET]) for q in load_questions(path)]
    rows = features(engine, questions)
    for (question, _), (dense, coverage, answerable) in zip(questions, rows, strict=True):
        print(f"{'ANS' if answerable else 'OFF'}  cos={dense:.3f}  cov={coverage:.3f}  {question}")
    result = calibrate(rows)
    print(json.dumps(dataclasses.asdict(result), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
