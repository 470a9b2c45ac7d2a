"""The nine Table 1 fields of a synthetic factsheet, drawn to agree with the ``Drawer``'s
decisions: bold categories from the template's vocabulary, explanations in varied wording.

Each function draws from ``draw.rng``; ``draw.make_truth`` calls them in a fixed order.
"""

from __future__ import annotations

from policyqa.eval.synthetic.drawer import Drawer
from policyqa.eval.synthetic.truth import FieldTruth, SubFieldTruth
from policyqa.eval.synthetic.vocabulary import (
    ALIGNMENT,
    AUTHORITY_ROLES,
    BENEFICIARIES,
    FINANCIAL,
    FOCUS,
    OBJECTIVES,
    TECHNICAL,
    UNAVAILABLE,
)
from policyqa.ingest.factsheet import FieldKey


def objectives(draw: Drawer) -> FieldTruth:
    """Policy objectives: two to six categories and an explanation of the goals."""
    p, c, a = draw.policy_name, draw.country, draw.adjective
    text = draw.sentences(
        (
            f"The {p} aims at strengthening the {draw.sector} sector and its value chains.",
            f"The main goal of the {p} is to make {a} firms more competitive and innovative.",
            f"With the {p}, {c} seeks to raise productivity in the {draw.sector} sector.",
        ),
        (
            "A special focus is on the cooperation of small firms with research organisations.",
            f"By {draw.end or draw.year + 3} the programme expects more firms to export and "
            "to innovate.",
            "It puts small and medium-sized enterprises at the heart of the technological "
            "transformation of the economy.",
        ),
        (
            "Particular attention is paid to the integration of the regions into these efforts.",
            "The policy also supports the creation of new firms in emerging sectors.",
        ),
    )
    return FieldTruth(FieldKey.OBJECTIVES, draw.pick(OBJECTIVES, 2, 6), (text,))


def focus(draw: Drawer) -> FieldTruth:
    """Policy focus: one category and a sentence that fits it."""
    chosen = draw.rng.choice(FOCUS)
    text = {
        "Sectoral focus": f"The policy concentrates on the {draw.sector} sector.",
        "Cross-sectoral focus": "The policy is open to firms of all sectors and encourages "
        "cooperation across sectors.",
        "Regional focus": f"The policy targets the less developed regions of {draw.country}.",
        "Technological focus": "The policy concentrates on key enabling technologies such as "
        "advanced manufacturing and digital technologies.",
    }[chosen]
    return FieldTruth(FieldKey.FOCUS, (chosen,), (text,))


def authorities(draw: Drawer) -> FieldTruth:
    """Responsible authorities: their roles, and the ministry and agency that hold them."""
    roles = draw.pick(AUTHORITY_ROLES, 2, 3)
    text = draw.sentences(
        (
            f"The {draw.policy_name} was drafted by the {draw.ministry} and is implemented "
            f"by the {draw.agency}.",
            f"The {draw.ministry} designed the policy; the {draw.agency} runs its calls.",
        ),
        (
            "An inter-ministerial committee oversees the implementation.",
            f"A steering board chaired by the {draw.ministry} oversees the implementation.",
        ),
    )
    return FieldTruth(FieldKey.AUTHORITIES, roles, (text,))


def beneficiaries(draw: Drawer) -> FieldTruth:
    """Beneficiaries: two to seven categories, the first two named in the explanation."""
    chosen = draw.pick(BENEFICIARIES, 2, 7)
    text = draw.rng.choice(
        (
            f"{chosen[0]} and {chosen[1].lower()} are the main beneficiaries of the programme.",
            f"The calls are open to {chosen[0]} and {chosen[1].lower()} that cooperate in "
            f"{draw.adjective} clusters.",
        )
    )
    return FieldTruth(FieldKey.BENEFICIARIES, chosen, (text,))


def instruments(draw: Drawer, support: int, limited: bool) -> FieldTruth:
    """Policy instruments: financial and technical categories as the ``support`` level allows,
    an explanation and the period."""
    rng = draw.rng
    financial: tuple[str, ...] = draw.pick(FINANCIAL, 1, 4)
    technical: tuple[str, ...] = draw.pick(TECHNICAL, 1, 4)
    if support == 0:
        financial, technical = (), ()
    elif support == 2 and draw.scope == 3:
        if rng.random() < 0.5:
            technical = ()
        else:
            financial = ()
    elif support == 1 and rng.random() < 0.4:
        technical = ()
    if support == 0:
        text = f"The {draw.policy_name} provides no specific support instruments for clusters."
    else:
        text = draw.sentences(
            (
                f"The {draw.agency} manages the calls of the {draw.policy_name}.",
                "Support is granted through annual calls for proposals.",
            ),
            (
                f"In {draw.start + 1}, the first projects were selected.",
                "Projects are selected by an independent jury.",
            ),
        )
    period = "Limited period" if limited else "Unlimited period"
    subfields = (
        _sub("financial", financial),
        _sub("technical_assistance", technical),
        SubFieldTruth("explanation", (), (text,)),
        SubFieldTruth("period", (period,), ()),
    )
    return FieldTruth(FieldKey.INSTRUMENTS, subfields=subfields)


