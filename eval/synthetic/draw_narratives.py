"""The narratives of a synthetic factsheet (context, overview and the four state-of-play
criteria, cooperation), drawn to state the ``Drawer``'s decisions in varied ways.

Each function draws from ``draw.rng``; ``draw.make_truth`` calls them in a fixed order, after
the fields.
"""

from __future__ import annotations

from policyqa.eval.synthetic.drawer import Drawer
from policyqa.eval.synthetic.vocabulary import NUMBER_WORDS


def context(draw: Drawer) -> tuple[str, ...]:
    """Chapter 1: the economic context and the factsheet's structure (a numbered list)."""
    c, a, rng = draw.country, draw.adjective, draw.rng
    return (
        f"This document presents an overview of the cluster policy in {c}, a fictional "
        "country, together with a short outline of its economy.",
        draw.sentences(
            (
                f"The {a} economy grew by {rng.randint(1, 5)}.{rng.randint(0, 9)} percent in "
                f"{draw.year - 1}, driven by the {draw.sector} sector.",
                f"Manufacturing accounts for {rng.randint(12, 30)} percent of the gross value "
                f"added of {c}.",
            ),
            (
                f"After the energy price shock of {draw.year - 2}, the {a} government "
                "adopted a recovery programme for industry.",
                "High inflation and a shortage of skilled workers weigh on investment.",
            ),
        ),
        "The structure of this factsheet encompasses:",
        "1) an overview of the national cluster policy,",
        "2) an assessment of the state of play of the national cluster policy.",
    )


def overview(draw: Drawer) -> tuple[str, ...]:
    """Chapter 2's opening: what kind of policy supports clusters, before Table 1."""
    c, p = draw.country, draw.policy_name
    first = {
        3: draw.rng.choice(
            (
                f"In this section we provide an overview of the {p}, the dedicated cluster "
                f"policy of {c}.",
                f"{c} supports clusters through a dedicated cluster policy, the {p}.",
            )
        ),
        2: draw.rng.choice(
            (
                f"While no cluster specific initiative or strategy exists on the national "
                f"level, the {p} supports industrial actors in {c}.",
                f"{c} has no dedicated cluster policy; the {p}, a sectoral policy, "
                "supports firms of the "
                f"{draw.sector} sector.",
            )
        ),
        1: draw.rng.choice(
            (
                f"{c} has no dedicated cluster policy; clusters are supported through the "
                f"{p}, a broader innovation policy.",
                f"No cluster specific strategy exists in {c}; the {p} is a broad policy "
                "that also benefits clusters.",
            )
        ),
    }[draw.scope]
    return (
        first,
        "Within the table, the text in bold shows the standardised categories used across "
        "the country factsheets, followed by a descriptive text.",
    )


def scope(draw: Drawer) -> tuple[str, ...]:
    """Policy scope: how far the policy targets clusters (dedicated, sectoral, broad)."""
    p, c, s = draw.policy_name, draw.country, draw.sector
    text = {
        3: (
            f"The {p} is a national cluster policy: it funds cluster organisations and "
            "their joint projects across the whole country.",
            f"Cluster development is the explicit aim of the {p}, which targets clusters "
            f"in all regions of {c}.",
        ),
        2: (
            f"The {p} does not explicitly mention clusters; it concentrates on the {s} "
            "sector and its value chains.",
            f"The {p} is a sectoral policy: clusters of the {s} sector benefit from it "
            "without being targeted as such.",
        ),
        1: (
            f"The {p} is a broad policy in which cluster development is one objective among many.",
            f"Clusters are addressed only indirectly by the {p}, which covers innovation "
            "in all sectors.",
        ),
    }[draw.scope]
    return (draw.rng.choice(text),)


