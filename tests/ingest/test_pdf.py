"""The PDF loader: the Morocco factsheet PDF must render like its Markdown; bad files fail cleanly.

Known, unavoidable differences between the two renderings of the Morocco factsheet are listed in
``KNOWN_DIFFERENCES`` (and in the module docstring of ``policyqa.ingest.pdf``); everything else,
headings, section paths, table rows with their parts, the footnote and the references, must be
identical block by block.
"""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

import policyqa.ingest.pdf.reader as pdf_module
from policyqa.errors import (
    EmptyDocumentError,
    EncryptedDocumentError,
    IngestError,
    SourceNotFoundError,
    UnreadableDocumentError,
)
from policyqa.ingest.markdown import parse_markdown
from policyqa.ingest.pdf import read_pdf
from policyqa.ingest.structure import (
    HeadingNode,
    ListItemNode,
    Node,
    ParagraphNode,
    RenderedDocument,
    Run,
    TableNode,
    render,
)
from policyqa.ingest.types import Block, BlockKind, PartRole

DATA = Path(__file__).resolve().parents[1] / "data"
MOROCCO_PDF = DATA / "eccp-factsheet-morocco-2023.pdf"
MOROCCO_MD = DATA / "eccp-factsheet-morocco-2023.md"

# (text in the PDF rendering, text in the Markdown rendering)
KNOWN_DIFFERENCES = (
    # the PDF prints the backslash that the Markdown source uses to escape "$"
    ("\\$12", "$12"),
)

BlockView = tuple[str, tuple[str, ...], str | None, str | None, str, tuple[tuple[str, str], ...]]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_nodes() -> list[Node]:
    return read_pdf(MOROCCO_PDF)


@pytest.fixture(scope="module")
def pdf_doc(pdf_nodes: list[Node]) -> RenderedDocument:
    return render(pdf_nodes)


@pytest.fixture(scope="module")
def md_doc() -> RenderedDocument:
    return render(parse_markdown(MOROCCO_MD.read_text(encoding="utf-8")))


def _unify(text: str) -> str:
    for pdf_text, md_text in KNOWN_DIFFERENCES:
        text = text.replace(pdf_text, md_text)
    return text


def _view(doc: RenderedDocument, block: Block) -> BlockView:
    """Everything a block says: kind, section path, label, table, text and parts with roles."""
    parts = tuple((part.role.value, doc.text[part.start : part.end]) for part in block.parts)
    return (
        block.kind.value,
        block.section,
        block.label,
        block.table,
        _unify(doc.text[block.start : block.end]),
        tuple((role, _unify(text)) for role, text in parts),
    )


def _page_of(doc: RenderedDocument, offset: int) -> int | None:
    return next((span.page for span in doc.pages if span.start <= offset < span.end), None)


def _block(doc: RenderedDocument, kind: BlockKind, starts_with: str) -> Block:
    return next(
        block
        for block in doc.blocks
        if block.kind is kind and doc.text[block.start : block.end].startswith(starts_with)
    )


def _runs(nodes: list[Node]) -> Iterator[Run]:
    for node in nodes:
        if isinstance(node, HeadingNode | ParagraphNode | ListItemNode):
            yield from node.runs
        else:
            rows = [*node.rows, *([node.header] if node.header else [])]
            for row in rows:
                for cell in row.cells:
                    for line in cell.lines:
                        yield from line


# --- the Morocco factsheet: PDF against Markdown -------------------------------------------------


