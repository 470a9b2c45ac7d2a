"""The statements the model is given to answer from, each with an id it cites as ``[n]``.

``evidence_statements`` is the one place that decides what the model sees: the statements of
the extractive answer first (what policyqa would answer itself), then the sentences of the
retrieved passages in retrieval order, without repeats, up to a bound. Every statement is a span
of a document's canonical text, so whatever the model cites can be quoted exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from policyqa.index import Hit
from policyqa.ingest import Document
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.statements import Statement, clean
from policyqa.service.types import Answer

#: Most statements given to the model: enough for a summary or comparison, few enough for a
#: small model's context and for the verifier's cost.
MAX_STATEMENTS = 16
#: Shortest passage sentence worth giving (words): headings and labels say nothing on their own.
MIN_WORDS = 4


def evidence_statements(
    question: str,
    extractive: Answer,
    hits: Sequence[Hit],
    documents: Mapping[str, Document],
    limit: int = MAX_STATEMENTS,
) -> list[Statement]:
    """The statements given to the model for ``question``, in the order of their ids (1, 2, ...).

    ``extractive`` is the answer policyqa composed itself (its citations come first), ``hits``
    the retrieved passages (their sentences follow), ``documents`` the index's documents by id.
    ``question`` is not used yet: a later selection may rank sentences by it.
    """
    del question  # the extractive answer and the retrieval order already reflect it
    chosen: list[Statement] = []
    spans: set[tuple[str, int, int]] = set()

    def add(statement: Statement) -> None:
        key = (statement.document.doc_id, statement.start, statement.end)
        if len(chosen) < limit and key not in spans and not _inside(key, spans):
            spans.add(key)
            chosen.append(statement)

    if extractive.answerable:
        for citation in extractive.citations:
            document = documents.get(citation.doc_id)
            if document is not None:
                text = _labelled(citation.section, document.text[citation.start : citation.end])
                add(Statement(text, document, citation.start, citation.end))
    for hit in hits:
        text = hit.document.text
        for start, end in sentence_spans(text, hit.chunk.start, hit.chunk.end):
            sentence = text[start:end]
            if len(sentence.split()) >= MIN_WORDS:
                labelled = _labelled(hit.chunk.section_path, sentence)
                add(Statement(labelled, hit.document, start, end, passage=hit))
    return chosen


def _labelled(section: str, quote: str) -> str:
    """The quote as the model reads it: with its document's section, so that a table cell
    ("Starting year: 2021") says what it is about."""
    label = section.rsplit(" > ", 1)[-1].strip()
    return f"({label}) {clean(quote)}" if label else clean(quote)


def _inside(key: tuple[str, int, int], spans: set[tuple[str, int, int]]) -> bool:
    """Whether the span lies within one already chosen (a row's sentence after the row)."""
    doc_id, start, end = key
    return any(doc == doc_id and left <= start and end <= right for doc, left, right in spans)
