"""Plain text into the document tree.

Blank lines separate paragraphs; hard-wrapped lines are joined, and words hyphenated across a
line break are rejoined. A short line standing alone without final punctuation, numbered
("2. National cluster policy") or in capitals, is read as a heading; "- " and "1) " lines are
list items.
"""

from __future__ import annotations

import re
from collections import Counter

from policyqa.ingest.hyphenation import join_hyphenated
from policyqa.ingest.structure import HeadingNode, ListItemNode, Node, ParagraphNode, Run

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+(.*)$")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")


def document_vocabulary(text: str) -> Counter[str]:
    """Lower-cased words and hyphenated compounds of a text, with counts."""
    return Counter(word.lower() for word in _WORD.findall(text))


def join_lines(lines: list[str], vocabulary: Counter[str]) -> str:
    """Join hard-wrapped lines of one paragraph into one line."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-") and not text.endswith(" -"):
            text = join_hyphenated(text, line, vocabulary)
        else:
            text = f"{text} {line}"
    return text


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12 or line.rstrip().endswith((".", ",", ";", ":", "!", "?")):
        return False
    letters = [char for char in line if char.isalpha()]
    is_upper = bool(letters) and all(char.isupper() for char in letters) and len(letters) > 3
    return bool(_NUMBERED.match(line)) or is_upper


def parse_text(source: str) -> list[Node]:
    """Parse plain text into document-tree nodes."""
    normalised = source.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    vocabulary = document_vocabulary(normalised)
    nodes: list[Node] = []
    for block in re.split(r"\n\s*\n", normalised):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and _is_heading(lines[0].strip()):
            nodes.append(HeadingNode([Run(lines[0].strip())], rank=2))
            continue
        items: list[list[str]] = []
        for line in lines:
            item = _LIST_ITEM.match(line)
            if item:
                items.append([item.group(1)])
            elif items:
                items[-1].append(line)
            else:
                items.append([line])
        if len(items) > 1 or _LIST_ITEM.match(lines[0]):
            for index, item_lines in enumerate(items):
                text = join_lines(item_lines, vocabulary)
                is_item = index > 0 or bool(_LIST_ITEM.match(lines[0]))
                nodes.append(ListItemNode([Run(text)]) if is_item else ParagraphNode([Run(text)]))
        else:
            nodes.append(ParagraphNode([Run(join_lines(lines, vocabulary))]))
    return nodes
