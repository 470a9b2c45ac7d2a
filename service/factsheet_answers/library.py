"""``ProfileLibrary``: the factsheet profiles of a snapshot, by document and by country.

Read once when the engine loads a snapshot (a few milliseconds per factsheet). A country may
have several factsheets (editions, formats); answers come from the preferred one.
"""

from __future__ import annotations

from collections.abc import Mapping

from policyqa.index.lexical import analyse
from policyqa.ingest import Document
from policyqa.ingest.factsheet import FactsheetProfile, parse_profile


class ProfileLibrary:
    """The factsheet profiles of a snapshot's documents, by document and by country."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.documents = documents
        self.by_doc: dict[str, FactsheetProfile] = {}
        for doc_id, document in documents.items():
            profile = parse_profile(document)
            if profile is not None and profile.country:
                self.by_doc[doc_id] = profile
        by_country: dict[str, list[FactsheetProfile]] = {}
        for profile in self.by_doc.values():
            by_country.setdefault((profile.country or "").casefold(), []).append(profile)
        # one factsheet per country: the latest edition, a PDF (pages to cite) before others
        self._preferred = {
            country: sorted(
                profiles,
                key=lambda p: (-(p.year or 0), not documents[p.doc_id].pages, p.doc_id),
            )
            for country, profiles in by_country.items()
        }

        # the words of every standardised category: what a comparison can filter on
        self.vocabulary = frozenset(
            term
            for profile in self.by_doc.values()
            for item in profile.fields
            for span in item.all_categories
            for term in analyse(span.text)
        )

    def countries_by_policy(self, text: str) -> list[str]:
        """Countries whose policy name the text contains (the longest names found)."""
        folded = " ".join(text.casefold().split())
        found: list[tuple[int, str]] = []
        for profile in self.preferred():
            name = profile.policy_name.text if profile.policy_name else ""
            if len(name) >= 8 and " ".join(name.casefold().split()) in folded:
                found.append((len(name), profile.country or ""))
        if not found:
            return []
        longest = max(length for length, _ in found)
        return sorted({country for length, country in found if length == longest})

    def countries(self) -> list[str]:
        """Countries with a profile, sorted."""
        return sorted(profiles[0].country or "" for profiles in self._preferred.values())

    def for_country(self, country: str) -> FactsheetProfile | None:
        """The preferred profile of ``country`` (case-insensitive)."""
        profiles = self._preferred.get(country.casefold())
        return profiles[0] if profiles else None

    def all_for_country(self, country: str) -> list[FactsheetProfile]:
        """Every profile of ``country``, the preferred one first."""
        return list(self._preferred.get(country.casefold(), []))

    def preferred(self) -> list[FactsheetProfile]:
        """One profile per country, sorted by country."""
        return [self._preferred[key][0] for key in sorted(self._preferred)]

    def __len__(self) -> int:
        return len(self.by_doc)
