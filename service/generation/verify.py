"""Verification of a generated answer, sentence by sentence, against the statements it cites.

A sentence is kept when it cites at least one statement it was given, every fact it states
(``facts``) occurs in what it cites (the quotes, or the cited documents' title and country), and
its support score (``support``) reaches the threshold. Citations of ids that were not given are
dropped from the text. The verified answer cites the statements by the ids the model used, so
the text streamed as the model wrote it and the final answer refer to the same citations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from policyqa.index import Hit
from policyqa.service.generation.facts import extract_facts, missing_facts
from policyqa.service.generation.support import SupportScorer
from policyqa.service.statements import Statement, compose
from policyqa.service.types import Answer, Citation

#: A citation marker as models write them: [3], [1, 2] (also [1][2], two markers).
MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
#: A sentence ends at . ! ? (and closing quotes or brackets), its markers, then a capital, a digit,
#: a quote or the end; or at a line break.
_SENTENCE_END = re.compile(
    r"[.!?][\"”’)]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s+[\"“(\[]?[A-Z0-9]|\s*$)|\n+"
)
UNSUPPORTED_MARK = "[unsupported]"


@dataclass(frozen=True, slots=True)
class SentenceVerdict:
    """One generated sentence and what verification found."""

    text: str  # the sentence with its valid markers, invalid ones dropped
    cited: tuple[int, ...]  # ids of given statements it cites
    dropped: tuple[int, ...]  # ids it cited that were not given
    supported: bool
    reason: str  # why it is not supported ("" when it is)
    score: float  # support score (0 when not computed)


@dataclass(frozen=True, slots=True)
class Verification:
    """The verified answer and the verdict on every sentence."""

    answer: Answer
    verdicts: tuple[SentenceVerdict, ...]

    @property
    def unsupported(self) -> list[SentenceVerdict]:
        """The sentences that failed verification."""
        return [verdict for verdict in self.verdicts if not verdict.supported]


def split_sentences(text: str) -> list[str]:
    """The sentences of a generated answer, each with the markers that follow it."""
    sentences, cursor = [], 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[cursor : match.end()].strip()
        if piece:
            sentences.append(piece)
        cursor = match.end()
    if text[cursor:].strip():
        sentences.append(text[cursor:].strip())
    return sentences


def cited_ids(sentence: str) -> list[int]:
    """The ids a sentence cites, in order, without repeats."""
    ids = [int(n) for match in MARKER.finditer(sentence) for n in match.group(1).split(",")]
    return list(dict.fromkeys(ids))


class Verifier:
    """Checks generated sentences against the statements given to the model."""

    def __init__(self, scorer: SupportScorer, threshold: float) -> None:
        self.scorer = scorer
        self.threshold = threshold

    def sentence(self, sentence: str, statements: Sequence[Statement]) -> SentenceVerdict:
        """The verdict on one sentence; ``statements[n - 1]`` is the statement ``[n]``."""
        ids = cited_ids(sentence)
        valid = tuple(n for n in ids if 1 <= n <= len(statements))
        dropped = tuple(n for n in ids if n not in valid)
        text = _without_markers(sentence, set(dropped))
        if not valid:
            return SentenceVerdict(text, valid, dropped, False, "cites no given statement", 0.0)
        cited = [statements[n - 1] for n in valid]
        quotes = [s.document.text[s.start : s.end] for s in cited]
        context = [*quotes, *(s.document.title for s in cited)]
        context += [s.document.country for s in cited if s.document.country]
        context += [s.text for s in cited]  # the quotes as the model read them, with section
        supported, reason, score = self.check(_without_markers(sentence, None), quotes, context)
        return SentenceVerdict(text, valid, dropped, supported, reason, score)

    def check(
        self, sentence: str, quotes: Sequence[str], context: Sequence[str]
    ) -> tuple[bool, str, float]:
        """(supported, reason, score) of a sentence without markers against its cited quotes;
        its facts may also come from ``context`` (the quotes and their documents' metadata)."""
        missing = missing_facts(extract_facts(sentence), context)
        if missing:
            return False, "not in its citations: " + ", ".join(missing), 0.0
        score = round(self.scorer.score(sentence, quotes), 4)
        if score < self.threshold:
            return False, f"support {score:.2f} below {self.threshold:.2f}", score
        return True, "", score

    def answer(
        self,
        generated: str,
        statements: Sequence[Statement],
        hits: Sequence[Hit] = (),
        mark: bool = False,
    ) -> Verification:
        """The generated text verified: unsupported sentences removed (or, with ``mark``, kept
        and marked), citations for the statements the kept sentences cite."""
        sentences = split_sentences(generated)
        self._embed_at_once(sentences, statements)
        verdicts = tuple(self.sentence(s, statements) for s in sentences)
        kept = [v for v in verdicts if v.supported or mark]
        parts = [v.text if v.supported else f"{v.text} {UNSUPPORTED_MARK}" for v in kept]
        used = sorted({n for v in kept for n in v.cited})
        citations = tuple(_citation(n, statements[n - 1], hits) for n in used)
        removed = sum(not v.supported for v in verdicts)  # withdrawn, or marked
        answer = Answer(
            " ".join(parts),
            answerable=any(v.supported for v in verdicts),
            citations=citations,
            generated=True,
            removed=removed,
        )
        return Verification(answer, verdicts)

    def _embed_at_once(self, sentences: Sequence[str], statements: Sequence[Statement]) -> None:
        """Embed every sentence and cited quote in one batch (one model call per answer)."""
        texts: list[str] = []
        for sentence in sentences:
            ids = [n for n in cited_ids(sentence) if 1 <= n <= len(statements)]
            if ids:
                quotes = [
                    statements[n - 1].document.text[statements[n - 1].start : statements[n - 1].end]
                    for n in ids
                ]
                texts.append(_without_markers(sentence, None))
                texts.extend(self.scorer.candidates(quotes))
        if texts:
            self.scorer.vectors_of(texts)


def _without_markers(sentence: str, ids: set[int] | None) -> str:
    """The sentence without the markers of ``ids`` (all markers when None)."""

    def keep(match: re.Match[str]) -> str:
        numbers = [n.strip() for n in match.group(1).split(",")]
        left = [n for n in numbers if ids is not None and int(n) not in ids]
        return " " + "".join(f"[{n}]" for n in left) if left else ""

    return MARKER.sub(keep, sentence).strip()


def _citation(number: int, statement: Statement, hits: Sequence[Hit]) -> Citation:
    """The statement's citation, under the id the model cited it by."""
    return replace(compose([statement], hits).citations[0], id=number)
