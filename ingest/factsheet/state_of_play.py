"""The state of play: one option per criterion, classified from what the document asserts.

The four criteria (policy scope, continuity, evidence of performance, cluster support
instruments) are decided from Table 1 (policy type, HISTORY, POLICY EVALUATION, INSTRUMENTS) and
the narrative under Table 2, by explicit cue phrases, each decision keeping the evidence spans it
relied on and a one-line reason. Table 2 itself is never read: the converted Markdown lost its
highlighting and lists all four options, and the Annex (Table 3) only defines them.

Each criterion is decided by explicit rules over the document's own statements, in this order:
an option named word for word in the criterion's narrative; cue phrases in the narrative; the
Table 1 values the template defines for it. Every rule records the spans it used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from policyqa.ingest.factsheet.profile import (
    FactsheetProfile,
    StateOfPlay,
    TextSpan,
    paragraph_sentences,
)
from policyqa.ingest.factsheet.template import STATE_OF_PLAY_OPTIONS, Criterion, FieldKey, fold

_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}

# "no dedicated cluster policy", "no cluster specific initiative or strategy", "does not have a
# cluster policy", "non-existence of a national cluster policy", "absence of a cluster policy"
_NO_CLUSTER_POLICY = re.compile(
    r"\b(?:no|not|non-existence of|absence of|lacks?|without|neither)\b[^.;]{0,30}?"
    r"\b(?:cluster[- ]specific|dedicated|targeted|national cluster|cluster)\b[^.;]{0,30}?"
    r"\b(?:polic(?:y|ies)|initiatives?|strateg(?:y|ies)|programmes?)\b"
)
_DEDICATED = re.compile(
    r"\b(?:dedicated|targeted|specific|national|regional)\s+cluster\s+"
    r"(?:polic(?:y|ies)|programmes?|strateg(?:y|ies))\b"
)
_SECTORAL = re.compile(r"\bsectoral\b|\bsector[- ]specific\b|\bindustrial polic")
_BROAD = re.compile(r"\bbroad(?:er)?\b|\bhorizontal\b|\bgeneral innovation polic")

_OVER_TEN = re.compile(
    r"\b(?:more than|over|for over|well over)\s+(?:ten|10|a decade|fifteen|twenty|1\d|2\d)\b"
    r"|\blong[- ](?:standing|tradition|history|established)\b|\blongstanding\b"
    r"|\bdecades?\b|\bover 10 years\b"
)
_RECENT = re.compile(
    r"\brecent(?:ly)?\b|\bnewly\b|\bwithin the (?:last|past) (?:two|2) years\b"
    r"|\b(?:only|just) (?:been )?(?:launched|introduced|adopted|started)\b|\bnew cluster polic"
)
_BETWEEN = re.compile(
    r"\bbetween (?:over )?(?:2|two) and (?:10|ten) years\b"
    r"|\bfor (?:several|a few|some|three|four|five|six|seven|eight|nine|[3-9]) years\b"
    r"|\b(?:less|fewer) than (?:ten|10|a decade) years\b|\bless than a decade\b"
)
_SINCE_YEAR = re.compile(
    r"\b(?:since|from|dates back to|date back to|goes back to|go back to|began in|started in|"
    r"launched in|introduced in|established in|adopted in|set up in|created in|first\b[^.;]{0,60}"
    r"\bin)\s+((?:19|20)\d\d)\b"
)
_ANY_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_NEGATED_EVALUATION = re.compile(
    r"\b(?:no|not|none|neither|nor|without|lack(?:s|ing)?|absence of|never)\b[^.;]{0,60}?\bevaluat"
    r"|\bevaluat\w*\b[^.;]{0,30}\b(?:not|never)\b[^.;]{0,20}\b(?:available|carried out|done|"
    r"conducted|performed|published)"
)
_NEGATED_MONITORING = re.compile(
    r"\b(?:no|not|none|neither|nor|without|lack(?:s|ing)?|absence of|never)\b[^.;]{0,60}?\bmonitor"
)
_MONITORING = re.compile(r"\bmonitor(?:s|ed|ing)?\b|\bmonitoring system\b")
_EX_ANTE = re.compile(r"\bex[- ]ante\b")
_INTERIM = re.compile(
    r"\binterim\b|\bmid[- ]term\b|\bongoing evaluation\b|\bon-going evaluation\b|\bin[- ]itinere\b"
    r"|\bintermediate evaluation\b"
)
_PAST_EVALUATION = re.compile(
    r"\bex[- ]post\b|\bevaluations? of (?:the )?(?:past|previous|former|earlier)\b"
    r"|\b(?:was|were|has been|have been|had been)\s+(?:\w+\s+)?evaluated\b|\bfinal evaluation\b"
)
_NO_INSTRUMENTS = re.compile(
    r"\bno\b[^.;]{0,30}\b(?:support )?instruments?\b|\bno (?:financial|technical) support\b"
)
_FINANCIAL = re.compile(
    r"\bfinanc\w*|\bfund(?:s|ing|ed)?\b|\bgrants?\b|\bvouchers?\b|\bsubsid\w*|\bco-financ\w*"
)
_TECHNICAL = re.compile(
    r"\btechnical (?:support|assistance)\b|\bcoaching\b|\btraining\b|\badvisory\b|\badvice\b"
    r"|\bmentoring\b|\bcapacity building\b|\bnetworking support\b"
)


def _option_named(
    criterion: Criterion, sentences: Sequence[TextSpan]
) -> tuple[int, TextSpan] | None:
    """An option of the criterion named word for word in one of the sentences."""
    options = STATE_OF_PLAY_OPTIONS[criterion]
    for sentence in sentences:
        folded = _squash(sentence.text)
        for level in range(3, -1, -1):
            if _squash(options[level]) in folded:
                return level, sentence
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s*/\s*", "/", fold(text))


def _narrative_sentences(profile: FactsheetProfile, text: str, *keys: str) -> list[TextSpan]:
    sentences: list[TextSpan] = []
    for key in keys:
        narrative = profile.narrative(key)
        if narrative is not None:
            sentences.extend(narrative.sentences(text))
    return sentences


def _ordered(spans: Iterable[TextSpan]) -> tuple[TextSpan, ...]:
    unique = {(span.start, span.end): span for span in spans}
    return tuple(unique[key] for key in sorted(unique))


def _state(
    criterion: Criterion, level: int, evidence: Iterable[TextSpan], reason: str
) -> StateOfPlay:
    return StateOfPlay(
        criterion, level, STATE_OF_PLAY_OPTIONS[criterion][level], _ordered(evidence), reason
    )


def classify_state_of_play(profile: FactsheetProfile, text: str) -> list[StateOfPlay]:
    """The four state-of-play decisions for a profile whose fields and narratives are read."""
    scope = _classify_scope(profile, text)
    return [
        scope,
        _classify_continuity(profile, text, scope),
        _classify_performance(profile, text),
        _classify_support(profile, text, scope),
    ]


def _classify_scope(profile: FactsheetProfile, text: str) -> StateOfPlay:
    criterion = Criterion.SCOPE
    sentences = _narrative_sentences(profile, text, "scope", "overview")
    negations = [s for s in sentences if _NO_CLUSTER_POLICY.search(fold(s.text))]
    named = _option_named(criterion, _narrative_sentences(profile, text, "scope"))
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the policy-scope narrative names the option")
    policy_type = profile.policy_type
    if policy_type is not None and not policy_type.unavailable:
        folded = fold(policy_type.text)
        if "cluster" in folded and not _NO_CLUSTER_POLICY.search(folded):
            dedicated = [s for s in sentences if _DEDICATED.search(fold(s.text))]
            positive = [s for s in dedicated if s not in negations][:1]
            return _state(criterion, 3, [policy_type, *positive], "Table 1 policy type")
        if _SECTORAL.search(folded):
            return _state(criterion, 2, [policy_type, *negations[:1]], "Table 1 policy type")
        if _BROAD.search(folded):
            return _state(criterion, 1, [policy_type, *negations[:1]], "Table 1 policy type")
    # no usable policy type: what the narrative says
    for sentence in negations:
        folded = fold(sentence.text)
        if _SECTORAL.search(folded):
            return _state(criterion, 2, [sentence], "narrative: no cluster policy, a sectoral one")
        if _BROAD.search(folded):
            return _state(criterion, 1, [sentence], "narrative: no cluster policy, a broader one")
    dedicated = [s for s in sentences if _DEDICATED.search(fold(s.text)) and s not in negations]
    if dedicated and not negations:
        return _state(criterion, 3, dedicated[:1], "narrative: a dedicated cluster policy")
    if profile.fields:
        return _state(criterion, 1, negations[:1], "a policy is described, but no cluster policy")
    return _state(criterion, 0, negations[:1], "no policy described")


def _continuity_level(age: int) -> int:
    """The template's bands: recent (up to 2 years), over 2 and up to 10, over 10 years."""
    if age <= 2:
        return 1
    return 2 if age <= 10 else 3


