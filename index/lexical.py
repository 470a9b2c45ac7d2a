"""BM25 over the same passages as the dense index, with bm25s.

Passages and queries go through one analyser: lower-case word tokens, English stop words removed,
Snowball-stemmed ("instruments" and "instrument" match). bm25s stores its sparse matrix as plain
``.npy`` files plus ``params.index.json`` and can memory-map them.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
# Short English stop-word list: function words only, so that "no", "not" and the years stay.
_STOPWORDS = frozenset(
    """a an and are as at be been being but by for from has have he her his i in into is it its
    of on or our she so than that the their them then there these they this those to was we were
    which while who whom will with you your what when where how does do did can could would
    should shall may might must about over also any some such""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def analyse(text: str) -> list[str]:
    """The BM25 terms of a text: lower-cased, stop words removed, stemmed; hyphens split too.

    Answering a question analyses the same passages, headings and sentences again and again,
    so results are remembered (a bounded LRU cache); each call returns a fresh list.
    """
    return list(_analyse_cached(text))


@lru_cache(maxsize=32_768)
def _analyse_cached(text: str) -> tuple[str, ...]:
    return tuple(_analyse(text))


def _analyse(text: str) -> list[str]:
    words: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        token = match.group(0)
        words.append(token)
        if "-" in token or "'" in token:
            words.extend(part for part in re.split(r"[-']", token) if part)
    kept = [word for word in words if word not in _STOPWORDS]
    return list(_stemmer().stemWords(kept))


class LexicalIndex:
    """BM25 scores for every passage of the index."""

    def __init__(self, model: bm25s.BM25, size: int) -> None:
        self._model = model
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index ``texts`` (one per passage, in passage order)."""
        model = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [_analyse(text) or [""] for text in texts]  # once each: no cache
        if corpus:
            model.index(corpus, show_progress=False)
        return cls(model, len(texts))

    def scores(
        self, query: str, mask: npt.NDArray[np.bool_] | None = None
    ) -> npt.NDArray[np.float32]:
        """BM25 score of every passage for ``query`` (zero outside ``mask``)."""
        terms = analyse(query)
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        weight_mask = None if mask is None else mask.astype(np.float32)
        scores = self._model.get_scores(terms, weight_mask=weight_mask)
        return np.asarray(scores, dtype=np.float32)

    def knows(self, term: str) -> bool:
        """Whether some passage holds the analysed ``term``."""
        token_id = self._model.vocab_dict.get(term) if self.size else None
        indptr = self._model.scores["indptr"] if self.size else None
        return (
            token_id is not None
            and indptr is not None
            and token_id + 1 < len(indptr)
            and int(indptr[token_id + 1] - indptr[token_id]) > 0
        )

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term; unseen terms get the highest value."""
        df = 0
        if self.size:
            token_id = self._model.vocab_dict.get(term)
            indptr = self._model.scores["indptr"]
            if token_id is not None and token_id + 1 < len(indptr):
                df = int(indptr[token_id + 1] - indptr[token_id])
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def save(self, folder: Path) -> None:
        """Write bm25s's files into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, size: int, mmap: bool = True) -> LexicalIndex:
        """Read an index written by ``save``; ``size`` is the passage count from the manifest."""
        if size == 0:
            return cls(bm25s.BM25(), 0)
        model = bm25s.BM25.load(str(folder), mmap=mmap)
        return cls(model, size)
