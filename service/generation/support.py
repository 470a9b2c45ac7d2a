"""How well a generated sentence is supported by the quotes it cites: words and meaning together.

``support_score`` averages two measures, each from 0 to 1:

- lexical: the share of the sentence's content terms (BM25 analysis: stemmed, stop words out)
  that the cited quotes contain;
- semantic: the best cosine similarity (MiniLM) between the sentence and a cited quote, or all
  of them joined.

A paraphrase keeps the meaning and some of the words; an invented claim in the quotes' topic keeps
words but shifts the meaning, or keeps neither. The threshold that separates them is calibrated
on labelled pairs (``policyqa.eval.support_calibration``). Quote vectors are cached: the same
evidence is cited by many sentences and answers.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from policyqa.index import Embedder
from policyqa.index.cache import LRUCache
from policyqa.index.lexical import analyse

#: Weight of the lexical measure; the semantic one gets the rest (words and meaning equally).
LEXICAL_WEIGHT = 0.5


def lexical_support(sentence: str, quotes: Sequence[str]) -> float:
    """The share of the sentence's content terms found in the quotes (1.0 when it has none)."""
    terms = set(analyse(sentence))
    if not terms:
        return 1.0
    quoted = {term for quote in quotes for term in analyse(quote)}
    return len(terms & quoted) / len(terms)


class SupportScorer:
    """Scores sentences against quotes, remembering the vectors of texts it has embedded."""

    def __init__(self, embedder: Embedder, cache_size: int = 4096) -> None:
        self.embedder = embedder
        self.vectors: LRUCache[str, np.ndarray] = LRUCache(cache_size)
        self._lock = threading.Lock()

    def vectors_of(self, texts: Sequence[str]) -> list[np.ndarray]:
        """One normalised vector per text; texts not seen before are embedded in one batch."""
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if self.vectors.get(text) is None]
        if missing:
            embedded = self.embedder.embed(missing)
            with self._lock:
                for text, vector in zip(missing, embedded, strict=True):
                    self.vectors.put(text, np.asarray(vector, dtype=np.float32))
        found: list[np.ndarray] = []
        for text in texts:
            with self._lock:
                vector = self.vectors.get(text)
            if vector is None:  # evicted by a concurrent answer: embed it again
                vector = np.asarray(self.embedder.embed([text])[0], dtype=np.float32)
            found.append(vector)
        return found

    @staticmethod
    def candidates(quotes: Sequence[str]) -> list[str]:
        """What a sentence is compared with: each quote, and all of them joined."""
        return list(quotes) if len(quotes) == 1 else [*quotes, " ".join(quotes)]

    def semantic_support(self, sentence: str, quotes: Sequence[str]) -> float:
        """The best cosine similarity of the sentence with a quote, or the quotes joined."""
        sentence_vector, *quote_vectors = self.vectors_of([sentence, *self.candidates(quotes)])
        best = max(float(np.dot(sentence_vector, vector)) for vector in quote_vectors)
        return max(0.0, min(1.0, best))

    def score(self, sentence: str, quotes: Sequence[str]) -> float:
        """Lexical and semantic support together, 0 to 1 (0 when nothing is cited)."""
        if not quotes:
            return 0.0
        lexical = lexical_support(sentence, quotes)
        semantic = self.semantic_support(sentence, quotes)
        return LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic
