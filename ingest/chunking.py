"""Cut a document into passages along its structure.

- A table row is one passage with its label; a row too long for the budget is split between its
  lines (sub-rows, categories), then sentences, and every part keeps the row label in its section
  path, which is embedded with it.
- Each reference-list entry is its own passage.
- Paragraphs of one section are packed while small; a long paragraph is split between sentences.
- Sizes are bounded in cl100k tokens, and every passage (with its context line) is checked
  against the embedding model's own tokenizer, so the encoder never truncates anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from policyqa.errors import ChunkTooLongError, EmptyDocumentError
from policyqa.ingest.sentences import line_spans, sentence_spans
from policyqa.ingest.tokens import TokenCounter
from policyqa.ingest.types import Block, BlockKind, Chunk, Document
from policyqa.settings import ChunkingSettings

#: Bump when normalisation or chunking changes what passages look like: indexes built by an
#: older version are then reported as incompatible instead of silently mixing two schemes.
CHUNKER_VERSION = 1

#: Returns True when the text fits the embedding model's maximum sequence without truncation.
FitsModel = Callable[[str], bool]

_STANDALONE = {BlockKind.TABLE_ROW, BlockKind.REFERENCE}
_PACKABLE = {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.CAPTION}


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    section: tuple[str, ...]
    kind: BlockKind


def chunk_document(
    document: Document,
    settings: ChunkingSettings,
    counter: TokenCounter,
    fits_model: FitsModel | None = None,
) -> list[Chunk]:
    """Passages of ``document``, in reading order, each within the token budget and the model."""
    chunker = _Chunker(document, settings, counter, fits_model)
    chunks = chunker.run()
    if not chunks:
        raise EmptyDocumentError(document.source_path, "no text to index after normalisation")
    return chunks


class _Chunker:
    def __init__(
        self,
        document: Document,
        settings: ChunkingSettings,
        counter: TokenCounter,
        fits_model: FitsModel | None,
    ) -> None:
        self.document = document
        self.text = document.text
        self.settings = settings
        self.counter = counter
        self.fits_model = fits_model

    def run(self) -> list[Chunk]:
        chunks: list[Chunk] = []
        for piece in self._pieces():
            for start, end in self._fit(piece.start, piece.end, piece):
                chunks.append(self._make_chunk(len(chunks), start, end, piece))
        return chunks

    # --- grouping blocks into pieces -------------------------------------------------------

    def _pieces(self) -> Iterator[_Piece]:
        pack: list[Block] = []
        pack_tokens = 0
        for block in self.document.blocks:
            if block.kind in _STANDALONE:
                if pack:
                    yield self._piece_of(pack)
                    pack, pack_tokens = [], 0
                yield _Piece(block.start, block.end, block.section, block.kind)
                continue
            if block.kind not in _PACKABLE:
                continue  # headings become context; contents and table headers are not indexed
            tokens = self.counter.count(self.text[block.start : block.end])
            joins = (
                pack
                and pack[-1].section == block.section
                and pack_tokens < self.settings.min_tokens
                and pack_tokens + tokens <= self.settings.max_tokens
            )
            if pack and not joins:
                yield self._piece_of(pack)
                pack, pack_tokens = [], 0
            pack.append(block)
            pack_tokens += tokens
        if pack:
            yield self._piece_of(pack)

    @staticmethod
    def _piece_of(blocks: list[Block]) -> _Piece:
        kinds = {block.kind for block in blocks}
        kind = blocks[0].kind if len(kinds) == 1 else BlockKind.PARAGRAPH
        return _Piece(blocks[0].start, blocks[-1].end, blocks[0].section, kind)

    # --- fitting pieces into the budget ------------------------------------------------------

    def _fits(self, start: int, end: int, piece: _Piece) -> bool:
        text = self.text[start:end]
        if self.counter.count(text) > self.settings.max_tokens:
            return False
        if self.fits_model is None:
            return True
        return self.fits_model(_embedding_text(self._context(piece.section), text))

    def _fit(self, start: int, end: int, piece: _Piece) -> list[tuple[int, int]]:
        """Split ``[start, end)`` into the fewest consecutive spans that each fit."""
        if self._fits(start, end, piece):
            return [(start, end)]
        units = self._units(start, end)
        if len(units) <= 1:
            return self._split_words(start, end, piece)
        spans: list[tuple[int, int]] = []
        current_start = units[0][0]
        current_end = units[0][1]
        for unit_start, unit_end in units[1:]:
            if self._fits(current_start, unit_end, piece):
                current_end = unit_end
                continue
            spans.extend(self._fit(current_start, current_end, piece))
            current_start, current_end = unit_start, unit_end
        spans.extend(self._fit(current_start, current_end, piece))
        return spans

    def _units(self, start: int, end: int) -> list[tuple[int, int]]:
        """Lines first (table sub-rows, categories), then sentences."""
        lines = [span for span in line_spans(self.text, start, end) if span[1] > span[0]]
        if len(lines) > 1:
            return lines
        return sentence_spans(self.text, start, end)

    def _split_words(self, start: int, end: int, piece: _Piece) -> list[tuple[int, int]]:
        """Last resort for a single over-long sentence: split between words, never inside one."""
        words = [(m_start, m_end) for m_start, m_end in _word_spans(self.text, start, end)]
        if len(words) <= 1:
            raise ChunkTooLongError(
                f"{self.document.source_path}: a single word at offset {start} is longer than "
                "the embedding model's maximum sequence"
            )
        spans: list[tuple[int, int]] = []
        current_start, current_end = words[0]
        for word_start, word_end in words[1:]:
            if self._fits(current_start, word_end, piece):
                current_end = word_end
            else:
                spans.append((current_start, current_end))
                current_start, current_end = word_start, word_end
        spans.append((current_start, current_end))
        return spans

    # --- building chunks ----------------------------------------------------------------------

    def _context(self, section: tuple[str, ...]) -> str:
        path = " > ".join(section)
        return f"{self.document.title} > {path}" if path else self.document.title

    def _make_chunk(self, ordinal: int, start: int, end: int, piece: _Piece) -> Chunk:
        text = self.text[start:end]
        page_start, page_end = self.document.page_range(start, end)
        return Chunk(
            chunk_id=f"{self.document.doc_id}#{ordinal}",
            doc_id=self.document.doc_id,
            ordinal=ordinal,
            start=start,
            end=end,
            text=text,
            section=piece.section,
            kind=piece.kind,
            page_start=page_start,
            page_end=page_end,
            n_tokens=self.counter.count(text),
            context=self._context(piece.section),
        )


def _embedding_text(context: str, text: str) -> str:
    return f"{context}\n{text}" if context else text


def _word_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cursor = start
    while cursor < end:
        while cursor < end and text[cursor].isspace():
            cursor += 1
        word_start = cursor
        while cursor < end and not text[cursor].isspace():
            cursor += 1
        if cursor > word_start:
            yield word_start, cursor