def _classify_continuity(profile: FactsheetProfile, text: str, scope: StateOfPlay) -> StateOfPlay:
    criterion = Criterion.CONTINUITY
    sentences = _narrative_sentences(profile, text, "continuity")
    if scope.level < 3:
        # the criterion assesses targeted cluster policies only (the Annex's definition)
        negations = [s for s in sentences if _NO_CLUSTER_POLICY.search(fold(s.text))]
        evidence = negations[:1] or list(scope.evidence)
        return _state(criterion, 0, evidence, "no dedicated cluster policy (policy scope)")
    named = _option_named(criterion, sentences)
    if named is not None and named[0] > 0:
        level, sentence = named
        return _state(criterion, level, [sentence], "the continuity narrative names the option")
    for pattern, level, reason in (
        (_OVER_TEN, 3, "narrative: over ten years"),
        (_BETWEEN, 2, "narrative: between two and ten years"),
    ):
        for sentence in sentences:
            if pattern.search(fold(sentence.text)):
                return _state(criterion, level, [sentence], reason)
    # the earliest year the narrative says cluster policy started ("since 2009", "dates back to")
    starts: list[tuple[int, TextSpan]] = []
    for sentence in sentences:
        for match in _SINCE_YEAR.finditer(fold(sentence.text)):
            starts.append((int(match.group(1)), sentence))
    if starts and profile.year is not None:
        year, sentence = min(starts, key=lambda item: item[0])
        age = profile.year - year
        return _state(criterion, _continuity_level(age), [sentence], f"narrative: since {year}")
    for sentence in sentences:
        if _RECENT.search(fold(sentence.text)):
            return _state(criterion, 1, [sentence], "narrative: recently")
    history = profile.field(FieldKey.HISTORY)
    start_row = history.sub("starting_year") if history else None
    if start_row is not None and profile.year is not None:
        for item in start_row.items:
            found = _ANY_YEAR.search(item.text)
            if found:
                age = profile.year - int(found.group(0))
                return _state(
                    criterion, _continuity_level(age), [item], "Table 1 HISTORY starting year"
                )
    return _state(criterion, 1, sentences[:1], "a dedicated policy with no stated start")


