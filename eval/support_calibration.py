"""Calibrate the support threshold of generated-sentence verification on labelled pairs.

Run ``python -m policyqa.eval.support_calibration [--pairs FILE] [--heldout FILE]``. Each pair is
a sentence, the quote it cites, and whether the quote supports it (written by hand: Morocco's
factsheet and synthetic countries). Every pair goes through the verifier's own check (facts,
then the lexical and semantic support score, bundled MiniLM). The threshold chosen on the
calibration pairs maximises balanced accuracy (ties: the widest margin); it is the default of
``GeneratorSettings.support_threshold``. The held-out pairs, written before the verifier, only
report how well it does: recall (the share of unsupported sentences caught) and precision (the
share of caught sentences that were unsupported).
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from policyqa.index import Embedder
from policyqa.index.embedding import load_query_embedder
from policyqa.service.generation.facts import extract_facts, missing_facts
from policyqa.service.generation.support import SupportScorer
from policyqa.settings import EmbeddingSettings

PAIRS_DIR = Path(__file__).resolve().parent / "data" / "support_pairs"


@dataclass(frozen=True, slots=True)
class Pair:
    """A sentence, the quote it cites, and whether the quote supports it."""

    sentence: str
    quote: str
    supported: bool


@dataclass(frozen=True, slots=True)
class Scored:
    """A pair with the verifier's measures: facts all found, and the support score."""

    pair: Pair
    facts_ok: bool
    score: float


@dataclass(frozen=True, slots=True)
class Figures:
    """How well the verifier, at one threshold, catches unsupported sentences."""

    threshold: float
    recall: float  # unsupported sentences caught / unsupported sentences
    precision: float  # unsupported sentences caught / sentences flagged
    balanced_accuracy: float
    pairs: int


def load_pairs(path: Path) -> list[Pair]:
    """The labelled pairs of a JSONL file."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [Pair(row["sentence"], row["quote"], bool(row["supported"])) for row in rows]


def score_pairs(pairs: list[Pair], scorer: SupportScorer) -> list[Scored]:
    """The verifier's fact check and support score of every pair."""
    scored = []
    for pair in pairs:
        facts_ok = not missing_facts(extract_facts(pair.sentence), [pair.quote])
        scored.append(Scored(pair, facts_ok, scorer.score(pair.sentence, [pair.quote])))
    return scored


def figures(scored: list[Scored], threshold: float) -> Figures:
    """Recall, precision and balanced accuracy of flagging at ``threshold``."""
    flagged = [not s.facts_ok or s.score < threshold for s in scored]
    unsupported = [not s.pair.supported for s in scored]
    caught = sum(f and u for f, u in zip(flagged, unsupported, strict=True))
    kept_good = sum(not f and not u for f, u in zip(flagged, unsupported, strict=True))
    n_unsupported, n_supported = sum(unsupported), len(scored) - sum(unsupported)
    recall = caught / n_unsupported if n_unsupported else 1.0
    precision = caught / sum(flagged) if any(flagged) else 1.0
    specificity = kept_good / n_supported if n_supported else 1.0
    return Figures(
        round(threshold, 4),
        round(recall, 3),
        round(precision, 3),
        round((recall + specificity) / 2, 3),
        len(scored),
    )


def calibrate(scored: list[Scored]) -> Figures:
    """The threshold (midway between two observed scores) with the best balanced accuracy."""
    scores = sorted({round(s.score, 4) for s in scored})
    candidates = [(a + b) / 2 for a, b in itertools.pairwise(scores)] or [0.5]

    def margin(threshold: float) -> float:
        return min(abs(s.score - threshold) for s in scored)

    return max(
        (figures(scored, t) for t in candidates),
        key=lambda f: (f.balanced_accuracy, margin(f.threshold)),
    )


def run(calibration: Path, heldout: Path, embedder: Embedder) -> dict[str, object]:
    """Calibrate on one file, report on the other."""
    scorer = SupportScorer(embedder)
    chosen = calibrate(score_pairs(load_pairs(calibration), scorer))
    held = figures(score_pairs(load_pairs(heldout), scorer), chosen.threshold)
    return {"calibration": asdict(chosen), "heldout": asdict(held)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS_DIR / "calibration.jsonl")
    parser.add_argument("--heldout", type=Path, default=PAIRS_DIR / "heldout.jsonl")
    args = parser.parse_args(argv)
    report = run(args.pairs, args.heldout, load_query_embedder(EmbeddingSettings()))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