def test_blocks_equal_the_markdown_rendering(
    pdf_doc: RenderedDocument, md_doc: RenderedDocument
) -> None:
    pdf_blocks = [_view(pdf_doc, block) for block in pdf_doc.blocks]
    md_blocks = [_view(md_doc, block) for block in md_doc.blocks]
    differing = [
        index
        for index, (left, right) in enumerate(zip(pdf_blocks, md_blocks, strict=False))
        if left != right
    ]
    if differing or len(pdf_blocks) != len(md_blocks):
        first = differing[0] if differing else min(len(pdf_blocks), len(md_blocks))
        shown = "\n".join(
            f"block {index}:\n  PDF {pdf_blocks[index] if index < len(pdf_blocks) else None}\n"
            f"  MD  {md_blocks[index] if index < len(md_blocks) else None}"
            for index in range(first, first + 3)
        )
        pytest.fail(
            f"{len(differing)} differing blocks, {len(pdf_blocks)} PDF vs {len(md_blocks)} "
            f"Markdown blocks; from the first difference:\n{shown}"
        )


def test_text_equals_the_markdown_text_but_for_known_differences(
    pdf_doc: RenderedDocument, md_doc: RenderedDocument
) -> None:
    assert _unify(pdf_doc.text) == md_doc.text
    for pdf_text, _ in KNOWN_DIFFERENCES:
        assert pdf_text in pdf_doc.text  # still a real difference, still listed for a reason


def test_headings_and_their_section_paths(pdf_doc: RenderedDocument) -> None:
    headings = [
        (pdf_doc.text[block.start : block.end], block.section)
        for block in pdf_doc.blocks
        if block.kind is BlockKind.HEADING
    ]
    introduction = "1. Introduction and economic policy context"
    assert (introduction, (introduction,)) in headings
    assert ("Policy scope", ("3. State of cluster policy", "Policy scope")) in headings
    assert ("Continuity", ("3. State of cluster policy", "Continuity")) in headings
    assert ("Annex", ("Annex",)) in headings


def test_table_1_rows(pdf_doc: RenderedDocument) -> None:
    instruments = _block(pdf_doc, BlockKind.TABLE_ROW, "INSTRUMENTS")
    assert instruments.section[-2:] == ("Table 1", "INSTRUMENTS")
    parts = [(part.role, pdf_doc.text[part.start : part.end]) for part in instruments.parts]
    assert parts[:4] == [
        (PartRole.LABEL, "INSTRUMENTS"),
        (PartRole.SUBLABEL, "Financial"),
        (PartRole.CATEGORY, "Funding collaboration initiatives"),
        (PartRole.CATEGORY, "Financing networking events"),
    ]
    assert (PartRole.SUBLABEL, "Period") in parts
    history = _block(pdf_doc, BlockKind.TABLE_ROW, "HISTORY")
    assert pdf_doc.text[history.start : history.end].startswith(
        "HISTORY\nEnding year (for policies with limited period): 2025\nStarting year: 2021\n"
    )
    # the repeated "Policy type / Policy name" rows of every table page appear once
    labels = [block.label for block in pdf_doc.blocks if block.table == "Table 1"]
    assert labels.count("Policy type") == 1 and labels.count("Policy name") == 1


def test_table_3_row_split_across_pages_is_one_row(pdf_doc: RenderedDocument) -> None:
    row = _block(pdf_doc, BlockKind.TABLE_ROW, "Continuity of cluster policies")
    categories = [
        pdf_doc.text[part.start : part.end] for part in row.parts if part.role is PartRole.CATEGORY
    ]
    assert categories == [
        "absence of policies supporting cluster development",
        "cluster policy established recently (within the last 2 years)",
        "cluster policy established between over 2 and 10 years",
        "cluster policy established over 10 years ago",
    ]
    headers = [block for block in pdf_doc.blocks if block.kind is BlockKind.TABLE_HEADER]
    assert [pdf_doc.text[block.start : block.end] for block in headers] == [
        "Morocco | State of play",
        "Criterion | Description | Categorical variables",
    ]


