"""Evaluation questions about synthetic factsheets, with their ground truth.

``gold_questions`` asks about every aspect of one factsheet, ``comparison_questions`` across
countries, ``rephrased_questions`` the same aspects in other words (``phrasings``);
``write_gold`` writes them all as a JSONL dataset in the schema of ``eval/data``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from policyqa.eval.synthetic.phrasings import PHRASINGS
from policyqa.eval.synthetic.truth import FactsheetTruth, SubFieldTruth
from policyqa.eval.synthetic.vocabulary import ALIGNMENT
from policyqa.ingest.factsheet import SUBFIELD_LABELS, FieldKey


def _question(
    truth: FactsheetTruth,
    doc_id: str,
    category: str,
    style: str,
    question: str,
    quotes: Iterable[str],
    key_facts: Iterable[str],
    number: int,
) -> dict[str, Any]:
    """One question in the JSONL schema; repeated quotes and facts kept once."""
    return {
        "id": f"{truth.slug}-{category}-{style}-{number}",
        "question": question,
        "answerable": True,
        "category": category,
        "style": style,
        "country": truth.country,
        "evidence": [{"doc_id": doc_id, "quote": quote} for quote in dict.fromkeys(quotes)],
        "key_facts": list(dict.fromkeys(key_facts)),
    }


def _sub_quote(truth: FactsheetTruth, key: FieldKey, sub: str) -> tuple[str, str]:
    """(quote as rendered, value) of a sub-row: ("Starting year: 2021", "2021")."""
    row = truth.field(key).sub(sub)
    assert row is not None
    value = (row.categories or row.values)[0]
    label = SUBFIELD_LABELS[sub]
    if sub == "ending_year":
        label += " (for policies with limited period)"
    return f"{label}: {value}", value


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def gold_questions(truth: FactsheetTruth, doc_id: str) -> list[dict[str, Any]]:
    """Evaluation questions about one synthetic factsheet, with their ground truth.

    The JSONL schema of ``eval/data``: ``id``, ``question``, ``answerable``, ``category`` (the
    aspect), ``style`` (direct, paraphrase, yesno, number), ``country``, ``evidence`` (exact
    quotes of the document's canonical text) and ``key_facts`` (strings a correct answer
    contains, compared case-insensitively).
    """
    c, a, p = truth.country, truth.adjective, truth.policy_name
    out: list[dict[str, Any]] = []

    def add(
        category: str, style: str, question: str, quotes: Iterable[str], facts: Iterable[str]
    ) -> None:
        out.append(_question(truth, doc_id, category, style, question, quotes, facts, len(out)))

    def categories(key: FieldKey) -> tuple[str, ...]:
        return truth.field(key).categories

    objectives = categories(FieldKey.OBJECTIVES)
    add("objectives", "direct", f"What are the policy objectives of {c}?", objectives, objectives)
    add("objectives", "paraphrase", f"What does {a} cluster policy aim at?", objectives, objectives)
    focus = categories(FieldKey.FOCUS)
    add("focus", "direct", f"What is the policy focus of {c}?", focus, focus)
    add("focus", "paraphrase", f"What does the {p} concentrate on?", focus, focus)
    roles = categories(FieldKey.AUTHORITIES)
    explanation = truth.field(FieldKey.AUTHORITIES).explanation[0]
    add(
        "authorities",
        "direct",
        f"Who are the responsible authorities of {c}'s policy?",
        [*roles, _first_sentence(explanation)],
        roles,
    )
    add(
        "authorities",
        "paraphrase",
        f"Which ministry or agency is in charge of the policy in {c}?",
        [*roles, _first_sentence(explanation)],
        roles,
    )
    beneficiaries = categories(FieldKey.BENEFICIARIES)
    add(
        "beneficiaries",
        "direct",
        f"Who are the beneficiaries in {c}?",
        beneficiaries,
        beneficiaries,
    )
    add(
        "beneficiaries",
        "paraphrase",
        f"Who gets support from the {p}?",
        beneficiaries,
        beneficiaries,
    )
    instruments = truth.field(FieldKey.INSTRUMENTS)
    tools = [
        item
        for key in ("financial", "technical_assistance")
        for item in (instruments.sub(key) or SubFieldTruth(key)).categories
    ] or ["None"]
    add("instruments", "direct", f"Which instruments does {c} use?", tools, tools)
    add("instruments", "paraphrase", f"What support measures does {c} offer?", tools, tools)
    start_quote, start = _sub_quote(truth, FieldKey.HISTORY, "starting_year")
    end_quote, end = _sub_quote(truth, FieldKey.HISTORY, "ending_year")
    add("history", "number", f"When did the {p} of {c} start?", [start_quote], [start])
    add("history", "number", f"Until when does {c}'s policy run?", [end_quote], [end])
    overall_quote, overall = _sub_quote(truth, FieldKey.BUDGET, "overall")
    add(
        "budget",
        "number",
        f"What is the overall budget of {c}'s policy?",
        [overall_quote],
        [overall],
    )
    add("budget", "paraphrase", f"How much money does {c} spend on it?", [overall_quote], [overall])
    availability_quote, availability = _sub_quote(truth, FieldKey.EVALUATION, "availability")
    add(
        "evaluation",
        "yesno",
        f"Has {c}'s policy been evaluated?",
        [availability_quote],
        [availability],
    )
    alignment = categories(FieldKey.ALIGNMENT)
    add(
        "alignment",
        "direct",
        f"Which EU priorities is {c}'s policy aligned with?",
        alignment,
        alignment,
    )
    scope_answer = "Yes" if truth.dedicated else "No"
    add(
        "scope",
        "yesno",
        f"Does {c} have a dedicated cluster policy?",
        [f"Policy type: {truth.policy_type}"],
        [scope_answer, truth.policy_type],
    )
    add(
        "scope",
        "direct",
        f"What kind of policy does {c} have?",
        [f"Policy type: {truth.policy_type}"],
        [truth.policy_type],
    )
    continuity = truth.narrative("continuity")
    add(
        "continuity",
        "paraphrase",
        f"How long has cluster policy existed in {c}?",
        [start_quote, *continuity],
        [start],
    )
    add(
        "continuity",
        "yesno",
        f"Is there continuity in {a} cluster policy?",
        [start_quote, *continuity],
        [start],
    )
    performance = truth.narrative("performance")
    add(
        "performance",
        "direct",
        f"What evidence of performance is there for {c}?",
        [availability_quote, *performance],
        [availability],
    )
    add(
        "support_instruments",
        "direct",
        f"What cluster support instruments exist in {c}?",
        tools,
        tools[:1],
    )
    cooperation = truth.narrative("cooperation")
    add(
        "cooperation",
        "direct",
        f"Do {a} clusters take part in international cooperation?",
        cooperation,
        ["INNOSUP-1"],
    )
    add("policy", "direct", f"What is the name of {c}'s policy?", [f"Policy name: {p}"], [p])
    return out


def comparison_questions(
    truths: Sequence[FactsheetTruth], doc_ids: dict[str, str]
) -> list[dict[str, Any]]:
    """Questions across countries (style "comparison"), with every country's evidence.

    ``doc_ids`` maps each truth's country to the doc_id it is indexed under.
    """
    out: list[dict[str, Any]] = []

    def add(
        category: str, question: str, evidence: list[tuple[str, str]], facts: list[str]
    ) -> None:
        out.append(
            {
                "id": f"comparison-{category}-{len(out)}",
                "question": question,
                "answerable": True,
                "category": category,
                "style": "comparison",
                "country": None,
                "evidence": [{"doc_id": doc_ids[c], "quote": q} for c, q in evidence],
                "key_facts": facts,
            }
        )

    dedicated = [t for t in truths if t.dedicated]
    add(
        "scope",
        "Which countries have a dedicated cluster policy?",
        [(t.country, f"Policy type: {t.policy_type}") for t in dedicated],
        [t.country for t in dedicated],
    )
    for priority in ALIGNMENT:
        aligned = [t for t in truths if priority in t.field(FieldKey.ALIGNMENT).categories]
        add(
            "alignment",
            f"Which policies are aligned with {priority.lower()}?",
            [(t.country, priority) for t in aligned],
            [t.country for t in aligned],
        )
    for first, second in itertools.pairwise(truths[:6]):
        tools = []
        for truth in (first, second):
            instruments = truth.field(FieldKey.INSTRUMENTS)
            found = [
                item
                for key in ("financial", "technical_assistance")
                for item in (instruments.sub(key) or SubFieldTruth(key)).categories
            ]
            tools.append((truth.country, found[0] if found else "None"))
        add(
            "instruments",
            f"Compare the instruments of {first.country} and {second.country}",
            tools,
            [first.country, second.country],
        )
    return out


def rephrased_questions(
    truth: FactsheetTruth,
    doc_id: str,
    turn: int,
    phrasings: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """One further phrasing per aspect (``phrasings``, by default ``PHRASINGS``, the
    ``turn``-th in rotation), with the evidence and key facts of the aspect's first gold
    question."""
    phrasings = PHRASINGS if phrasings is None else phrasings
    gold = gold_questions(truth, doc_id)
    first: dict[str, dict[str, Any]] = {}
    for question in gold:
        first.setdefault(question["category"], question)
    out = []
    for category, options in phrasings.items():
        base = first[category]
        template = options[turn % len(options)]
        text = template.format(c=truth.country, a=truth.adjective, p=truth.policy_name)
        yes_no = re.match(r"(Is|Does|Has|Have|Do)\b", text) is not None
        style = "yesno" if yes_no else "paraphrase"
        key_facts = list(base["key_facts"])
        if category == "scope":  # a yes/no question is answered Yes or No, others are not
            key_facts = [truth.policy_type]
            if yes_no:
                key_facts.insert(0, "Yes" if truth.dedicated else "No")
        out.append(
            {
                **base,
                "id": f"{truth.slug}-{category}-rephrased-{turn % len(options)}",
                "question": text,
                "style": style,
                "key_facts": key_facts,
            }
        )
    return out


def write_gold(truths: Sequence[FactsheetTruth], paths: Sequence[Path], out: Path) -> Path:
    """The gold questions of the synthetic factsheets at ``paths`` (every aspect of every
    country, and comparisons across them) as a JSONL dataset at ``out``."""
    from policyqa.eval.dataset import contains
    from policyqa.ingest import make_doc_id

    by_slug = {path.stem: path for path in paths}
    doc_ids = {truth.country: make_doc_id(by_slug[truth.slug]) for truth in truths}
    questions = [q for truth in truths for q in gold_questions(truth, doc_ids[truth.country])]
    questions += comparison_questions(truths, doc_ids)
    for question in questions:
        # The evaluation only takes facts an extractive answer can quote; the "Yes"/"No" that
        # opens a scope answer is the service's own word (the field-accuracy measure checks it).
        quotes = [evidence["quote"] for evidence in question["evidence"]]
        question["key_facts"] = [
            fact for fact in question["key_facts"] if any(contains(q, fact) for q in quotes)
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(question, ensure_ascii=False) + "\n")
    return out
