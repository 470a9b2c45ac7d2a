"""The ECCP factsheet template: its fields, sub-rows, criteria, options and wording.

All 56 ECCP country factsheets share one template. This module holds its vocabulary: the Table 1
fields and sub-rows with the labels the template prints (and the spellings the parser accepts),
the four state-of-play criteria of Table 2 with their graded options, the headings of the
narrative sections, and the values that mean "nothing recorded".
"""

from __future__ import annotations

import re
from enum import StrEnum


class FieldKey(StrEnum):
    """The fields of Table 1 ("Overview of cluster policy in ...")."""

    OBJECTIVES = "objectives"
    FOCUS = "focus"
    AUTHORITIES = "authorities"
    BENEFICIARIES = "beneficiaries"
    INSTRUMENTS = "instruments"
    HISTORY = "history"
    BUDGET = "budget"
    EVALUATION = "evaluation"
    ALIGNMENT = "alignment"


#: The row label the template prints for each field.
FIELD_LABELS: dict[FieldKey, str] = {
    FieldKey.OBJECTIVES: "POLICY OBJECTIVES",
    FieldKey.FOCUS: "POLICY FOCUS",
    FieldKey.AUTHORITIES: "RESPONSIBLE AUTHORITIES",
    FieldKey.BENEFICIARIES: "BENEFICIARIES",
    FieldKey.INSTRUMENTS: "INSTRUMENTS",
    FieldKey.HISTORY: "HISTORY",
    FieldKey.BUDGET: "BUDGET",
    FieldKey.EVALUATION: "POLICY EVALUATION",
    FieldKey.ALIGNMENT: "POLICY ALIGNMENT WITH THE EU PRIORITIES",
}

#: Sub-rows of the template, by the key the profile files them under.
SUBFIELD_LABELS: dict[str, str] = {
    "financial": "Financial",
    "technical_assistance": "Technical assistance",
    "explanation": "Explanation",
    "period": "Period",
    "ending_year": "Ending year",
    "starting_year": "Starting year",
    "overall": "Overall",
    "annual": "Annual",
    "source": "Source of funding",
    "availability": "Availability",
    "results": "Results",
}


class Criterion(StrEnum):
    """The four criteria of the state of play (Table 2 and the narrative under it)."""

    SCOPE = "scope"
    CONTINUITY = "continuity"
    PERFORMANCE = "performance"
    SUPPORT = "support_instruments"


#: Table 2's heading for each criterion.
CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.SCOPE: "POLICY SCOPE",
    Criterion.CONTINUITY: "CONTINUITY",
    Criterion.PERFORMANCE: "EVIDENCE OF PERFORMANCE",
    Criterion.SUPPORT: "CLUSTER SUPPORT INSTRUMENTS",
}

#: The template's four graded options per criterion, in Table 2's order (level 0 to 3).
STATE_OF_PLAY_OPTIONS: dict[Criterion, tuple[str, str, str, str]] = {
    Criterion.SCOPE: (
        "Absence of cluster policy",
        "Broad policy",
        "Sectoral policy",
        "National and/or regional cluster policy",
    ),
    Criterion.CONTINUITY: (
        "No cluster-specific policy available",
        "Cluster policy established recently",
        "Cluster policy established between over 2 and 10 years",
        "Cluster policy established over 10 years ago",
    ),
    Criterion.PERFORMANCE: (
        "No evaluation and / or monitoring available",
        "Existence of evaluations of past policies",
        "Existence of monitoring or an ongoing / interim evaluation",
        "Existence of monitoring and ex-ante or ongoing / interim evaluation",
    ),
    Criterion.SUPPORT: (
        "No instruments for cluster development",
        "Financial support for cluster development in the broader and / or sectoral policy",
        "Financial or technical support for cluster development in dedicated cluster policy",
        "Financial and technical support for cluster development in dedicated cluster policy",
    ),
}

#: Values the template uses where it records nothing.
UNAVAILABLE = frozenset({"data unavailable", "not available", "n/a", "none", "-", "no data"})

#: Row labels as the parser meets them (folded, punctuation dropped) -> the field they name.
LABEL_KEYS: dict[str, FieldKey] = {
    "policy objectives": FieldKey.OBJECTIVES,
    "objectives": FieldKey.OBJECTIVES,
    "policy focus": FieldKey.FOCUS,
    "focus": FieldKey.FOCUS,
    "responsible authorities": FieldKey.AUTHORITIES,
    "responsible authority": FieldKey.AUTHORITIES,
    "beneficiaries": FieldKey.BENEFICIARIES,
    "instruments": FieldKey.INSTRUMENTS,
    "history": FieldKey.HISTORY,
    "budget": FieldKey.BUDGET,
    "policy evaluation": FieldKey.EVALUATION,
    "evaluation": FieldKey.EVALUATION,
    "policy alignment with the eu priorities": FieldKey.ALIGNMENT,
    "policy alignment with eu priorities": FieldKey.ALIGNMENT,
    "alignment with the eu priorities": FieldKey.ALIGNMENT,
}

#: Sub-row labels as the parser meets them (folded, parentheses dropped) -> the profile's key.
SUBFIELD_KEYS: dict[str, str] = {
    "financial": "financial",
    "financial support": "financial",
    "technical assistance": "technical_assistance",
    "technical": "technical_assistance",
    "explanation": "explanation",
    "period": "period",
    "ending year": "ending_year",
    "end year": "ending_year",
    "starting year": "starting_year",
    "start year": "starting_year",
    "overall": "overall",
    "annual": "annual",
    "source of funding": "source",
    "source": "source",
    "availability": "availability",
    "results": "results",
}

#: Narrative sections by heading words: (key, pattern on the folded heading).
NARRATIVE_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scope", re.compile(r"\bpolicy scope\b|^scope\b")),
    ("continuity", re.compile(r"\bcontinuity\b")),
    ("performance", re.compile(r"\bevidence of performance\b|\bperformance\b")),
    ("support_instruments", re.compile(r"\bsupport instruments?\b")),
    ("cooperation", re.compile(r"\bcooperation\b|\bcollaboration\b")),
    ("ecosystems", re.compile(r"\becosystems?\b")),
    ("context", re.compile(r"\bintroduction\b|\beconomic (policy )?context\b")),
    ("overview", re.compile(r"\bnational cluster polic|\bprogrammes and initiatives\b")),
)


def fold(text: str) -> str:
    """The text as it is compared with the template's wording: one space, lower case, ' quotes."""
    return " ".join(text.replace("’", "'").split()).lower()