def test_page_spans(pdf_doc: RenderedDocument) -> None:
    def starts_on(kind: BlockKind, text: str) -> int | None:
        return _page_of(pdf_doc, _block(pdf_doc, kind, text).start)

    assert starts_on(BlockKind.TABLE_ROW, "POLICY OBJECTIVES") == 5
    assert starts_on(BlockKind.TABLE_ROW, "INSTRUMENTS") == 7
    assert starts_on(BlockKind.TABLE_ROW, "HISTORY") == 8
    assert starts_on(BlockKind.PARAGRAPH, "The current Industrial Acceleration Plan") == 11
    assert starts_on(BlockKind.REFERENCE, "Amraoui") == 12
    # the label of Table 3's "Continuity of cluster policies" row is printed on page 14 above
    # the rest of its cells from page 13: spans keep each run's true page, so 13 and 14 recur
    assert {span.page for span in pdf_doc.pages} == set(range(1, 15))
    assert [span.page for span in pdf_doc.pages][:13] == list(range(1, 14))


def test_running_headers_and_footers_are_dropped(pdf_doc: RenderedDocument) -> None:
    assert "Strengthening the European economy" not in pdf_doc.text
    assert "EUROPEAN CLUSTER COLLABORATION PLATFORM" not in pdf_doc.text
    assert "Country factsheet - Morocco" not in pdf_doc.text


def test_every_run_carries_its_page(pdf_nodes: list[Node]) -> None:
    pages = {run.page for run in _runs(pdf_nodes)}
    assert pages == set(range(1, 15))


def test_parse_time() -> None:
    """A quick check, not a timed assertion: the time is printed (pytest -s shows it)."""
    start = time.perf_counter()
    read_pdf(MOROCCO_PDF)
    print(f"\nparsed the 14-page Morocco PDF in {time.perf_counter() - start:.3f} s")


# --- synthetic PDFs: layout details --------------------------------------------------------------