def history(draw: Drawer, continuity: int) -> FieldTruth:
    """History: the starting and ending years, and whether a programme came before."""
    p = draw.policy_name
    if draw.first < draw.start:
        text = draw.rng.choice(
            (
                f"The {p} is the successor of the {draw.adjective} Cluster Initiative, which "
                f"ran from {draw.first} to {draw.start - 1}.",
                f"The {p} builds on earlier cluster programmes implemented since {draw.first}.",
            )
        )
    else:
        text = draw.rng.choice(
            (
                f"The {p} was adopted in {draw.start} and is the first programme of its kind.",
                f"The {p} started in {draw.start}; no earlier programme is recorded.",
            )
        )
    end = str(draw.end) if draw.end else "Not applicable"
    subfields = (
        SubFieldTruth("ending_year", (), (end,)),
        SubFieldTruth("starting_year", (), (str(draw.start),)),
        SubFieldTruth("explanation", (), (text,)),
    )
    return FieldTruth(FieldKey.HISTORY, subfields=subfields)


def budget(draw: Drawer) -> FieldTruth:
    """Budget: overall, annual and source, in EUR or "Data unavailable"."""
    rng = draw.rng
    if rng.random() < 0.3:
        overall = annual = source = UNAVAILABLE
    else:
        total = rng.choice((8, 12, 25, 40, 60, 90, 150, 240))
        years = (draw.end - draw.start + 1) if draw.end else 5
        overall = f"EUR {total} million"
        annual = rng.choice((f"EUR {round(total / years, 1):g} million", UNAVAILABLE))
        source = rng.choice(
            (
                "National budget",
                "National budget and European Regional Development Fund (ERDF)",
                "Regional budgets",
                UNAVAILABLE,
            )
        )
    subfields = (
        SubFieldTruth("overall", (), (overall,)),
        SubFieldTruth("annual", (), (annual,)),
        SubFieldTruth("source", (), (source,)),
    )
    return FieldTruth(FieldKey.BUDGET, subfields=subfields)


def evaluation(draw: Drawer, performance: int) -> FieldTruth:
    """Evaluation: availability and results that state the evidence-of-performance level."""
    p, rng = draw.policy_name, draw.rng
    monitor_year = draw.start + 1
    if performance == 0:
        availability: tuple[tuple[str, ...], tuple[str, ...]] = ((), (UNAVAILABLE,))
        text = rng.choice(
            (
                f"No evaluation of the {p} has been carried out so far.",
                f"The {p} does not foresee any evaluation.",
            )
        )
    elif performance == 1:
        availability = (("ex-post",), ())
        text = rng.choice(
            (
                f"An ex-post evaluation of the previous programme was published in "
                f"{monitor_year}; it found a positive effect on cooperation.",
                "The predecessor programme was evaluated after its end; the evaluation "
                "recommended a stronger focus on internationalisation.",
            )
        )
    elif performance == 2:
        # kept on the drawer: the performance narrative must not mention monitoring then
        draw.interim_only = rng.random() >= 0.5
        if not draw.interim_only:
            availability = ((), (UNAVAILABLE,))
            text = (
                f"The {p} does not mention any form of evaluation. However, the "
                f"{draw.agency} is monitoring its implementation through annual reports."
            )
        else:
            availability = (("in-itinere",), ())
            text = f"An interim evaluation of the {p} is ongoing."
    else:
        availability = (rng.choice((("ex-ante",), ("in-itinere",))), ())
        text = (
            f"A monitoring system follows the projects of the {p}, and an interim "
            f"evaluation was carried out in {monitor_year}."
        )
    subfields = (
        SubFieldTruth("availability", *availability),
        SubFieldTruth("results", (), (text,)),
    )
    return FieldTruth(FieldKey.EVALUATION, subfields=subfields)


def alignment(draw: Drawer) -> FieldTruth:
    """Alignment with EU priorities: one to three categories."""
    return FieldTruth(FieldKey.ALIGNMENT, draw.pick(ALIGNMENT, 1, 3))


def _sub(key: str, categories: tuple[str, ...]) -> SubFieldTruth:
    """A sub-row of categories, or "None" when there are none."""
    return SubFieldTruth(key, categories, () if categories else ("None",))
