"""Statements for one country's state of play: scope, continuity, performance, support.

Each opens with the option the factsheet asserts for the criterion, then quotes the evidence the
decision relied on (what the text says before Table 1's values). A scope question that asks
yes or no ("Does X have a dedicated cluster policy?") gets a direct Yes or No first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from policyqa.ingest import Document
from policyqa.ingest.factsheet import Criterion, FactsheetProfile, FieldKey, SubField, TextSpan
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.factsheet_answers.fields import DESCRIPTIVE_SUB_ROWS, field_statements
from policyqa.service.factsheet_answers.quotes import (
    row_statement,
    say,
    sub_row_statement,
    unique,
    with_lead,
)
from policyqa.service.factsheet_answers.template import CRITERION_NAMES
from policyqa.service.statements import Statement
from policyqa.service.types import Question

#: Table 1 sub-rows an answer on a criterion always shows, after the evidence.
_CRITERION_ROWS: dict[Criterion, tuple[tuple[FieldKey, str], ...]] = {
    Criterion.PERFORMANCE: ((FieldKey.EVALUATION, "availability"),),
    Criterion.SUPPORT: (
        (FieldKey.INSTRUMENTS, "financial"),
        (FieldKey.INSTRUMENTS, "technical_assistance"),
    ),
}


def asks_dedicated(question: Question) -> bool:
    """Whether the question asks about a dedicated (cluster-specific) policy."""
    text = question.text.lower()
    return "dedicated" in text or "cluster-specific" in text or "cluster specific" in text


def option_text(option: str) -> str:
    """A state-of-play option as the middle of a sentence (its first letter lower-cased)."""
    return option[:1].lower() + option[1:]


def evidence_statements(
    profile: FactsheetProfile, document: Document, spans: Iterable[TextSpan]
) -> list[Statement]:
    """Evidence spans as statements, what the text says before Table 1's values (a value is
    quoted with its sub-row label: "Availability: in-itinere")."""
    sentences: list[Statement] = []
    values: list[Statement] = []
    for span in spans:
        sub = _sub_row_of(profile, span)
        if sub is not None:
            values.append(sub_row_statement(document, sub))
        elif _row_is_policy(profile, span):
            values.append(row_statement(document, span))
        elif any(item.start <= span.start < item.end for item in profile.fields):
            values.append(say(document, span, span.text))
        else:
            sentences.append(say(document, span, span.text))
    return [*sentences, *values]


def scope_statements(
    profile: FactsheetProfile, document: Document, question: Question
) -> list[Statement]:
    """The policy scope: the verdict, Table 1's policy type, the evidence, the policy name."""
    state = profile.state(Criterion.SCOPE)
    if state is None:
        return []
    dedicated = state.level == 3
    evidence = [
        s
        for s in evidence_statements(profile, document, state.evidence)
        if profile.policy_type is None or not s.start <= profile.policy_type.start < s.end
    ]
    if profile.policy_type is not None:  # Table 1's policy type first: it decides the scope
        evidence.insert(0, row_statement(document, profile.policy_type))
    if not evidence:
        return []
    if question.yes_no or asks_dedicated(question):
        verdict = "Yes" if dedicated else "No"
        has = "has a dedicated cluster policy" if dedicated else "has no dedicated cluster policy"
        lead = f"{verdict}. {profile.country} {has} (policy scope: {option_text(state.option)}) — "
    else:
        lead = f"{profile.country}, policy scope: {option_text(state.option)} — "
    statements = with_lead(evidence, lead)
    if profile.policy_name is not None:
        statements.append(row_statement(document, profile.policy_name))
    return unique(statements)


def continuity_statements(profile: FactsheetProfile, document: Document) -> list[Statement]:
    """The state of play, HISTORY (years, predecessors) and the continuity narrative."""
    state = profile.state(Criterion.CONTINUITY)
    statements: list[Statement] = []
    used: list[tuple[int, int]] = []
    if state is not None and state.evidence:
        evidence = evidence_statements(profile, document, state.evidence)
        lead = f"{profile.country}, continuity of cluster policy: {option_text(state.option)} — "
        statements.extend(with_lead(evidence, lead))
        used = [(s.start, s.end) for s in evidence]
    history = profile.field(FieldKey.HISTORY)
    if history is not None:
        focus = ("starting_year", "ending_year")
        statements.extend(field_statements(document, history, "", focus))
    narrative = profile.narrative("continuity")
    if narrative is not None:
        for paragraph in narrative.paragraphs:
            for start, end in _spans_without(document.text, paragraph, used):
                statements.append(say(document, (start, end), document.text[start:end]))
    if statements and state is None:
        statements = with_lead(statements, f"{profile.country}, continuity of cluster policy: ")
    return unique(statements)


def criterion_statements(
    profile: FactsheetProfile, document: Document, criterion: Criterion
) -> list[Statement]:
    """Evidence of performance or cluster support instruments: the option and its evidence."""
    state = profile.state(criterion)
    if state is None or not state.evidence:
        return []
    evidence = evidence_statements(profile, document, state.evidence)
    for key, sub_key in _CRITERION_ROWS.get(criterion, ()):
        item = profile.field(key)
        sub = item.sub(sub_key) if item is not None else None
        if sub is not None:
            evidence.append(sub_row_statement(document, sub))
    lead = f"{profile.country}, {CRITERION_NAMES[criterion]}: {option_text(state.option)} — "
    return unique(with_lead(evidence, lead))


def _sub_row_of(profile: FactsheetProfile, span: TextSpan) -> SubField | None:
    """The Table 1 sub-row whose values hold ``span`` (descriptive sub-rows aside)."""
    for item in profile.fields:
        for sub in item.subfields:
            if sub.key in DESCRIPTIVE_SUB_ROWS:
                continue
            if any(value.start <= span.start < value.end for value in sub.items):
                return sub
    return None


def _row_is_policy(profile: FactsheetProfile, span: TextSpan) -> bool:
    """Whether ``span`` is the policy's type or name."""
    return any(
        value is not None and value.start == span.start
        for value in (profile.policy_type, profile.policy_name)
    )


def _spans_without(
    text: str, paragraph: TextSpan, used: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The paragraph minus the spans already quoted, as runs of whole sentences."""
    runs: list[tuple[int, int]] = []
    for start, end in sentence_spans(text, paragraph.start, paragraph.end):
        if any(s <= start < e for s, e in used):
            continue
        if runs and text[runs[-1][1] : start].strip() == "":
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs
