"""Which parts of the factsheet template a profile answers, and where retrieval finds them.

An aspect (``Question.aspect``) names a Table 1 field ("objectives", "instruments", ...), a
state-of-play criterion ("scope", "continuity", ...) or a narrative ("cooperation", ...).
"""

from __future__ import annotations

from policyqa.ingest.factsheet import FIELD_LABELS, Criterion, FieldKey

#: Aspects answered from a Table 1 field.
FIELD_ASPECTS: dict[str, FieldKey] = {key.value: key for key in FieldKey}
#: Aspects answered from a state-of-play decision.
CRITERION_ASPECTS: dict[str, Criterion] = {criterion.value: criterion for criterion in Criterion}
#: Every aspect a profile can answer.
PROFILE_ASPECTS = frozenset({*FIELD_ASPECTS, *CRITERION_ASPECTS, "cooperation", "policy"})

#: What retrieval prefers for an aspect: a substring of the section path of its passages.
ASPECT_SECTIONS: dict[str, str] = {
    **{key.value: f"Table 1 > {label}" for key, label in FIELD_LABELS.items()},
    "scope": "Policy scope",
    "continuity": "Continuity",
    "performance": "Evidence of performance",
    "support_instruments": "Cluster support instruments",
    "cooperation": "cooperation",
    "references": "References",
    "context": "Introduction and economic policy context",
}

#: How an answer names each state-of-play criterion.
CRITERION_NAMES = {
    Criterion.SCOPE: "policy scope",
    Criterion.CONTINUITY: "continuity of cluster policy",
    Criterion.PERFORMANCE: "evidence of performance",
    Criterion.SUPPORT: "cluster support instruments",
}
