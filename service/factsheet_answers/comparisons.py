"""Answers across countries: one cited line per country's factsheet.

"Compare the instruments of Morocco and X" lists the named countries; "Which countries have a
dedicated cluster policy?", "Where has cluster policy been established over 10 years ago?" or
"Which policies are aligned with digitalisation?" filter every indexed factsheet on what the
question names (the dedicated scope, a state-of-play option, a category's words) and say how
many match.
"""

from __future__ import annotations

from collections.abc import Sequence

from policyqa.index import Hit
from policyqa.index.lexical import analyse
from policyqa.ingest import Document
from policyqa.ingest.factsheet import (
    STATE_OF_PLAY_OPTIONS,
    Criterion,
    FactsheetProfile,
    FieldKey,
    ProfileField,
    TextSpan,
)
from policyqa.service.factsheet_answers.fields import DESCRIPTIVE_SUB_ROWS
from policyqa.service.factsheet_answers.library import ProfileLibrary
from policyqa.service.factsheet_answers.quotes import listed, row_statement, who
from policyqa.service.factsheet_answers.state_of_play import asks_dedicated, evidence_statements
from policyqa.service.factsheet_answers.template import CRITERION_ASPECTS, FIELD_ASPECTS
from policyqa.service.statements import Statement, clean, compose
from policyqa.service.types import Answer, Question

_MAX_LINES = 80  # lines of a comparison answer (the ECCP published 56 factsheets)

# Words of a comparison that say what is compared, not which value to look for.
_ASPECT_WORDS = frozenset(
    analyse(
        "which what countries country nations policies policy compare comparison compared "
        "have has does do aligned alignment align with priorities priority eu european "
        "objectives objective aims aim goals focus instruments instrument tools beneficiaries "
        "authorities responsible budget history evaluation evaluated scope continuity "
        "evidence performance support measures cluster clusters dedicated specific national "
        "regional state play all each every list their its the of and in use uses used "
        "between across versus vs differ differences how many"
    )
)


def compare(
    library: ProfileLibrary, question: Question, aspect: str | None, hits: Sequence[Hit]
) -> Answer | None:
    """One line per country on ``aspect``, or None when the template cannot answer."""
    named = question.covered_countries
    profiles = (
        [p for p in (library.for_country(c) for c in named) if p is not None]
        if len(named) >= 2
        else library.preferred()
    )
    if not profiles:
        return None
    named_values = _value_terms(question)  # option words ("established over 10 years")
    wanted = named_values & library.vocabulary  # category words ("digitalisation")
    lines: list[Statement] = []
    title = ""
    filtering = False
    if aspect == "scope" or (aspect is None and asks_dedicated(question)):
        filtering = asks_dedicated(question) and len(named) < 2
        for profile in profiles:
            if not filtering or profile.dedicated:
                lines.extend(_scope_line(profile, _document(library, profile)))
        title = "Countries with a dedicated cluster policy"
    elif aspect in CRITERION_ASPECTS:
        criterion = CRITERION_ASPECTS[aspect]
        level = _option_asked(criterion, named_values) if len(named) < 2 else None
        filtering = level is not None
        for profile in profiles:
            state = profile.state(criterion)
            if state is not None and (level is None or state.level == level):
                lines.extend(_criterion_line(profile, _document(library, profile), criterion))
        if level is not None:
            title = f"Countries where “{STATE_OF_PLAY_OPTIONS[criterion][level]}”"
    elif aspect in FIELD_ASPECTS or (aspect is None and wanted):
        keys = [FIELD_ASPECTS[aspect]] if aspect in FIELD_ASPECTS else list(FieldKey)
        filtering = bool(wanted) and len(named) < 2
        for profile in profiles:
            line = _country_field_line(library, profile, keys, wanted if filtering else set())
            if line is not None:
                lines.append(line)
        if filtering:
            if not lines and aspect is None:
                return None  # nothing in the template matches: let retrieval try
            title = f"Countries whose factsheet names “{_display(question, wanted)}”"
    else:
        return None
    header = ""
    if filtering:
        total = len(profiles)
        countries = "country" if total == 1 else "countries"
        if lines:
            header = f"{title}: {len(lines)} of {total} indexed {countries}."
        else:
            header = f"{title}: none of the {total} indexed {countries}."
            if total <= 10:  # show what each factsheet states instead
                lines = [
                    line
                    for profile in profiles
                    for line in _unfiltered_line(library, profile, aspect, question)
                ]
    if not lines:
        return Answer(header or "No indexed factsheet states this.", answerable=True)
    return compose(lines[:_MAX_LINES], hits, header=header, separator="\n")


def _document(library: ProfileLibrary, profile: FactsheetProfile) -> Document:
    return library.documents[profile.doc_id]