def _text_pdf(path: Path, *streams: bytes, fonts: dict[str, str] | None = None) -> Path:
    """A one-page PDF whose /Contents are the given streams (an array when there are several)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    resources = DictionaryObject()
    for name, base_font in (fonts or {"F1": "Helvetica", "F2": "Helvetica-Bold"}).items():
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(f"/{base_font}"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),  # 0x95 is a bullet
            }
        )
        resources[NameObject(f"/{name}")] = writer._add_object(font)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): resources})
    objects = []
    for data in streams:
        stream = DecodedStreamObject()
        stream.set_data(data)
        objects.append(writer._add_object(stream))
    page[NameObject("/Contents")] = objects[0] if len(objects) == 1 else ArrayObject(objects)
    writer.write(path)
    return path


def _texts(nodes: list[Node]) -> list[tuple[str, str]]:
    return [
        (type(node).__name__, "".join(run.text for run in node.runs))
        for node in nodes
        if not isinstance(node, TableNode)
    ]


def test_hyphenated_words_and_broken_urls_are_rejoined(tmp_path: Path) -> None:
    lines = [
        b"The committee is inter-",
        b"ministerial and works on the hyphen-",
        b"ation of words. See https://example.org/a/",
        b"path/file.pdf for more.",
    ]
    body = b" 0 -14 Td ".join(b"(" + line + b") Tj" for line in lines)
    path = _text_pdf(tmp_path / "words.pdf", b"BT /F1 10 Tf 72 720 Td " + body + b" ET")
    assert _texts(read_pdf(path)) == [
        (
            "ParagraphNode",
            "The committee is inter-ministerial and works on the hyphenation of words. "
            "See https://example.org/a/path/file.pdf for more.",
        )
    ]


def test_contents_array_bold_subheading_and_list_items(tmp_path: Path) -> None:
    heading = b"BT /F2 10 Tf 72 760 Td (Policy scope) Tj ET"
    text = (
        b"BT /F1 10 Tf 72 730 Td (Running text after the subheading.) Tj "
        b"0 -24 Td (\x95 first item) Tj 0 -14 Td (\x95 second item) Tj ET"
    )
    path = _text_pdf(tmp_path / "array.pdf", heading, text)
    nodes = read_pdf(path)
    assert _texts(nodes) == [
        ("HeadingNode", "Policy scope"),
        ("ParagraphNode", "Running text after the subheading."),
        ("ListItemNode", "first item"),
        ("ListItemNode", "second item"),
    ]
    assert all(run.page == 1 for run in _runs(nodes))


def test_rotated_text_is_skipped(tmp_path: Path) -> None:
    stream = (
        b"BT /F1 10 Tf 72 720 Td (Upright text.) Tj ET "
        b"BT /F1 10 Tf 0 1 -1 0 560 300 Tm (Rotated margin note) Tj ET"
    )
    path = _text_pdf(tmp_path / "rotated.pdf", stream)
    assert _texts(read_pdf(path)) == [("ParagraphNode", "Upright text.")]


def test_a_page_of_only_rotated_text_still_ingests(tmp_path: Path) -> None:
    stream = b"BT /F1 10 Tf 0 1 -1 0 300 100 Tm (A landscape page.) Tj ET"
    path = _text_pdf(tmp_path / "landscape.pdf", stream)
    assert _texts(read_pdf(path)) == [("ParagraphNode", "A landscape page.")]


def test_falls_back_to_plain_text_when_the_glyph_reader_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(page: object) -> list[object]:
        raise KeyError("internal pypdf API changed")

    monkeypatch.setattr(pdf_module, "_page_glyphs", broken)
    path = _text_pdf(tmp_path / "plain.pdf", b"BT /F1 10 Tf 72 720 Td (Still ingested.) Tj ET")
    nodes = read_pdf(path)
    assert _texts(nodes) == [("ParagraphNode", "Still ingested.")]
    assert [run.page for run in _runs(nodes)] == [1]


# --- bad input -----------------------------------------------------------------------------------


def _valid_pdf(tmp_path: Path) -> Path:
    return _text_pdf(tmp_path / "valid.pdf", b"BT /F1 12 Tf 72 720 Td (Some text.) Tj ET")


def test_random_bytes_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnreadableDocumentError):
        read_pdf(path)


def test_pdf_header_followed_by_garbage_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(UnreadableDocumentError):
        read_pdf(path)


def test_truncated_pdf_is_unreadable(tmp_path: Path) -> None:
    data = _valid_pdf(tmp_path).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableDocumentError):
        read_pdf(path)


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_valid_pdf(tmp_path))
    writer.encrypt("secret")
    path = tmp_path / "encrypted.pdf"
    writer.write(path)
    with pytest.raises(EncryptedDocumentError):
        read_pdf(path)


def test_pdf_encrypted_with_an_empty_user_password_is_read(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_valid_pdf(tmp_path))
    writer.encrypt("", owner_password="owner")
    path = tmp_path / "owner-only.pdf"
    writer.write(path)
    assert _texts(read_pdf(path)) == [("ParagraphNode", "Some text.")]


def test_aes_encryption_without_its_crypto_package_is_an_encryption_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def needs_cryptography(path: Path) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pdf_module, "PdfReader", needs_cryptography)
    with pytest.raises(EncryptedDocumentError, match="cryptography"):
        read_pdf(_valid_pdf(tmp_path))


def test_pdf_without_text_is_empty(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "blank.pdf"
    writer.write(path)
    with pytest.raises(EmptyDocumentError):
        read_pdf(path)


def test_pdf_without_pages_is_empty(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    path = tmp_path / "no-pages.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(EmptyDocumentError):
        read_pdf(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError):
        read_pdf(tmp_path / "missing.pdf")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("corrupt.pdf", UnreadableDocumentError),
        ("encrypted.pdf", EncryptedDocumentError),
        ("blank.pdf", EmptyDocumentError),
    ],
)
def test_committed_bad_fixtures(name: str, error: type[IngestError]) -> None:
    with pytest.raises(error) as raised:
        read_pdf(DATA / "bad" / name)
    assert raised.value.path.endswith(name) and raised.value.reason


def test_bad_files_make_no_pypdf_noise(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("corrupt.pdf", "encrypted.pdf", "blank.pdf"):
        with pytest.raises(IngestError):
            read_pdf(DATA / "bad" / name)
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert capsys.readouterr().err == ""
