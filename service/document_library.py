"""The references a factsheet cites, and which of them are ingested as documents.

A factsheet's reference list is read from its blocks (one ``reference`` block per entry). An
entry is matched to an indexed reference document when it names the document: it contains the
document's title, or the stem of the file the document was read from (reports are often cited
by their file's URL). Both are literal comparisons of folded text, so a match can be checked by
eye in the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from policyqa.ingest import Document
from policyqa.ingest.types import BlockKind, DocumentKind

#: Titles and file stems shorter than this name too little to match on ("Report", "plan").
MIN_NAME_LENGTH = 12


@dataclass(frozen=True, slots=True)
class CitedReference:
    """One entry of a factsheet's reference list."""

    text: str
    start: int  # span of the entry in the factsheet's canonical text
    end: int
    doc_id: str | None  # the indexed document the entry names, if any


def _fold(text: str) -> str:
    """Lower case, markup escapes and punctuation runs reduced to single spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _names(document: Document) -> list[str]:
    """The folded names an entry may cite a document by: its title and its file's stem."""
    names = [_fold(document.title), _fold(PurePath(document.source_path).stem)]
    return [name for name in names if len(name) >= MIN_NAME_LENGTH]


def cited_references(documents: Mapping[str, Document]) -> dict[str, list[CitedReference]]:
    """For every factsheet, its reference-list entries with the documents they name."""
    references = [
        (doc_id, _names(document))
        for doc_id, document in sorted(documents.items())
        if document.kind is DocumentKind.REFERENCE
    ]
    cites: dict[str, list[CitedReference]] = {}
    for doc_id, document in documents.items():
        if document.kind is not DocumentKind.FACTSHEET:
            continue
        entries = []
        for block in document.blocks:
            if block.kind is not BlockKind.REFERENCE:
                continue
            text = document.text[block.start : block.end]
            folded = _fold(text)
            named = next(
                (ref_id for ref_id, names in references if any(n in folded for n in names)), None
            )
            entries.append(CitedReference(text, block.start, block.end, named))
        cites[doc_id] = entries
    return cites
