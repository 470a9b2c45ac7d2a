"""Synthetic country factsheets on the ECCP template, with the ground truth of every field.

Only Morocco's factsheet is real in this project; tests, the evaluation and the benchmarks need
many near-identical factsheets to tell countries apart, so this module writes them about
fictional countries (names built from syllables, checked against the world list), marked as
synthetic in their text ("Synthetic factsheet: ...", which ``ingest.metadata`` detects):

- ``make_truth(seed)`` draws a ``FactsheetTruth``: policy type and name; every Table 1 field
  with categories from the template's standardised vocabulary (as in the Morocco factsheet and
  its Annex) and explanations in varied wording; years, budgets in EUR or "Data unavailable";
  the narratives, which state the applicable state-of-play option in varied ways; and that
  option per criterion. Some countries have a dedicated cluster policy, some a broad one, some
  a sectoral one.
- ``to_markdown(truth)`` writes it the way the converter wrote the Morocco factsheet: page
  banners in the body, ``<b>``, ``<br>`` and ``<p>`` in table cells, Table 1 split over several
  Markdown tables that each repeat the "Policy type / Policy name" rows (a long explanation
  split mid-sentence between two of them), Table 2 without its highlighting.
- ``to_pdf(truth, path)`` lays it out with fpdf2: A4, a running header and footer with page
  numbers, Table 1 breaking across pages with its leading rows repeated, bold categories,
  Table 2 with the applicable option highlighted.
- ``gold_questions(truth, doc_id)`` and ``comparison_questions(...)`` write evaluation questions
  with their ground truth (the JSONL schema of ``eval/data``).

``FactsheetTruth.from_profile(parse_profile(document))`` reads a profile back into a truth, so a
round trip is ``FactsheetTruth.from_profile(...) == truth``. Layout choices (font size, column
widths, where tables split) are drawn from the seed too, but are not part of the truth.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from policyqa.eval.synthetic.document import Runs
from policyqa.eval.synthetic.draw import country_name, make_truth, make_truths
from policyqa.eval.synthetic.markdown import to_markdown
from policyqa.eval.synthetic.pdf import to_pdf
from policyqa.eval.synthetic.truth import FactsheetTruth, FieldTruth, SubFieldTruth
from policyqa.eval.synthetic.vocabulary import (
    ALIGNMENT,
    AUTHORITY_ROLES,
    BENEFICIARIES,
    EDITION_YEARS,
    FINANCIAL,
    FOCUS,
    OBJECTIVES,
    SYNTHETIC_MARKER,
    TECHNICAL,
    UNAVAILABLE,
)
from policyqa.ingest.factsheet import SUBFIELD_LABELS, FieldKey

__all__ = [
    "ALIGNMENT",
    "AUTHORITY_ROLES",
    "BENEFICIARIES",
    "EDITION_YEARS",
    "FINANCIAL",
    "FOCUS",
    "OBJECTIVES",
    "PHRASINGS",
    "SYNTHETIC_MARKER",
    "TECHNICAL",
    "UNAVAILABLE",
    "UNSEEN_PHRASINGS",
    "FactsheetTruth",
    "FieldTruth",
    "Runs",
    "SubFieldTruth",
    "comparison_questions",
    "country_name",
    "gold_questions",
    "make_truth",
    "make_truths",
    "rephrased_questions",
    "to_markdown",
    "to_pdf",
    "write_corpus",
    "write_factsheets",
    "write_gold",
]


def write_factsheets(
    truths: Iterable[FactsheetTruth], folder: Path, formats: Sequence[str] = ("md", "pdf")
) -> list[Path]:
    """Write each truth in each format into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for truth in truths:
        if "md" in formats:
            path = folder / f"{truth.slug}.md"
            path.write_text(to_markdown(truth), "utf-8")
            paths.append(path)
        if "pdf" in formats:
            paths.append(to_pdf(truth, folder / f"{truth.slug}.pdf"))
    return paths


# --- evaluation questions -------------------------------------------------------------------------


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


def write_corpus(folder: Path, count: int) -> tuple[list[FactsheetTruth], list[Path]]:
    """``count`` synthetic factsheets (alternately Markdown and PDF) written into ``folder``, and
    the paths to index: Morocco's bundled Markdown first, then the synthetic files."""
    from policyqa.settings import bundled_corpus_dir

    folder.mkdir(parents=True, exist_ok=True)
    truths = make_truths(count)
    paths = [bundled_corpus_dir() / "eccp-factsheet-morocco-2023.md"]
    for index, truth in enumerate(truths):
        if index % 2 == 0:
            path = folder / f"{truth.slug}.md"
            path.write_text(to_markdown(truth), "utf-8")
        else:
            path = to_pdf(truth, folder / f"{truth.slug}.pdf")
        paths.append(path)
    return truths, paths


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
