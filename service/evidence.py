"""An answer's candidate evidence: its statements, each with the citation that supports it.

This is the one public way to obtain what an answer rests on (``QAEngine.candidate_evidence``),
for whoever builds on the extractive answer, such as a generator that rephrases it: the router's
choice (``Route``), then every statement in the answer's order with its exact-span ``Citation``.
A declined answer has no statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.service.types import AskResult, Citation, Route

_MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class CitedStatement:
    """One statement of an answer and the citation that supports it."""

    text: str  # the statement as the answer says it, without its marker
    citation: Citation


@dataclass(frozen=True, slots=True)
class CandidateEvidence:
    """What an answer rests on, best first."""

    question: str
    answerable: bool
    route: Route | None
    statements: tuple[CitedStatement, ...]
    text: str  # the extractive answer itself


def candidate_evidence(result: AskResult) -> CandidateEvidence:
    """The statements of ``result``'s answer, each paired with its citation."""
    answer = result.answer
    by_id = {citation.id: citation for citation in answer.citations}
    statements: list[CitedStatement] = []
    last = 0
    for match in _MARKER.finditer(answer.text):
        citation = by_id.get(int(match.group(1)))
        body = answer.text[last : match.start()].strip()
        last = match.end()
        if citation is not None and body:
            statements.append(CitedStatement(body, citation))
    return CandidateEvidence(
        result.question.text, answer.answerable, result.route, tuple(statements), answer.text
    )
