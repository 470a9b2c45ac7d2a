"""The drawing state of one synthetic factsheet: the decisions its texts must agree with.

``Drawer.decide`` draws the state of play first (scope, continuity, evidence of performance,
support instruments), then the years, type and name of the policy that fit it. The field texts
(``draw_fields``) and the narratives (``draw_narratives``) are drawn afterwards from the same
random stream and read these decisions, so every text states what the truth says. The order of
the draws is part of the output: a seed always gives the same factsheet.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from policyqa.eval.synthetic.vocabulary import MINISTRIES, SECTORS
from policyqa.ingest.factsheet import Criterion


class Drawer:
    """Draws a consistent factsheet: the state of play first, then texts that state it."""

    def __init__(
        self, rng: random.Random, country: str, adjective: str, year: int, scope: int
    ) -> None:
        self.rng = rng
        self.country = country
        self.adjective = adjective
        self.year = year
        self.scope = scope
        self.sector = rng.choice(SECTORS)
        self.interim_only = False  # level-2 evidence of performance: interim evaluation only
        self.start = self.first = year
        self.end: int | None = None
        self.ministry = rng.choice(MINISTRIES)
        self.agency = rng.choice(
            (
                f"National Innovation Agency of {country}",
                f"{country} Enterprise Agency",
                f"{adjective} Cluster Office",
                f"{adjective} Development Bank",
            )
        )

    def decide(self, seed: int) -> None:
        """Draw the state of play and the policy's years, type and name, before any text.

        Sets ``levels`` (the option per criterion), ``start``, ``first`` (since when cluster
        policy exists), ``end``, ``limited``, ``policy_type`` and ``policy_name``.
        """
        rng = self.rng
        if self.scope == 3:
            continuity = rng.choice((1, 2, 3, 3))
            support = rng.choice((3, 3, 2, 0)) if seed % 11 else 2
        else:
            continuity = 0
            support = 1 if seed % 9 else 0
        performance = rng.choice((0, 1, 2, 2, 3))
        # when the current policy started, and since when cluster policy exists
        if continuity == 1:
            start = self.year - rng.choice((1, 2))
            first = start
        elif continuity == 2:
            first = self.year - rng.randint(3, 10)
            start = rng.choice((first, max(first, self.year - 3)))
        elif continuity == 3:
            first = self.year - rng.randint(11, 25)
            start = rng.choice((first, self.year - rng.randint(1, 6)))
        else:
            start = self.year - rng.randint(1, 8)
            first = start
        limited = rng.random() < 0.7
        end = start + rng.randint(4, 7) if limited else None
        if end is not None and end < self.year:
            end = self.year + rng.randint(0, 3)  # the policy described is the current one
        self.start, self.first, self.end = start, first, end
        self.policy_type = self._policy_type()
        self.policy_name = self._policy_name()
        self.levels = {
            Criterion.SCOPE: self.scope,
            Criterion.CONTINUITY: continuity,
            Criterion.PERFORMANCE: performance,
            Criterion.SUPPORT: support,
        }
        self.limited = limited  # the instruments' period ("Limited period")

    def _policy_type(self) -> str:
        options = {
            3: ("Dedicated cluster policy", "National cluster policy", "Regional cluster policy"),
            2: ("Sectoral policy", "Sectoral industrial policy"),
            1: ("Broad policy", "Broad innovation policy"),
        }[self.scope]
        return self.rng.choice(options)

    def _policy_name(self) -> str:
        c, a, s = self.country, self.adjective, self.start
        period = f"{s}-{self.end}" if self.end else str(s)
        options = {
            3: (
                f"{c} Cluster Excellence Programme",
                f"National Cluster Programme {period}",
                f"{a} Cluster Strategy {period}",
                f"{c} Cluster Development Initiative",
            ),
            2: (
                f"{period} Industrial Modernisation Plan",
                f"{a} {self.sector.title()} Sector Strategy",
                f"{c} Industrial Acceleration Plan {period}",
            ),
            1: (
                f"{a} Innovation Strategy {period}",
                f"Smart Growth Programme {period}",
                f"{c} Competitiveness Agenda",
            ),
        }[self.scope]
        return self.rng.choice(options)

    # --- sentence helpers, shared by the field texts and the narratives -------------------

    def pick(self, pool: Sequence[str], low: int, high: int) -> tuple[str, ...]:
        """Between ``low`` and ``high`` items of ``pool``, in the pool's order."""
        count = self.rng.randint(low, min(high, len(pool)))
        chosen = set(self.rng.sample(range(len(pool)), count))
        return tuple(item for index, item in enumerate(pool) if index in chosen)

    def sentences(self, *options: Sequence[str], low: int = 1) -> str:
        """One sentence from each option list (the first lists always, later ones by chance)."""
        out = []
        for index, choices in enumerate(options):
            if index < low or self.rng.random() < 0.6:
                out.append(self.rng.choice(choices))
        return " ".join(out)