def _country_field_line(
    library: ProfileLibrary, profile: FactsheetProfile, keys: Sequence[FieldKey], wanted: set[str]
) -> Statement | None:
    """A country's line on the fields ``keys``: the first field with something to say, or (with
    ``wanted`` words) the most specific category naming them all."""
    document = _document(library, profile)
    items = [item for item in (profile.field(key) for key in keys) if item is not None]
    if not wanted:
        lines = (_field_summary_line(profile, document, item) for item in items)
        return next((line for line in lines if line is not None), None)
    # the most specific category naming every wanted word ("SMEs" before "... of SMEs")
    matches = [
        (len(analyse(span.text)), index, item, span)
        for index, item in enumerate(items)
        for span in item.all_categories
        if wanted <= set(analyse(span.text))
    ]
    if not matches:
        return None
    _, _, item, span = min(matches, key=lambda match: (match[0], match[1]))
    return _matching_category_line(profile, document, item, span)


def _unfiltered_line(
    library: ProfileLibrary, profile: FactsheetProfile, aspect: str | None, question: Question
) -> list[Statement]:
    """What a country's factsheet states on the aspect, when no factsheet matched the filter."""
    document = _document(library, profile)
    if aspect == "scope" or (aspect is None and asks_dedicated(question)):
        return _scope_line(profile, document)
    if aspect in CRITERION_ASPECTS:
        return _criterion_line(profile, document, CRITERION_ASPECTS[aspect])
    if aspect in FIELD_ASPECTS:
        line = _country_field_line(library, profile, [FIELD_ASPECTS[aspect]], set())
        return [line] if line is not None else []
    return []


def _value_terms(question: Question) -> set[str]:
    """The question's words that name a value ("digitalisation", "SMEs"), not the aspect."""
    countries = {term for country in question.countries for term in analyse(country)}
    return {t for t in question.terms if t not in _ASPECT_WORDS and t not in countries}


def _display(question: Question, wanted: set[str]) -> str:
    """The question's own words for the analysed ``wanted`` terms."""
    words = [w for w in question.text.replace("?", " ").split() if set(analyse(w)) & wanted]
    return " ".join(words) or " ".join(sorted(wanted))


def _option_asked(criterion: Criterion, wanted: set[str]) -> int | None:
    """The option a question names ("established over 10 years ago"), if it names one."""
    if not wanted:
        return None
    best, best_overlap = None, 0
    for level, option in enumerate(STATE_OF_PLAY_OPTIONS[criterion]):
        overlap = len(wanted & set(analyse(option)))
        if overlap > best_overlap:
            best, best_overlap = level, overlap
    return best if best_overlap >= max(1, min(2, len(wanted))) else None


def _scope_line(profile: FactsheetProfile, document: Document) -> list[Statement]:
    """The country's policy type and name in one line, quoted from the policy type row."""
    state = profile.state(Criterion.SCOPE)
    if profile.policy_type is None or state is None:
        return []
    name = f", {profile.policy_name.text}" if profile.policy_name else ""
    row = row_statement(document, profile.policy_type)
    return [row.with_text(f"{profile.country}: {profile.policy_type.text}{name}")]


def _criterion_line(
    profile: FactsheetProfile, document: Document, criterion: Criterion
) -> list[Statement]:
    """The option the country's factsheet asserts, quoted from its first evidence."""
    state = profile.state(criterion)
    if state is None or not state.evidence:
        return []
    first = evidence_statements(profile, document, state.evidence[:1])[0]
    return [first.with_text(f"{profile.country}: {state.option}")]


def _field_summary_line(
    profile: FactsheetProfile, document: Document, item: ProfileField
) -> Statement | None:
    """A country's field in one line: its categories (or sub-rows), quoted from the label."""
    if item.categories:
        return Statement(
            f"{profile.country}: {listed(item.categories)}",
            document,
            item.label.start,
            item.categories[-1].end,
        )
    rows = [sub for sub in item.subfields if sub.key not in DESCRIPTIVE_SUB_ROWS]
    if rows:
        text = "; ".join(f"{sub.label.text}: {listed(sub.items)}" for sub in rows)
        last = rows[-1].items[-1].end if rows[-1].items else rows[-1].label.end
        return Statement(f"{profile.country}: {text}", document, item.label.start, last)
    if item.explanation:
        span = item.explanation[0]
        return Statement(f"{profile.country}: {clean(span.text)}", document, span.start, span.end)
    return None


def _matching_category_line(
    profile: FactsheetProfile, document: Document, item: ProfileField, span: TextSpan
) -> Statement:
    """A country's category that matched a comparison, with its field and policy."""
    text = f"{who(profile)}, {item.label.text}: {clean(span.text)}"
    return Statement(text, document, span.start, span.end)
