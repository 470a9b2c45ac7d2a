"""How well the retrieved passages match a question: the gate before answering.

``relevance`` is compared with the calibrated ``AnswerSettings.min_relevance`` (see
``policyqa.eval.calibrate``): below it, the documents are taken not to cover the question. Term
weights and coverage are also what the extractive answerer ranks passages and sentences by.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from policyqa.index.lexical import analyse
from policyqa.index.passage_store import TermWeights
from policyqa.service.types import Evidence


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
    weights = term_weights(evidence.question.terms, evidence.lexical)
    coverage = max(
        term_coverage(weights, set(analyse(f"{hit.chunk.section_path}\n{hit.chunk.text}")))
        for hit in evidence.hits[:3]
    )
    return dense, coverage


def relevance(evidence: Evidence, coverage_weight: float) -> float:
    """The relevance score compared with the calibrated threshold."""
    dense, coverage = relevance_features(evidence)
    return dense + coverage_weight * coverage


def term_weights(terms: Sequence[str], lexical: TermWeights) -> dict[str, float]:
    """Each distinct question term with its IDF: rare terms say more about what is asked."""
    return {term: lexical.idf(term) for term in set(terms)}


def term_coverage(weights: Mapping[str, float], terms: Collection[str]) -> float:
    """The IDF-weighted share of the question's terms that ``terms`` contains (0 to 1)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(weight for term, weight in weights.items() if term in terms) / total


def variant_coverage(weights: Mapping[str, float], terms: Collection[str]) -> float:
    """``term_coverage`` where a question term also meets its morphological variants.

    The stemmer leaves some derivations apart ("recover" -> recov, "recovery" -> recoveri): two
    stems meet when the shorter, of at least four letters, starts the longer, which adds at
    most three letters.
    """
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    found = 0.0
    starts = {other[:4] for other in terms if len(other) >= 4}
    for term, weight in weights.items():
        if term in terms or (term[:4] in starts and any(variants(term, other) for other in terms)):
            found += weight
    return found / total


def variants(first: str, second: str) -> bool:
    """Whether two stems are morphological variants of one word (see ``variant_coverage``)."""
    short, long = sorted((first, second), key=len)
    return len(short) >= 4 and len(long) - len(short) <= 3 and long.startswith(short)
