"""What a synthetic factsheet states: ``FactsheetTruth`` and its Table 1 fields and sub-rows.

The truth is what the profile parser should read back from either format, so a round trip is
``FactsheetTruth.from_profile(parse_profile(document)) == truth``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policyqa.ingest.factsheet import STATE_OF_PLAY_OPTIONS, Criterion, FactsheetProfile, FieldKey


@dataclass(frozen=True, slots=True)
class SubFieldTruth:
    """A sub-row of a Table 1 field: its key, bold categories and regular values."""

    key: str  # "financial", "technical_assistance", "explanation", "starting_year", ...
    categories: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldTruth:
    """A Table 1 field: bold categories and explanation under the label, then its sub-rows."""

    key: FieldKey
    categories: tuple[str, ...] = ()
    text: tuple[str, ...] = ()  # explanation paragraphs directly under the label
    subfields: tuple[SubFieldTruth, ...] = ()

    def sub(self, key: str) -> SubFieldTruth | None:
        """The sub-row ``key``, if present."""
        return next((sub for sub in self.subfields if sub.key == key), None)

    @property
    def explanation(self) -> tuple[str, ...]:
        """The descriptive text: direct text, or the "Explanation" / "Results" sub-rows."""
        found = list(self.text)
        for sub in self.subfields:
            if sub.key in ("explanation", "results"):
                found.extend(sub.values)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class FactsheetTruth:
    """Everything a synthetic factsheet states, as the profile parser should read it back.

    Equality compares what a profile holds; ``seed``, ``adjective`` and ``layout`` only steer
    the writing.
    """

    country: str
    year: int  # edition year ("Source: ECCP (2023)")
    policy_type: str
    policy_name: str
    fields: tuple[FieldTruth, ...]
    narratives: tuple[tuple[str, tuple[str, ...]], ...]  # (narrative key, paragraphs)
    state_of_play: tuple[tuple[Criterion, str], ...]  # the applicable option per criterion
    seed: int = field(default=0, compare=False)
    adjective: str = field(default="", compare=False)  # "Noranian"
    layout: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def field(self, key: FieldKey | str) -> FieldTruth:
        """The Table 1 field ``key`` (every synthetic factsheet has all nine)."""
        wanted = FieldKey(key)
        return next(item for item in self.fields if item.key is wanted)

    def option(self, criterion: Criterion | str) -> str:
        """The applicable state-of-play option."""
        wanted = Criterion(criterion)
        return next(option for key, option in self.state_of_play if key is wanted)

    def level(self, criterion: Criterion | str) -> int:
        """The option's position (0-3) in the template's list."""
        wanted = Criterion(criterion)
        return STATE_OF_PLAY_OPTIONS[wanted].index(self.option(wanted))

    def narrative(self, key: str) -> tuple[str, ...]:
        """The paragraphs of the narrative ``key``."""
        return next((paragraphs for name, paragraphs in self.narratives if name == key), ())

    @property
    def dedicated(self) -> bool:
        """True when the country has a dedicated cluster policy."""
        return self.level(Criterion.SCOPE) == 3

    @property
    def slug(self) -> str:
        """The file-name stem: ``synthetic-factsheet-noriania-2023``."""
        return f"synthetic-factsheet-{self.country.lower()}-{self.year}"

    @classmethod
    def from_profile(cls, profile: FactsheetProfile) -> FactsheetTruth:
        """What a parsed profile says, in the truth's terms (for round trips)."""
        fields = tuple(
            FieldTruth(
                key=item.key,
                categories=tuple(c.text for c in item.categories),
                text=tuple(t.text for t in item.text),
                subfields=tuple(
                    SubFieldTruth(
                        sub.key,
                        tuple(c.text for c in sub.categories),
                        tuple(v.text for v in sub.values),
                    )
                    for sub in item.subfields
                ),
            )
            for item in profile.fields
        )
        return cls(
            country=profile.country or "",
            year=profile.year or 0,
            policy_type=profile.policy_type.text if profile.policy_type else "",
            policy_name=profile.policy_name.text if profile.policy_name else "",
            fields=fields,
            narratives=tuple(
                (n.key, tuple(p.text for p in n.paragraphs)) for n in profile.narratives
            ),
            state_of_play=tuple((s.criterion, s.option) for s in profile.state_of_play),
        )
