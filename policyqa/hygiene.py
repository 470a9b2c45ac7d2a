"""Text from clients, made safe for the tokenizer and for JSON before anything reads it.

A lone UTF-16 surrogate (valid in a JSON string escape, invalid in UTF-8) makes the Rust
tokenizer raise, and control characters have no meaning in a question. Both are removed here,
at the edge, so that one odd request cannot fail in the middle of the pipeline.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab, newline and carriage return, plus lone surrogates
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_client_text(text: str) -> str:
    """``text`` without control characters and lone surrogates, in NFC normal form."""
    cleaned = _UNSAFE.sub(lambda match: "\ufffd" if match.group() >= "\ud800" else " ", text)
    return unicodedata.normalize("NFC", cleaned)
