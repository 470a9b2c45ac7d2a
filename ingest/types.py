"""The objects that leave the ingest stage: documents, their structure, and chunks.

All offsets are character offsets into ``Document.text``, the canonical text that citations
point into; ``text[start:end]`` is always the exact passage.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum


class DocumentKind(StrEnum):
    """What a document is to the analyst."""

    FACTSHEET = "factsheet"  # an ECCP country factsheet on cluster policy
    REFERENCE = "reference"  # a document a factsheet cites, or any other source


class BlockKind(StrEnum):
    """The structural role of a block of canonical text."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_HEADER = "table_header"  # the header row of a table ("Criterion | Description | ...")
    TABLE_ROW = "table_row"  # one labelled row of a table with all its cells
    CAPTION = "caption"  # "Table 1 - Overview of ...", "Source: ECCP (2023)"
    REFERENCE = "reference"  # one entry of a reference list
    CONTENTS = "contents"  # a table of contents line; kept in the text, not indexed


class PartRole(StrEnum):
    """The role of a part of a table row."""

    LABEL = "label"  # the row label, e.g. "POLICY OBJECTIVES"
    SUBLABEL = "sublabel"  # a sub-row label, e.g. "Financial", "Starting year"
    CATEGORY = "category"  # a standardised category (bold in the source)
    TEXT = "text"  # regular text: explanations, values such as "2021" or "Data unavailable"


@dataclass(frozen=True, slots=True)
class Part:
    """A span inside a table row with its role, e.g. one bold category line."""

    start: int  # offset of the first character in Document.text
    end: int  # offset one past the last character
    role: PartRole


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the canonical text: a heading, paragraph, table row or reference."""

    kind: BlockKind
    start: int  # offset of the first character in Document.text
    end: int  # offset one past the last character
    section: tuple[str, ...]  # section path, e.g. ("2. National ...", "Table 1", "INSTRUMENTS")
    label: str | None = None  # the row label of a table row, e.g. "INSTRUMENTS"
    table: str | None = None  # the table a row belongs to, e.g. "Table 1"
    parts: tuple[Part, ...] = ()  # table rows only: label, sub-labels, categories and text


@dataclass(frozen=True, slots=True)
class PageSpan:
    """The characters of Document.text that come from one page of the source."""

    page: int  # 1-based page number in the source file
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested source file: canonical text, structure and metadata."""

    doc_id: (
        str  # stable identifier derived from the file name, e.g. "eccp-factsheet-morocco-2023.md"
    )
    text: str  # canonical text: markup stripped, banners removed, tables flattened row by row
    title: str
    country: str | None  # e.g. "Morocco", read from the document or given by the user
    kind: DocumentKind
    source_path: str  # the path the document was read from
    sha256: str  # hash of the source file's bytes
    media_type: str  # "application/pdf", "text/markdown" or "text/plain"
    blocks: tuple[Block, ...]
    pages: tuple[PageSpan, ...] = ()  # empty when the source has no pages (Markdown, text)
    year: int | None = None  # edition year, when the document states it
    synthetic: bool = False  # True for generated test factsheets about fictional countries
    _page_starts: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_page_starts", tuple(span.start for span in self.pages))

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` comes from, or None for unpaginated sources."""
        if not self.pages:
            return None
        index = bisect.bisect_right(self._page_starts, offset) - 1
        return self.pages[max(index, 0)].page

    def page_range(self, start: int, end: int) -> tuple[int | None, int | None]:
        """First and last page of the span ``[start, end)``."""
        last = max(start, end - 1)
        return self.page_at(start), self.page_at(last)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of one document: the unit that is embedded, retrieved and cited."""

    chunk_id: str  # f"{doc_id}#{ordinal}"
    doc_id: str
    ordinal: int  # position of the chunk within its document
    start: int  # offset into Document.text
    end: int
    text: str  # == Document.text[start:end]
    section: tuple[str, ...]  # section path of the chunk's first block
    kind: BlockKind  # kind of the chunk's blocks (paragraph, table_row, reference, ...)
    page_start: int | None
    page_end: int | None
    n_tokens: int  # cl100k tokens of ``text``
    context: str  # heading line prepended when embedding: title and section path

    @property
    def section_path(self) -> str:
        """The section path joined for display: ``"2. National ... > Table 1 > INSTRUMENTS"``."""
        return " > ".join(self.section)

    @property
    def embedding_text(self) -> str:
        """What is embedded and indexed: the context line, then the passage."""
        return f"{self.context}\n{self.text}" if self.context else self.text