def _classify_performance(profile: FactsheetProfile, text: str) -> StateOfPlay:
    criterion = Criterion.PERFORMANCE
    narrative = _narrative_sentences(profile, text, "performance")
    named = _option_named(criterion, narrative)
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the performance narrative names the option")
    evaluation = profile.field(FieldKey.EVALUATION)
    results = evaluation.sub("results") if evaluation else None
    availability = evaluation.sub("availability") if evaluation else None
    sentences = list(narrative)
    if results is not None:
        sentences.extend(s for value in results.values for s in paragraph_sentences(text, value))
    monitoring: list[TextSpan] = []
    negated_evaluation: list[TextSpan] = []
    ex_ante: list[TextSpan] = []
    interim: list[TextSpan] = []
    past: list[TextSpan] = []
    for sentence in sentences:
        folded = fold(sentence.text)
        if _MONITORING.search(folded) and not _NEGATED_MONITORING.search(folded):
            monitoring.append(sentence)
        if _NEGATED_EVALUATION.search(folded):
            negated_evaluation.append(sentence)
            continue
        if _EX_ANTE.search(folded):
            ex_ante.append(sentence)
        if _INTERIM.search(folded):
            interim.append(sentence)
        if _PAST_EVALUATION.search(folded):
            past.append(sentence)
    # Table 1's availability counts as an evaluation unless the text says there is none
    stated = [] if availability is None else [a for a in availability.items if not a.unavailable]
    for value in stated:
        folded = fold(value.text)
        if negated_evaluation and not (ex_ante or interim or past):
            break
        if _EX_ANTE.search(folded):
            ex_ante.append(value)
        if _INTERIM.search(folded):
            interim.append(value)
        if re.search(r"\bex[- ]post\b", folded):
            past.append(value)
    supporting = [value for value in stated if _INTERIM.search(fold(value.text))]
    if monitoring and (ex_ante or interim):
        evidence = [*monitoring[:1], *(ex_ante or interim)[:1]]
        return _state(criterion, 3, evidence, "monitoring and an ex-ante or interim evaluation")
    if monitoring or interim:
        evidence = [*negated_evaluation[:1], *monitoring[:1], *interim[:1], *supporting]
        return _state(criterion, 2, evidence, "monitoring or an interim evaluation")
    if past or ex_ante:
        return _state(criterion, 1, (past or ex_ante)[:1], "an evaluation of past policies")
    evidence = negated_evaluation[:1] or list(availability.items if availability else ())
    return _state(criterion, 0, evidence, "no evaluation or monitoring stated")


