"""Profile field accuracy and parse time per PDF producer, over synthetic factsheets.

``python -m policyqa.eval.profile_accuracy [--count 30] [--producer NAME ...] [--seed 1000]``
writes ``count`` factsheets through each producer of ``synthetic.producers``, parses each PDF
(``load_document``, then ``parse_profile``) and compares the profile with the ground truth field
by field: country, year, policy type and name, each Table 1 field (categories, explanation and
sub-rows together), each narrative and each state-of-play criterion. It prints, per producer,
the share of fields equal to the truth and the median parse milliseconds per page; nothing else
(the held-out producers are judged by these aggregates alone).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policyqa.eval.synthetic import FactsheetTruth, make_truths
from policyqa.eval.synthetic.producers import HELD_OUT, PRODUCERS
from policyqa.ingest import load_document
from policyqa.ingest.factsheet import parse_profile


@dataclass(frozen=True, slots=True)
class ProducerScore:
    """One producer's aggregate: fields right out of fields compared, parse ms per page."""

    producer: str
    right: int
    total: int
    ms_per_page: list[float]

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def median_ms_per_page(self) -> float:
        return statistics.median(self.ms_per_page) if self.ms_per_page else 0.0


def field_matches(truth: FactsheetTruth, parsed: FactsheetTruth | None) -> tuple[int, int]:
    """(fields of ``parsed`` equal to ``truth``, fields compared)."""
    names = ("country", "year", "policy_type", "policy_name")
    total = len(names) + len(truth.fields) + len(truth.narratives) + len(truth.state_of_play)
    if parsed is None:
        return 0, total
    right = sum(getattr(truth, name) == getattr(parsed, name) for name in names)
    parsed_fields = {item.key: item for item in parsed.fields}
    right += sum(parsed_fields.get(item.key) == item for item in truth.fields)
    parsed_narratives = dict(parsed.narratives)
    right += sum(parsed_narratives.get(key) == text for key, text in truth.narratives)
    parsed_options = dict(parsed.state_of_play)
    right += sum(parsed_options.get(key) == option for key, option in truth.state_of_play)
    return right, total


def score_producer(name: str, truths: Sequence[FactsheetTruth], folder: Path) -> ProducerScore:
    """Write every truth through ``name``, parse it back, and score the profiles."""
    produce = PRODUCERS[name]
    right = total = 0
    per_page: list[float] = []
    for truth in truths:
        path = produce(truth, folder / f"{name.replace(':', '-')}-{truth.slug}.pdf")
        started = time.perf_counter()
        document = load_document(path)
        elapsed = (time.perf_counter() - started) * 1000
        per_page.append(elapsed / max(1, len(document.pages)))
        profile = parse_profile(document)
        parsed = FactsheetTruth.from_profile(profile) if profile is not None else None
        got, of = field_matches(truth, parsed)
        right, total = right + got, total + of
    return ProducerScore(name, right, total, per_page)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=30, help="factsheets per producer")
    parser.add_argument("--seed", type=int, default=1000, help="first truth seed")
    parser.add_argument("--producer", action="append", choices=sorted(PRODUCERS))
    args = parser.parse_args(argv)
    names = args.producer or list(PRODUCERS)
    truths = make_truths(args.count, start=args.seed)
    print(f"{'producer':44} {'fields':>9} {'accuracy':>9} {'ms/page':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            score = score_producer(name, truths, Path(tmp))
            mark = " (held out)" if name in HELD_OUT else ""
            print(
                f"{name + mark:44} {score.right:>4}/{score.total:<4} {score.accuracy:>9.4f} "
                f"{score.median_ms_per_page:>8.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
