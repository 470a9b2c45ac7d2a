"""The hyphenation rule: is a hyphen at a line end part of a compound, or only a word split?

One rule for every reader that rejoins hard-wrapped lines (the plain-text parser, the PDF
reader): the document's own vocabulary decides first, common compound prefixes next.
"""

from __future__ import annotations

import re
from collections.abc import Container

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
    common compound prefixes decide when the document uses neither form elsewhere.
    """
    if right[:1].isupper() or right[:1].isdigit() or left[-1:].isdigit():
        return True
    if f"{left}-{right}".lower() in vocabulary:
        return True
    if (left + right).lower() in vocabulary:
        return False
    return left.lower() in _COMPOUND_PREFIXES


def join_hyphenated(left: str, right: str, vocabulary: Container[str]) -> str:
    """Join ``left`` (ending in a hyphen at a line end) with ``right``, the next line's start."""
    stem_match = re.search(r"([A-Za-zÀ-ÿ0-9]+)-$", left)
    next_match = re.match(r"([A-Za-zÀ-ÿ0-9]+)", right)
    if not stem_match or not next_match:
        return left + right
    if keeps_hyphen(stem_match.group(1), next_match.group(1), vocabulary):
        return left + right
    return left[:-1] + right
