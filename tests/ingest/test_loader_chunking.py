"""Loading files into documents, bad input, metadata, and chunking."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa.errors import EmptyDocumentError, SourceNotFoundError, UnsupportedFileTypeError
from policyqa.ingest import BlockKind, DocumentKind, TiktokenCounter, chunk_document, load_document
from policyqa.ingest.loader import discover, make_doc_id
from policyqa.settings import ChunkingSettings
from tests.conftest import MOROCCO_MD


def test_markdown_factsheet_metadata() -> None:
    document = load_document(MOROCCO_MD)
    assert document.doc_id == "eccp-factsheet-morocco-2023.md"
    assert document.country == "Morocco"
    assert document.kind is DocumentKind.FACTSHEET
    assert document.year == 2023
    assert document.title == "Country factsheet: Morocco (2023)"
    assert not document.synthetic
    assert len(document.sha256) == 64
    assert document.pages == ()
    assert document.page_at(100) is None


def test_country_given_on_the_command_line_wins() -> None:
    assert load_document(MOROCCO_MD, country="Atlantis").country == "Atlantis"


def test_reference_document_from_text(tmp_path: Path) -> None:
    path = tmp_path / "Report on Clusters (2020).txt"
    path.write_text("CLUSTER REPORT\n\nClusters in the Maghreb grew quickly.\n", "utf-8")
    document = load_document(path)
    assert document.kind is DocumentKind.REFERENCE
    assert document.doc_id == "report-on-clusters-2020-.txt"
    assert document.title == "CLUSTER REPORT"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("missing.md", None, SourceNotFoundError),
        ("notes.docx", b"PK\x03\x04", UnsupportedFileTypeError),
        ("empty.md", b"   \n", EmptyDocumentError),
        ("empty.txt", b"", EmptyDocumentError),
    ],
)
def test_bad_input_raises_named_errors(
    tmp_path: Path, name: str, content: bytes | None, error: type[Exception]
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error) as raised:
        load_document(path)
    assert str(path) in str(raised.value)


def test_discover_walks_folders_and_reports_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.md").write_text("# Deep\n\ntext\n")
    (tmp_path / "a" / "skip.docx").write_text("x")
    (tmp_path / "a" / ".hidden.md").write_text("x")
    found = list(discover([tmp_path / "a", tmp_path / "missing"]))
    assert found[0] == tmp_path / "a" / "b" / "deep.md"
    assert isinstance(found[1], SourceNotFoundError)
    assert len(found) == 2


def test_doc_ids_are_url_safe() -> None:
    assert make_doc_id(Path("Fiche Pays – Maroc (2023).PDF")) == "fiche-pays-maroc-2023-.pdf"


@pytest.fixture(scope="module")
def chunks():  # type: ignore[no-untyped-def]
    document = load_document(MOROCCO_MD)
    return document, chunk_document(document, ChunkingSettings(), TiktokenCounter())


def test_chunks_are_exact_spans_within_budget(chunks) -> None:  # type: ignore[no-untyped-def]
    document, parts = chunks
    settings = ChunkingSettings()
    for chunk in parts:
        assert chunk.text == document.text[chunk.start : chunk.end]
        assert chunk.n_tokens <= settings.max_tokens
        assert chunk.chunk_id == f"{document.doc_id}#{chunk.ordinal}"
    assert [chunk.ordinal for chunk in parts] == list(range(len(parts)))


def test_table_rows_and_references_are_their_own_chunks(chunks) -> None:  # type: ignore[no-untyped-def]
    _, parts = chunks
    instruments = [c for c in parts if c.section[-1:] == ("INSTRUMENTS",)]
    assert instruments and all(c.kind is BlockKind.TABLE_ROW for c in instruments)
    assert instruments[0].text.startswith("INSTRUMENTS\nFinancial:")
    # every part of a split row keeps the label in the context that is embedded with it
    assert all("Table 1 > INSTRUMENTS" in c.embedding_text for c in instruments)
    references = [c for c in parts if c.kind is BlockKind.REFERENCE]
    assert len(references) == 20
    assert all(c.text.count("\n") == 0 for c in references)


def test_contents_table_is_not_indexed(chunks) -> None:  # type: ignore[no-untyped-def]
    _, parts = chunks
    assert not any("....." in chunk.text for chunk in parts)


def test_model_limit_splits_further_without_truncating(chunks) -> None:  # type: ignore[no-untyped-def]
    document, _ = chunks
    small = chunk_document(
        document, ChunkingSettings(), TiktokenCounter(), fits_model=lambda t: len(t.split()) <= 40
    )
    assert all(len(chunk.embedding_text.split()) <= 40 for chunk in small)
    covered = "".join(chunk.text for chunk in small).replace(" ", "").replace("\n", "")
    # every word of the long explanation survives somewhere
    assert "1.000hectares" in covered
