"""Cited statements, and the one way an answer is composed from them.

Both answerers (the extractive one and the factsheet one) say what they found as ``Statement``s:
a text to show and the span of a document's canonical text that supports it. ``compose`` joins
them into an ``Answer``, numbering a citation ``[n]`` per statement, each with
``quote == document.text[start:end]``; ``verify_citations`` checks that an answer keeps that
promise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policyqa.index import Hit
from policyqa.ingest import Document
from policyqa.service.types import Answer, Citation


@dataclass(frozen=True, slots=True)
class Statement:
    """What an answer says, and the span ``[start, end)`` of ``document.text`` that says it.

    ``passage`` is the retrieved passage the span was read from, when the answerer read it from
    one: the citation then names that passage's section and score. Otherwise they are looked up
    (the section of the block holding the span, the best retrieved passage holding it).
    """

    text: str
    document: Document
    start: int
    end: int
    passage: Hit | None = None

    def with_text(self, text: str) -> Statement:
        """The same citation with other words ("Morocco — " + what the span says)."""
        return Statement(text, self.document, self.start, self.end, self.passage)


def clean(text: str) -> str:
    """A span's lines as one line of an answer: trimmed, joined by "; ", blank lines dropped."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def compose(
    statements: Sequence[Statement],
    hits: Sequence[Hit] = (),
    header: str = "",
    separator: str = " ",
) -> Answer:
    """Number the statements' citations in order; the header (if any) opens the answer.

    ``hits`` are the retrieved passages, which give the score of a statement read from no
    passage of its own.
    """
    citations: list[Citation] = []
    parts: list[str] = [header] if header else []
    for number, statement in enumerate(statements, 1):
        body = statement.text.rstrip()
        if not body.endswith((".", "!", "?")):
            body += "."
        parts.append(f"{body} [{number}]")
        citations.append(_citation(number, statement, hits))
    return Answer(separator.join(parts), answerable=True, citations=tuple(citations))


def _citation(number: int, statement: Statement, hits: Sequence[Hit]) -> Citation:
    document, start, end = statement.document, statement.start, statement.end
    if statement.passage is not None:
        section, score = statement.passage.chunk.section_path, statement.passage.score
    else:
        section, score = section_at(document, start), best_score(hits, document.doc_id, start, end)
    return Citation(
        id=number,
        doc_id=document.doc_id,
        title=document.title,
        country=document.country,
        section=section,
        page=document.page_at(start),
        start=start,
        end=end,
        quote=document.text[start:end],
        score=round(score, 6),
    )


def section_at(document: Document, offset: int) -> str:
    """The section path of the block holding ``offset`` ("" outside every block)."""
    for block in document.blocks:
        if block.start <= offset < block.end:
            return " > ".join(block.section)
    return ""


def best_score(hits: Sequence[Hit], doc_id: str, start: int, end: int) -> float:
    """The best retrieval score of the retrieved passages holding the span (0 if none does)."""
    scores = [
        hit.score
        for hit in hits
        if hit.chunk.doc_id == doc_id and hit.chunk.start <= start and end <= hit.chunk.end + 1
    ]
    return max(scores) if scores else 0.0


def verify_citations(answer: Answer, documents: Mapping[str, Document]) -> list[str]:
    """Problems with an answer's citations: each quote must be its document's text at its span."""
    problems = []
    for citation in answer.citations:
        document = documents.get(citation.doc_id)
        if document is None:
            problems.append(f"[{citation.id}] cites unknown document {citation.doc_id!r}")
        elif document.text[citation.start : citation.end] != citation.quote:
            problems.append(
                f"[{citation.id}] quote differs from {citation.doc_id} text at its span"
            )
        elif f"[{citation.id}]" not in answer.text:
            problems.append(f"[{citation.id}] is never referenced in the answer text")
    return problems
