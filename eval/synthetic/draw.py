"""Drawing a synthetic factsheet's truth from a seed: ``make_truth(seed)``, ``make_truths(n)``.

One ``random.Random(seed)`` stream draws, in this order: the country's name, the edition year
and the policy scope; the ``Drawer``'s decisions; the nine Table 1 fields (``draw_fields``); the
narratives (``draw_narratives``); and the layout choices the writers follow. Changing the order
changes every factsheet, so the order below is fixed.
"""

from __future__ import annotations

import random
import re
from typing import Any

from policyqa.eval.synthetic import draw_fields, draw_narratives
from policyqa.eval.synthetic.drawer import Drawer
from policyqa.eval.synthetic.truth import FactsheetTruth
from policyqa.eval.synthetic.vocabulary import (
    EDITION_YEARS,
    NAME_ENDINGS,
    NAME_MIDDLES,
    NAME_ONSETS,
)
from policyqa.ingest.factsheet import STATE_OF_PLAY_OPTIONS, Criterion
from policyqa.service.countries import WORLD_ALIASES, adjective_of


def country_name(rng: random.Random) -> str:
    """A fictional country name that is no real country's name or adjective."""
    while True:
        name = (
            rng.choice(NAME_ONSETS) + rng.choice(NAME_MIDDLES) + rng.choice(NAME_ENDINGS)
        ).capitalize()
        name = re.sub(r"([aeiou])\1", r"\1", name)  # no doubled vowels ("Velaara")
        folded = name.lower()
        if (
            6 <= len(name) <= 12
            and folded not in WORLD_ALIASES
            and not any(
                folded in alias or alias in folded for alias in WORLD_ALIASES if len(alias) > 4
            )
        ):
            return name


def make_truths(count: int, start: int = 0) -> list[FactsheetTruth]:
    """``count`` truths with distinct countries, from seeds ``start``, ``start + 1``, ..."""
    truths: list[FactsheetTruth] = []
    seen: set[str] = set()
    seed = start
    while len(truths) < count:
        truth = make_truth(seed)
        seed += 1
        if truth.country not in seen:
            seen.add(truth.country)
            truths.append(truth)
    return truths


def make_truth(seed: int) -> FactsheetTruth:
    """A fictional country's factsheet content, drawn from ``seed`` (deterministic)."""
    rng = random.Random(seed)
    country = country_name(rng)
    adjective = adjective_of(country)
    year = rng.choice(EDITION_YEARS)
    scope = (3, 3, 2, 1)[seed % 4] if seed % 7 else rng.choice((1, 2, 3))
    draw = Drawer(rng, country, adjective, year, scope)
    draw.decide(seed)
    levels = draw.levels
    fields = (
        draw_fields.objectives(draw),
        draw_fields.focus(draw),
        draw_fields.authorities(draw),
        draw_fields.beneficiaries(draw),
        draw_fields.instruments(draw, levels[Criterion.SUPPORT], draw.limited),
        draw_fields.history(draw, levels[Criterion.CONTINUITY]),
        draw_fields.budget(draw),
        draw_fields.evaluation(draw, levels[Criterion.PERFORMANCE]),
        draw_fields.alignment(draw),
    )
    narratives = (
        ("context", draw_narratives.context(draw)),
        ("overview", draw_narratives.overview(draw)),
        ("scope", draw_narratives.scope(draw)),
        ("continuity", draw_narratives.continuity(draw, levels[Criterion.CONTINUITY])),
        ("performance", draw_narratives.performance(draw, levels[Criterion.PERFORMANCE])),
        (
            "support_instruments",
            draw_narratives.support_instruments(draw, levels[Criterion.SUPPORT]),
        ),
        ("cooperation", draw_narratives.cooperation(draw)),
    )
    return FactsheetTruth(
        country=country,
        year=year,
        policy_type=draw.policy_type,
        policy_name=draw.policy_name,
        fields=fields,
        narratives=narratives,
        state_of_play=tuple(
            (criterion, STATE_OF_PLAY_OPTIONS[criterion][level])
            for criterion, level in levels.items()
        ),
        seed=seed,
        adjective=adjective,
        layout=_draw_layout(rng),
    )


def _draw_layout(rng: random.Random) -> dict[str, Any]:
    """Layout choices, drawn from the seed but not part of the truth."""
    return {
        "md_chunks": rng.choice((2, 3, 4)),  # Markdown tables Table 1 is split into
        "md_cells": rng.choice(("br", "p")),  # categories separated by <br> or wrapped in <p>
        "md_split_sentence": rng.random() < 0.6,  # split an explanation mid-sentence
        "pdf_body": rng.choice((9.5, 10.0, 10.5)),  # body font size in points
        "pdf_label_width": rng.choice((40.0, 44.0, 48.0)),  # Table 1 label column, mm
        "pdf_sub_width": rng.choice((32.0, 36.0)),  # Table 1 sub-label column, mm
        "pdf_dividers": rng.random() < 0.5,  # chapter divider pages ("01", "02", ...)
    }
