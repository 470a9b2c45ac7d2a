"""Answers composed from retrieved passages, every statement cited to an exact span.

No language model runs on these machines, so the default ``ExtractiveAnswerer`` selects what
answers the question from the retrieved passages and composes it:

- When the best passage is a table row that states values (Table 1 of a factsheet: bold
  standardised categories, sub-rows such as "Financial" or "Starting year"), the answer gives the
  row's categories and values, then the most relevant sentences of its explanation.
- Otherwise it gives the sentences that best match the question from the top passages.
- When nothing retrieved is relevant enough (a threshold calibrated on answerable and
  off-corpus questions, see ``policyqa.eval.calibrate``), or the question names a country no
  document covers, it says so, sets ``answerable`` to False and cites nothing.

Every citation's quote is ``document.text[start:end]``; ``verify_citations`` checks it.
A generator calling an LLM endpoint would implement the same ``Answerer`` protocol.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from policyqa.index import Hit
from policyqa.index.lexical import LexicalIndex, analyse
from policyqa.ingest import Block, BlockKind, Document, PartRole
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.types import Answer, Citation, Evidence
from policyqa.settings import AnswerSettings

NOT_COVERED = "The indexed documents do not cover this question."
_SUPPLEMENTARY_SECTIONS = re.compile(r"^(annex|appendix|glossary|methodology)\b", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ")", "”", '"')


def relevance_features(evidence: Evidence) -> tuple[float, float]:
    """(best cosine similarity, best question-term coverage) of the top passages.

    Cosine alone misjudges short questions ("Which instruments does it use?" scores low,
    "What is the capital of France?" scores higher against a policy text); term coverage (the
    IDF-weighted share of the question's terms found in a passage and its section path) tells
    the two apart.
    """
    if not evidence.hits:
        return 0.0, 0.0
    dense = max((hit.dense_score or 0.0) for hit in evidence.hits)
    weights = _term_weights(evidence.question.terms, evidence.lexical)
    coverage = max(
        _coverage(weights, set(analyse(f"{hit.chunk.section_path}\n{hit.chunk.text}")))
        for hit in evidence.hits[:3]
    )
    return dense, coverage


def relevance(evidence: Evidence, coverage_weight: float) -> float:
    """The relevance score compared with the calibrated threshold."""
    dense, coverage = relevance_features(evidence)
    return dense + coverage_weight * coverage


def _term_weights(terms: Sequence[str], lexical: LexicalIndex) -> dict[str, float]:
    return {term: lexical.idf(term) for term in set(terms)}


def _coverage(weights: dict[str, float], terms: set[str]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(weight for term, weight in weights.items() if term in terms) / total


@dataclass(slots=True)
class _Statement:
    """One cited statement of an answer."""

    text: str
    hit: Hit
    start: int
    end: int
    rank: int  # rank of its passage among the ranked passages
    score: float = 0.0


@dataclass(slots=True)
class _RankedPassage:
    hit: Hit
    score: float
    block: Block | None
    label_match: float = 0.0  # share of question terms in the passage's heading or row label
    words: set[str] = field(default_factory=set)

    @property
    def block_kind_ok(self) -> bool:
        """Narrative and table passages, not reference-list entries."""
        return self.hit.chunk.kind is not BlockKind.REFERENCE


class ExtractiveAnswerer:
    """Composes answers from the retrieved passages' own sentences and table values."""

    def __init__(self, settings: AnswerSettings) -> None:
        self.settings = settings

    def answer(self, evidence: Evidence) -> Answer:
        """A cited answer, or a plain "not covered" with no citations."""
        question = evidence.question
        if question.missing_countries and not question.covered_countries:
            return _not_covered(question.missing_countries, evidence.index_countries)
        if relevance(evidence, self.settings.coverage_weight) < self.settings.min_relevance:
            return Answer(NOT_COVERED, answerable=False)
        weights = _term_weights(question.terms, evidence.lexical)
        passages = self._rank_passages(evidence.hits, weights, evidence.preferred)
        statements = self._row_statements(passages[0], weights) if passages else []
        used = {(statement.start, statement.end) for statement in statements}
        if statements:
            # The row answers the question. Add sentences only from passages whose own heading
            # or row label matches the question too (the narrative on the same topic), and only
            # when they match it closely.
            related = [p for p in passages[1:] if p.label_match > 0 and p.block_kind_ok]
            room = min(2, self.settings.max_statements - len(statements))
            row = passages[0].block
            seen = (
                _sentence_keys(passages[0].hit.document.text, row.start, row.end) if row else set()
            )
            extra = self._sentence_statements(
                related, weights, used, room, min_overlap=0.5, seen=seen
            )
        else:
            extra = self._sentence_statements(
                passages, weights, used, self.settings.max_statements, min_overlap=0.0
            )
        statements = _without_repeats([*statements, *extra])
        if not statements:
            return Answer(NOT_COVERED, answerable=False)
        return _compose(statements)

    # --- passages -----------------------------------------------------------------------------

    def rank_passages(self, evidence: Evidence) -> list[Hit]:
        """The retrieved passages in the order this answerer weighs them.

        The passages it reads (``settings.passages``) in its own re-ranked order, then any further
        retrieved passages in retrieval order. Used by the evaluation to score the ranking that
        the answers are built from; answering does not call it.
        """
        weights = _term_weights(evidence.question.terms, evidence.lexical)
        ranked = [
            passage.hit
            for passage in self._rank_passages(evidence.hits, weights, evidence.preferred)
        ]
        seen = {hit.chunk.chunk_id for hit in ranked}
        return [*ranked, *(hit for hit in evidence.hits if hit.chunk.chunk_id not in seen)]

    def _rank_passages(
        self, hits: Sequence[Hit], weights: dict[str, float], preferred: Sequence[Hit] = ()
    ) -> list[_RankedPassage]:
        """Re-rank the retrieved passages: retrieval score, a matching row label or heading,
        the question's aspect (``preferred``: passages of the field or section it is about),
        and less weight for supplementary sections (annexes define terms, they do not report)."""
        favoured = {hit.chunk.chunk_id for hit in preferred}
        merged = {hit.chunk.chunk_id: hit for hit in [*preferred, *hits]}
        hits = sorted(merged.values(), key=lambda hit: hit.chunk.chunk_id not in favoured)
        hits = hits[: self.settings.passages]
        if not hits:
            return []
        best = max(hit.score for hit in hits) or 1.0
        ranked = []
        for hit in hits:
            chunk = hit.chunk
            label_terms = set(analyse(chunk.section[-1])) if chunk.section else set()
            label_match = _coverage(weights, label_terms)
            score = hit.score / best + 0.5 * label_match
            if chunk.chunk_id in favoured:
                score += 0.3
            if chunk.section and _SUPPLEMENTARY_SECTIONS.match(chunk.section[0]):
                score -= 0.5
            block = (
                _block_of(hit.document, chunk.start) if chunk.kind is BlockKind.TABLE_ROW else None
            )
            ranked.append(_RankedPassage(hit, score, block, label_match, set(analyse(chunk.text))))
        ranked.sort(key=lambda passage: -passage.score)
        return ranked

    # --- table rows ---------------------------------------------------------------------------

    def _row_statements(
        self, passage: _RankedPassage, weights: dict[str, float]
    ) -> list[_Statement]:
        """Statements for a table row that states values: its categories and sub-rows."""
        block = passage.block
        if block is None or _SUPPLEMENTARY_SECTIONS.match(
            block.section[0] if block.section else ""
        ):
            return []
        # the whole row, also the parts a long row's other passages hold (quotes stay exact spans)
        parts = list(block.parts)
        if not any(part.role in (PartRole.CATEGORY, PartRole.SUBLABEL) for part in parts):
            return []  # a list of options (Table 2) or plain text: answer with sentences instead
        text = passage.hit.document.text
        statements: list[_Statement] = []
        group_start: int | None = None  # where the current group's quote starts
        values: list[tuple[int, int]] = []
        prose: list[tuple[int, int]] = []

        def close_group() -> None:
            if values:
                start = group_start if group_start is not None else values[0][0]
                end = values[-1][1]
                statements.append(self._statement(passage, start, end, _listing(text, start, end)))
            for start, end in self._best_sentences(text, prose, weights, limit=2):
                statements.append(self._statement(passage, start, end, _clean(text[start:end])))

        for part in parts:
            if part.role is PartRole.LABEL:
                group_start = part.start
            elif part.role is PartRole.SUBLABEL:
                first_subrow = group_start is not None and not values and not prose
                close_group()
                # the first sub-row's quote keeps the row label ("INSTRUMENTS\nFinancial: ...")
                group_start = group_start if first_subrow and not statements else part.start
                values, prose = [], []
            elif part.role is PartRole.CATEGORY or _is_value(text[part.start : part.end]):
                values.append((part.start, part.end))
            else:
                prose.append((part.start, part.end))
                if not values:
                    group_start = None  # the explanation starts its own quote
        close_group()
        return statements

    def _best_sentences(
        self,
        text: str,
        spans: list[tuple[int, int]],
        weights: dict[str, float],
        limit: int,
    ) -> list[tuple[int, int]]:
        """The ``limit`` sentences of ``spans`` sharing most question terms (first on ties)."""
        sentences = [s for start, end in spans for s in sentence_spans(text, start, end)]
        scored = [
            (_coverage(weights, set(analyse(text[start:end]))), -index, (start, end))
            for index, (start, end) in enumerate(sentences)
        ]
        scored.sort(reverse=True)
        return sorted(span for _, _, span in scored[:limit])

    # --- sentences ----------------------------------------------------------------------------

    def _sentence_statements(
        self,
        passages: list[_RankedPassage],
        weights: dict[str, float],
        used: set[tuple[int, int]],
        room: int,
        min_overlap: float,
        seen: set[str] | None = None,
    ) -> list[_Statement]:
        """The sentences of the passages that best match the question.

        A sentence scores by the share of question terms it (with its heading) contains, plus
        its passage's rank score; only sentences close to the best one are kept, so an answer
        does not pad itself with loosely related text.
        """
        if room <= 0 or not passages:
            return []
        candidates: list[_Statement] = []
        best_passage = max(passage.score for passage in passages)
        for rank, passage in enumerate(passages):
            hit = passage.hit
            text = hit.document.text
            chunk = hit.chunk
            if chunk.section and _SUPPLEMENTARY_SECTIONS.match(chunk.section[0]):
                continue
            heading_terms = set(analyse(chunk.section[-1])) if chunk.section else set()
            if chunk.kind is BlockKind.REFERENCE:
                spans = [(chunk.start, chunk.end)]  # a reference entry is quoted whole
            else:
                spans = sentence_spans(text, chunk.start, chunk.end)
            for start, end in spans:
                sentence = text[start:end]
                if (start, end) in used or not _is_statement(sentence, chunk.kind):
                    continue
                if seen and _dedupe_key(sentence) in seen:
                    continue  # says what the row already said (a narrative repeating the table)
                overlap = _coverage(weights, set(analyse(sentence)) | heading_terms)
                if overlap < min_overlap:
                    continue
                score = overlap + 0.5 * passage.score / max(best_passage, 1e-9)
                candidates.append(_Statement(_clean(sentence), hit, start, end, rank, score=score))
        candidates.sort(key=lambda statement: -statement.score)
        floor = candidates[0].score * 0.75 if candidates else 0.0
        chosen = [statement for statement in candidates if statement.score >= floor][:room]
        # read in passage order, then document order
        chosen.sort(key=lambda statement: (statement.rank, statement.start))
        return chosen

    @staticmethod
    def _statement(passage: _RankedPassage, start: int, end: int, text: str) -> _Statement:
        return _Statement(text, passage.hit, start, end, rank=0, score=passage.score)


# --- helpers ----------------------------------------------------------------------------------


def _block_of(document: Document, offset: int) -> Block | None:
    for block in document.blocks:
        if block.start <= offset < block.end:
            return block
    return None


def _is_value(line: str) -> bool:
    """Short regular-text values in a row ("2021", "Data unavailable"), not explanations."""
    return len(line.split()) <= 6 and not line.rstrip().endswith(".")


def _is_statement(sentence: str, kind: BlockKind) -> bool:
    """Sentences worth quoting: table lines only when they are sentences, not option labels."""
    words = len(sentence.split())
    if kind is BlockKind.TABLE_ROW:
        return words >= 6 and sentence.rstrip().endswith(_SENTENCE_END)
    if kind is BlockKind.REFERENCE:
        return True
    return words >= 4


def _listing(text: str, start: int, end: int) -> str:
    """A row's lines as one readable statement: "LABEL: a; b; c" or "Sub-label: a; b"."""
    lines = [line.strip() for line in text[start:end].split("\n") if line.strip()]
    if len(lines) > 1 and ":" not in lines[0]:
        return f"{lines[0]}: {'; '.join(lines[1:])}"  # the row label heads the list
    return "; ".join(lines)


def _clean(text: str) -> str:
    return re.sub(r"\s*\n\s*", "; ", text.strip())


def _dedupe_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _sentence_keys(text: str, start: int, end: int) -> set[str]:
    return {_dedupe_key(text[left:right]) for left, right in sentence_spans(text, start, end)}


def _without_repeats(statements: list[_Statement]) -> list[_Statement]:
    """Drop statements whose words another kept statement already says (a narrative often
    repeats a table's explanation word for word)."""
    kept: list[_Statement] = []
    keys: list[str] = []
    for statement in statements:
        key = _dedupe_key(statement.text)
        if any(key in other or other in key for other in keys):
            continue
        kept.append(statement)
        keys.append(key)
    return kept


def cited_statement(
    number: int,
    text: str,
    document: Document,
    start: int,
    end: int,
    section: str,
    score: float,
) -> tuple[str, Citation]:
    """A statement ending with its marker ``[number]``, and the citation of ``[start, end)``."""
    body = text.rstrip()
    if not body.endswith((".", "!", "?")):
        body += "."
    citation = Citation(
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
    return f"{body} [{number}]", citation


def _compose(statements: list[_Statement]) -> Answer:
    """Join statements, numbering one citation per statement."""
    sentences: list[str] = []
    citations: list[Citation] = []
    for number, statement in enumerate(statements, 1):
        hit = statement.hit
        sentence, citation = cited_statement(
            number,
            statement.text,
            hit.document,
            statement.start,
            statement.end,
            hit.chunk.section_path,
            hit.score,
        )
        sentences.append(sentence)
        citations.append(citation)
    return Answer(" ".join(sentences), answerable=True, citations=tuple(citations))


def _not_covered(missing: Sequence[str], indexed: Sequence[str]) -> Answer:
    named = ", ".join(missing)
    covered = ", ".join(indexed) if indexed else "none"
    return Answer(
        f"The indexed documents do not cover {named} (countries covered: {covered}).",
        answerable=False,
    )


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
