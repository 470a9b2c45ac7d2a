"""Further phrasings of the gold questions, per aspect, for ``rephrased_questions``.

Templates with ``{c}`` (country), ``{a}`` (adjective) and ``{p}`` (policy name); the aspects
are the ``category`` values of ``gold_questions``.
"""

from __future__ import annotations

#: Further phrasings per aspect, in analysts' words rather than the template's, written without
#: looking at the question patterns of ``service.question`` (an honest test of them). Each
#: factsheet gets one per aspect, in turn. ``{c}`` country, ``{a}`` adjective, ``{p}`` policy.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "objectives": (
        "What is {c}'s cluster policy trying to accomplish?",
        "Which goals does the {p} pursue?",
        "What are the aims of {a} policy?",
        "What is the purpose of {c}'s policy?",
    ),
    "focus": (
        "Is {c}'s policy sectoral, regional or technological in focus?",
        "On what does the {p} focus?",
        "Which sectors does {c}'s policy target?",
    ),
    "authorities": (
        "Who runs the {p}?",
        "Which bodies are responsible for {c}'s policy?",
        "Who designed and implements {a} cluster policy?",
    ),
    "beneficiaries": (
        "Who can apply for support under the {p}?",
        "Which types of organisations benefit in {c}?",
        "Who is the target group of {c}'s policy?",
    ),
    "instruments": (
        "What tools does {c} use to support clusters?",
        "How does the {p} support firms?",
        "What kinds of support does {c} provide?",
        "What funding and technical assistance does {c} offer?",
    ),
    "history": (
        "In which year did {c}'s policy begin?",
        "What is the end date of {c}'s policy?",
        "Since when has the {p} been running?",
    ),
    "budget": (
        "How big is the budget of the {p}?",
        "How is {c}'s policy funded?",
        "How much does {c} invest in its policy?",
    ),
    "evaluation": (
        "Has the {p} been assessed?",
        "Is there an evaluation of {c}'s policy?",
        "What do we know about the results of {c}'s policy?",
    ),
    "alignment": (
        "How does {c}'s policy relate to EU priorities?",
        "Does {c}'s policy contribute to the green and digital transitions?",
        "With which European priorities is the {p} aligned?",
    ),
    "scope": (
        "Is there a national cluster policy in {c}?",
        "Does {c} run a cluster programme of its own?",
        "What type of policy is the {p}?",
    ),
    "continuity": (
        "How established is cluster policy in {c}?",
        "How long has {c} been supporting clusters?",
        "Does {c} have a tradition of cluster policy?",
    ),
    "performance": (
        "Is {c}'s cluster policy monitored?",
        "What is known about the performance of {c}'s policy?",
    ),
    "support_instruments": (
        "Does {c} offer financial or technical support for cluster development?",
        "What instruments support cluster development in {c}?",
    ),
    "cooperation": (
        "Is {c} part of any international cluster partnerships?",
        "Have {a} clusters joined European consortia?",
    ),
    "policy": (
        "What is {c}'s cluster policy called?",
        "Which policy does the factsheet of {c} describe?",
    ),
}


#: A third set, written after the question patterns had been fixed on ``PHRASINGS`` and measured
#: once without changing anything (the figure the README reports as "unseen phrasings").
UNSEEN_PHRASINGS: dict[str, tuple[str, ...]] = {
    "objectives": (
        "What is the {p} supposed to deliver?",
        "Why did {c} set up its policy?",
    ),
    "focus": (
        "What is the thematic or sectoral emphasis of {c}'s policy?",
        "Where does {a} cluster policy put its emphasis?",
    ),
    "authorities": (
        "Which institution oversees {c}'s cluster policy?",
        "Who is accountable for implementing the {p}?",
    ),
    "beneficiaries": (
        "Who is eligible under {c}'s policy?",
        "For whom is the {p} intended?",
    ),
    "instruments": (
        "Which support schemes are available in {c}?",
        "What forms of assistance does the {p} offer?",
    ),
    "history": (
        "How old is the {p}?",
        "When will {c}'s current policy expire?",
    ),
    "budget": (
        "What financial resources are allocated to the {p}?",
        "What does {c}'s cluster policy cost?",
    ),
    "evaluation": (
        "Has anyone reviewed whether the {p} works?",
        "Are there evaluation results for {c}?",
    ),
    "alignment": (
        "Does {c}'s policy support the EU's twin transition?",
        "Which European policy goals does the {p} serve?",
    ),
    "scope": (
        "Is cluster policy in {c} a policy of its own or part of a broader policy?",
        "Does {c} have a specific policy for clusters?",
    ),
    "continuity": (
        "Has {c} supported clusters for a long time?",
        "Is {a} cluster policy new or long-standing?",
    ),
    "performance": (
        "How well is {c}'s cluster policy performing?",
        "Is there proof that {c}'s policy works?",
    ),
    "support_instruments": (
        "What instruments does {c} provide for cluster development?",
        "Are there support instruments for clusters in {c}?",
    ),
    "cooperation": (
        "Do {a} clusters work with foreign partners?",
        "Are clusters in {c} involved in cross-border projects?",
    ),
    "policy": (
        "What is the title of {c}'s policy?",
        "Which programme is described for {c}?",
    ),
}
