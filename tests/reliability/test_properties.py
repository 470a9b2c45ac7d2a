"""Properties that hold for any text: loading and chunking never crash, every span quotes exactly.

hypothesis generates Markdown-like documents (headings, tables, lists, any Unicode, control
characters and lone surrogates included) and client text; bounded examples, a fixed seed.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyqa.errors import EmptyDocumentError
from policyqa.hygiene import clean_client_text
from policyqa.ingest import TiktokenCounter, chunk_document, load_document
from policyqa.ingest.sentences import sentence_spans
from policyqa.settings import ChunkingSettings

BOUNDED = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
COUNTER = TiktokenCounter()

_words = st.text(min_size=0, max_size=60)  # any code points, surrogates and controls included
_line = st.one_of(
    _words,
    _words.map(lambda text: f"# {text}"),
    _words.map(lambda text: f"## {text}"),
    st.lists(_words, min_size=1, max_size=4).map(lambda cells: "| " + " | ".join(cells) + " |"),
    st.just("|---|---|"),
    _words.map(lambda text: f"- {text}"),
    _words.map(lambda text: f"**{text}**"),
)
markdown_sources = st.lists(_line, max_size=30).map("\n".join)


def _write(folder: Path, source: str) -> Path:
    path = folder / "generated.md"
    # what a file on disk can hold: surrogates cannot be encoded, so they arrive replaced
    path.write_bytes(source.encode("utf-8", errors="replace"))
    return path


@BOUNDED
@given(source=markdown_sources)
def test_any_markdown_loads_and_chunks_into_exact_spans(
    tmp_path_factory: object, source: str
) -> None:
    folder = tmp_path_factory.mktemp("md")  # type: ignore[attr-defined]
    try:
        document = load_document(_write(folder, source))
        chunks = chunk_document(document, ChunkingSettings(), COUNTER)
    except EmptyDocumentError:
        return  # a named error for a document with no text: the one allowed refusal
    text = document.text
    previous_end = 0
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]  # every citation quotes exactly
        assert chunk.start >= previous_end  # in reading order, no overlap
        previous_end = chunk.end
        assert chunk.text.strip()
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(text)


@BOUNDED
@given(text=st.text(max_size=400))
def test_sentences_are_exact_ordered_spans_of_any_text(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]  # trimmed
        previous_end = end


@BOUNDED
@given(text=st.text(max_size=300))
def test_client_text_is_always_encodable_after_cleaning(text: str) -> None:
    cleaned = clean_client_text(text)
    cleaned.encode("utf-8")  # no lone surrogate reaches the tokenizer
    assert not any(ord(char) < 32 and char not in "\t\n\r" for char in cleaned)
