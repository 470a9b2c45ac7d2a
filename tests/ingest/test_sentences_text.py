"""Sentence spans and the plain-text loader."""

from __future__ import annotations

from collections import Counter

from policyqa.ingest.hyphenation import join_hyphenated
from policyqa.ingest.sentences import sentence_spans
from policyqa.ingest.structure import HeadingNode, ListItemNode, ParagraphNode
from policyqa.ingest.text import parse_text


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_splits_sentences_but_not_abbreviations_initials_or_numbers() -> None:
    text = (
        "Industrial land (1.000 hectares) is available, i.e. rental parks. "
        "Amraoui, B.; Monni, S. (2019) wrote it. See Amraoui et al. 2019. Done!"
    )
    assert _sentences(text) == [
        "Industrial land (1.000 hectares) is available, i.e. rental parks.",
        "Amraoui, B.; Monni, S. (2019) wrote it.",
        "See Amraoui et al. 2019.",
        "Done!",
    ]


def test_lines_are_boundaries() -> None:
    assert _sentences("SMEs\nLarge firms") == ["SMEs", "Large firms"]


def test_hyphenation_decided_by_the_documents_vocabulary() -> None:
    vocabulary = Counter({"development": 2, "inter-ministerial": 1})
    assert join_hyphenated("the develop-", "ment of", vocabulary) == "the development of"
    assert join_hyphenated("an inter-", "ministerial", vocabulary) == "an inter-ministerial"
    assert join_hyphenated("COVID-", "19", Counter()) == "COVID-19"
    assert join_hyphenated("a one-", "stop shop", Counter()) == "a one-stop shop"


def test_plain_text_paragraphs_headings_and_lists() -> None:
    nodes = parse_text(
        "1. Introduction\n\nThis policy sup-\nports clusters and supports SMEs.\n\n"
        "- first item\n- second item\n"
    )
    assert isinstance(nodes[0], HeadingNode)
    assert isinstance(nodes[1], ParagraphNode)
    assert (
        "".join(r.text for r in nodes[1].runs) == "This policy supports clusters and supports SMEs."
    )
    assert [type(node) for node in nodes[2:]] == [ListItemNode, ListItemNode]