def continuity(draw: Drawer, level: int) -> tuple[str, ...]:
    """Continuity: since when cluster policy exists, agreeing with Table 1's years."""
    c, p, first, rng = draw.country, draw.policy_name, draw.first, draw.rng
    years = draw.year - first
    options = {
        0: (
            f"While no dedicated cluster policy exists in {c}, the {p} shows a certain "
            "continuity with earlier industrial programmes.",
            f"There is no cluster-specific policy in {c}; earlier programmes also addressed "
            "firms in general.",
            f"{c} has not adopted a dedicated cluster policy so far.",
        ),
        1: (
            f"Cluster policy in {c} was established recently: the {p} was launched in {first}.",
            f"{c} introduced its first cluster policy only recently, in {first}.",
            f"The {p} is new; it continues no earlier cluster programme.",
        ),
        2: (
            f"Cluster policy has been in place in {c} since {first}.",
            f"For {NUMBER_WORDS.get(years, str(years))} years, {c} has supported clusters "
            "through successive calls.",
            f"The first {draw.adjective} cluster programme dates back to {first}.",
            f"The {p} continues the support that {c} gives to its clusters.",
        ),
        3: (
            f"{c} has a long tradition of cluster policy: the first programme dates back "
            f"to {first}.",
            f"Cluster policy in {c} was established more than ten years ago, in {first}.",
            f"The {p} is the latest of several cluster programmes implemented since {first}.",
            f"The {p} continues the support that {c} gives to its clusters.",
        ),
    }[level]
    chosen = rng.choice(options)
    if "continues the support" in chosen and draw.start != draw.first:
        chosen = options[0]  # the Table 1 start year alone would tell another story
    return (chosen,)


def performance(draw: Drawer, level: int) -> tuple[str, ...]:
    """Evidence of performance: evaluation and monitoring, as Table 1's field states."""
    p, rng = draw.policy_name, draw.rng
    options: tuple[str, ...] = {
        0: (
            f"No evaluation or monitoring of the {p} is available.",
            "There is neither an evaluation nor a monitoring system in place.",
        ),
        1: (
            "Evidence of performance comes from an ex-post evaluation of the previous programme.",
            "Only the previous programme was evaluated, after its completion.",
        ),
        2: (
            f"The {p} is monitored, but no evaluation report has been published.",
            f"Evidence of performance rests on the monitoring of the {p}.",
        ),
        3: (
            f"The {p} combines a monitoring system with an interim evaluation.",
            "Existence of monitoring and ex-ante or ongoing / interim evaluation: both are "
            "in place.",
        ),
    }[level]
    if level == 2 and draw.interim_only:
        # no word of monitoring: monitoring and an interim evaluation would be the next level
        options = (f"An interim evaluation of the {p} is under way.",)
    return (rng.choice(options),)


def support_instruments(draw: Drawer, level: int) -> tuple[str, ...]:
    """Cluster support instruments: which kinds of support the policy gives."""
    c, p = draw.country, draw.policy_name
    options = {
        0: (
            f"No instruments for cluster development exist in {c}.",
            f"The {p} offers no support instruments for clusters.",
        ),
        1: (
            f"No dedicated cluster support instruments are available in {c}; the {p} "
            "funds collaboration projects of firms.",
            f"No specific cluster support instruments exist, but the {p} provides funding "
            "that clusters can use.",
        ),
        2: (
            f"The {p} provides one kind of support for cluster development.",
            f"Cluster organisations in {c} receive support from the {p}.",
        ),
        3: (
            f"The {p} combines funding for cluster organisations with technical support "
            "such as coaching and training for cluster managers.",
            f"Clusters in {c} receive both grants and technical assistance from the {p}.",
        ),
    }[level]
    return (draw.rng.choice(options),)


def cooperation(draw: Drawer) -> tuple[str, ...]:
    """Cross-regional / international cooperation: INNOSUP-1 or ESCP consortia."""
    a, c, rng = draw.adjective, draw.country, draw.rng
    count = rng.randint(0, 4)
    if count == 0:
        return (
            f"No {a} clusters were part of any INNOSUP-1 or ESCP consortium. {c} takes part "
            "in regional partnerships with its neighbours.",
        )
    return (
        f"{a} clusters took part in {count} INNOSUP-1 or ESCP consortia, and {c} "
        "cooperates with neighbouring countries on cluster internationalisation.",
    )
