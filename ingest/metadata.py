"""Document metadata read from the canonical text: title, country, kind, year, synthetic flag.

Factsheets name their country on the cover ("Country factsheet" / "Morocco") and in Table 1's
caption ("Overview of cluster policy in Morocco"); the edition year is in "Source: ECCP (2023)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.ingest.types import Block, BlockKind, DocumentKind

_COUNTRY_PATTERNS = (
    # the running header or cover line: "Country factsheet - Morocco"
    re.compile(r"Country factsheet\s*[-–—:|]\s*(?P<country>[A-Z][\w'’.\- ]{1,40}?)\s*$", re.M),
    # Table 1's caption: "Overview of cluster policy in Morocco"
    re.compile(
        r"Overview of (?:the )?cluster polic(?:y|ies) in (?:the )?"
        r"(?P<country>[A-Z][\w'’.\- ]{1,40}?)\s*$",
        re.M,
    ),
    re.compile(
        r"overview of the cluster policy in (?:the )?"
        r"(?P<country>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)*)"
    ),
)
_FACTSHEET_MARKERS = (
    re.compile(r"^Country factsheet\b", re.M | re.I),
    re.compile(r"Overview of (?:the )?cluster polic(?:y|ies) in", re.I),
)
_YEAR = re.compile(r"\bECCP\s*\((?P<year>(?:19|20)\d\d)\)")
_SYNTHETIC = re.compile(r"\bsynthetic (?:factsheet|document|country|data)\b", re.I)


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """What the text says about itself."""

    title: str
    country: str | None
    kind: DocumentKind
    year: int | None
    synthetic: bool


def detect_metadata(
    text: str,
    blocks: tuple[Block, ...],
    fallback_title: str,
    country: str | None = None,
    kind: DocumentKind | None = None,
) -> DocumentMetadata:
    """Read title, country, kind, year and the synthetic flag; explicit values win."""
    head = text[:4000]
    detected_country = country or _country_from_cover(text, blocks) or _country_from_patterns(text)
    is_factsheet = any(pattern.search(head) for pattern in _FACTSHEET_MARKERS) or bool(
        _FACTSHEET_MARKERS[1].search(text)
    )
    detected_kind = kind or (DocumentKind.FACTSHEET if is_factsheet else DocumentKind.REFERENCE)
    year_match = _YEAR.search(text)
    first_heading = next(
        (text[block.start : block.end] for block in blocks if block.kind is BlockKind.HEADING),
        None,
    )
    if detected_kind is DocumentKind.FACTSHEET and detected_country:
        title = f"Country factsheet: {detected_country}"
        if year_match:
            title += f" ({year_match.group('year')})"
    else:
        title = first_heading or fallback_title
    return DocumentMetadata(
        title=title,
        country=detected_country,
        kind=detected_kind,
        year=int(year_match.group("year")) if year_match else None,
        synthetic=bool(_SYNTHETIC.search(head)),
    )


def _country_from_cover(text: str, blocks: tuple[Block, ...]) -> str | None:
    """The line right after a "Country factsheet" heading on the cover."""
    for index, block in enumerate(blocks[:-1]):
        if block.kind is BlockKind.HEADING and text[block.start : block.end].strip().lower() == (
            "country factsheet"
        ):
            following = blocks[index + 1]
            candidate = text[following.start : following.end].strip()
            if 0 < len(candidate) <= 40 and candidate[0].isupper() and "\n" not in candidate:
                return candidate
    return None


def _country_from_patterns(text: str) -> str | None:
    for pattern in _COUNTRY_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group("country").strip()
    return None