def _classify_support(profile: FactsheetProfile, text: str, scope: StateOfPlay) -> StateOfPlay:
    criterion = Criterion.SUPPORT
    narrative = _narrative_sentences(profile, text, "support_instruments")
    named = _option_named(criterion, narrative)
    if named is not None:
        level, sentence = named
        return _state(criterion, level, [sentence], "the instruments narrative names the option")
    instruments = profile.field(FieldKey.INSTRUMENTS)
    financial_row = instruments.sub("financial") if instruments else None
    technical_row = instruments.sub("technical_assistance") if instruments else None
    financial = [c for c in (financial_row.items if financial_row else ()) if not c.unavailable]
    technical = [c for c in (technical_row.items if technical_row else ()) if not c.unavailable]
    negations = [s for s in narrative if _NO_INSTRUMENTS.search(fold(s.text))]
    positive = [s for s in narrative if s not in negations]
    financial_text = [s for s in positive if _FINANCIAL.search(fold(s.text))]
    technical_text = [s for s in positive if _TECHNICAL.search(fold(s.text))]
    has_financial = bool(financial or financial_text)
    has_technical = bool(technical or technical_text)
    table_evidence = [_joined(text, items) for items in (financial, technical) if items]
    if scope.level == 3:
        if has_financial and has_technical:
            evidence = [*table_evidence, *(financial_text or technical_text)[:1]]
            return _state(criterion, 3, evidence, "financial and technical support, dedicated")
        if has_financial or has_technical:
            evidence = [*table_evidence, *(financial_text or technical_text)[:1]]
            return _state(criterion, 2, evidence, "financial or technical support, dedicated")
        return _state(criterion, 0, negations[:1], "no support instruments stated")
    if has_financial or has_technical:
        evidence = [*negations[:1], *financial_text[:1], *table_evidence[:1]]
        return _state(criterion, 1, evidence, "support within a broader or sectoral policy")
    return _state(criterion, 0, negations[:1], "no support instruments stated")


def _joined(text: str, items: Sequence[TextSpan]) -> TextSpan:
    """Consecutive lines of one sub-row as one span of the document's text."""
    first, last = items[0], items[-1]
    return TextSpan(text[first.start : last.end], first.start, last.end, first.page)
