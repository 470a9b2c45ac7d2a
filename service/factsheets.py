"""Answers from factsheet profiles: the exact field, for the right country, across countries.

The profiles (``ingest.factsheet``) are computed when the engine loads a snapshot. When a
question's aspect is part of the template and its country is known, the answer comes from the
profile instead of from whichever passage scores best:

- a Table 1 field: its standardised categories and its explanation, each cited to its span
  (a sub-row the question singles out, such as "Starting year", comes first);
- continuity: the state of play with the sentence that states it, HISTORY's start and end
  years and explanation (predecessor programmes), and the rest of the continuity narrative;
- policy scope: "Does X have a dedicated cluster policy?" opens with a direct Yes or No, then
  Table 1's policy type and the sentences the decision relied on;
- evidence of performance and cluster support instruments: the option and its evidence;
- cooperation: the narrative; policy: its name and type.

Questions over several countries ("Which countries have a dedicated cluster policy?", "Which
policies are aligned with digitalisation?", "Compare the instruments of Morocco and X") get one
cited line per country. Anything else goes to the extractive answerer, as before.

Every citation is an exact span of a document's canonical text (``verify_citations`` holds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from policyqa.index import SearchFilters
from policyqa.index.lexical import analyse
from policyqa.ingest import Block, BlockKind, Document
from policyqa.ingest.factsheet import (
    FIELD_LABELS,
    STATE_OF_PLAY_OPTIONS,
    Criterion,
    FactsheetProfile,
    FieldKey,
    ProfileField,
    SubField,
    TextSpan,
    parse_profile,
)
from policyqa.ingest.sentences import sentence_spans
from policyqa.service.relevance import relevance
from policyqa.service.statements import Statement, clean, compose
from policyqa.service.types import Answer, Evidence, Question
from policyqa.settings import AnswerSettings

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

_CRITERION_NAMES = {
    Criterion.SCOPE: "policy scope",
    Criterion.CONTINUITY: "continuity of cluster policy",
    Criterion.PERFORMANCE: "evidence of performance",
    Criterion.SUPPORT: "cluster support instruments",
}
_MAX_LINES = 80  # lines of a comparison answer (the ECCP published 56 factsheets)


class ProfileLibrary:
    """The factsheet profiles of a snapshot's documents, by document and by country."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.documents = documents
        self.by_doc: dict[str, FactsheetProfile] = {}
        for doc_id, document in documents.items():
            profile = parse_profile(document)
            if profile is not None and profile.country:
                self.by_doc[doc_id] = profile
        by_country: dict[str, list[FactsheetProfile]] = {}
        for profile in self.by_doc.values():
            by_country.setdefault((profile.country or "").casefold(), []).append(profile)
        # one factsheet per country: the latest edition, a PDF (pages to cite) before others
        self._preferred = {
            country: sorted(
                profiles,
                key=lambda p: (-(p.year or 0), not documents[p.doc_id].pages, p.doc_id),
            )
            for country, profiles in by_country.items()
        }

        # the words of every standardised category: what a comparison can filter on
        self.vocabulary = frozenset(
            term
            for profile in self.by_doc.values()
            for item in profile.fields
            for span in item.all_categories
            for term in analyse(span.text)
        )

    def countries_by_policy(self, text: str) -> list[str]:
        """Countries whose policy name the text contains (the longest names found)."""
        folded = " ".join(text.casefold().split())
        found: list[tuple[int, str]] = []
        for profile in self.preferred():
            name = profile.policy_name.text if profile.policy_name else ""
            if len(name) >= 8 and " ".join(name.casefold().split()) in folded:
                found.append((len(name), profile.country or ""))
        if not found:
            return []
        longest = max(length for length, _ in found)
        return sorted({country for length, country in found if length == longest})

    def countries(self) -> list[str]:
        """Countries with a profile, sorted."""
        return sorted(profiles[0].country or "" for profiles in self._preferred.values())

    def for_country(self, country: str) -> FactsheetProfile | None:
        """The preferred profile of ``country`` (case-insensitive)."""
        profiles = self._preferred.get(country.casefold())
        return profiles[0] if profiles else None

    def all_for_country(self, country: str) -> list[FactsheetProfile]:
        """Every profile of ``country``, the preferred one first."""
        return list(self._preferred.get(country.casefold(), []))

    def preferred(self) -> list[FactsheetProfile]:
        """One profile per country, sorted by country."""
        return [self._preferred[key][0] for key in sorted(self._preferred)]

    def __len__(self) -> int:
        return len(self.by_doc)


class FactsheetAnswerer:
    """Answers template questions from profiles; returns None for everything else."""

    def __init__(self, library: ProfileLibrary, settings: AnswerSettings) -> None:
        self.library = library
        self.settings = settings

    def answers_directly(self, question: Question, filters: SearchFilters | None = None) -> bool:
        """True when a profile answers the question whatever retrieval finds: its aspect is
        part of the template and its country (or countries) are known, or it compares
        countries on a template aspect."""
        filters = filters or SearchFilters()
        if not self.library or filters.section is not None or question.missing_countries:
            return False
        if question.aspect not in PROFILE_ASPECTS:
            return False
        if question.comparison and filters.country is None and filters.doc_id is None:
            return True
        if filters.doc_id is not None:
            return filters.doc_id in self.library.by_doc
        country = filters.country or (
            question.covered_countries[0] if question.covered_countries else None
        )
        return country is not None and self.library.for_country(country) is not None

    def answer(self, evidence: Evidence, filters: SearchFilters | None = None) -> Answer | None:
        """A profile answer, or None when the question is not one the profiles answer."""
        question = evidence.question
        filters = filters or SearchFilters()
        if not self.library or filters.section is not None:
            return None
        if question.missing_countries and not question.covered_countries:
            return None  # the extractive answerer says which countries are covered
        aspect = question.aspect if question.aspect in PROFILE_ASPECTS else None
        if question.comparison and filters.country is None and filters.doc_id is None:
            return self._compare(question, aspect, evidence)
        if aspect is None:
            return None
        profile = self._target(question, filters, evidence)
        if profile is None:
            return None
        document = self.library.documents[profile.doc_id]
        statements = self._statements(profile, document, question, aspect)
        return compose(statements, evidence.hits) if statements else None

    # --- which factsheet ---------------------------------------------------------------------

    def _target(
        self, question: Question, filters: SearchFilters, evidence: Evidence
    ) -> FactsheetProfile | None:
        if filters.doc_id is not None:
            return self.library.by_doc.get(filters.doc_id)
        country = filters.country or (
            question.covered_countries[0] if question.covered_countries else None
        )
        if country is not None:
            return self.library.for_country(country)
        # No country named: the factsheet the best passage comes from (when that passage is not
        # from a factsheet, a report or a note, no profile answers). A question whose wording
        # names a template field ("How long is the programme in force?") is about the template;
        # otherwise it must pass the calibrated gate of the extractive answerer.
        if not evidence.hits:
            return None
        worded = bool(question.aspects) and not question.aspect_from_meaning
        gate = relevance(evidence, self.settings.coverage_weight) >= self.settings.min_relevance
        if not (worded or gate):
            return None
        return self.library.by_doc.get(evidence.hits[0].document.doc_id)

    # --- one country -------------------------------------------------------------------------

    def _statements(
        self, profile: FactsheetProfile, document: Document, question: Question, aspect: str
    ) -> list[Statement]:
        if aspect in FIELD_ASPECTS:
            item = profile.field(FIELD_ASPECTS[aspect])
            if item is None:
                return []
            lead = f"{_who(profile)} — "
            return _field_statements(document, item, lead, question.subfields)
        if aspect == "scope":
            return _scope_statements(profile, document, question)
        if aspect == "continuity":
            return _continuity_statements(profile, document)
        if aspect in CRITERION_ASPECTS:
            return _criterion_statements(profile, document, CRITERION_ASPECTS[aspect])
        if aspect == "cooperation":
            narrative = profile.narrative("cooperation")
            if narrative is None:
                return []
            statements = [_say(document, p, p.text) for p in narrative.paragraphs]
            return _lead(statements, f"{profile.country}, {narrative.heading.lower()}: ")
        if aspect == "policy":
            return _policy_statements(profile, document)
        return []

    # --- several countries -------------------------------------------------------------------

    def _compare(self, question: Question, aspect: str | None, evidence: Evidence) -> Answer | None:
        named = question.covered_countries
        profiles = (
            [p for p in (self.library.for_country(c) for c in named) if p is not None]
            if len(named) >= 2
            else self.library.preferred()
        )
        if not profiles:
            return None
        named_values = _value_terms(question)  # option words ("established over 10 years")
        wanted = named_values & self.library.vocabulary  # category words ("digitalisation")
        lines: list[Statement] = []
        title = ""
        filtering = False
        if aspect == "scope" or (aspect is None and _asks_dedicated(question)):
            filtering = _asks_dedicated(question) and len(named) < 2
            for profile in profiles:
                if not filtering or profile.dedicated:
                    lines.extend(_scope_line(profile, self._doc(profile)))
            title = "Countries with a dedicated cluster policy"
        elif aspect in CRITERION_ASPECTS:
            criterion = CRITERION_ASPECTS[aspect]
            level = _option_asked(criterion, named_values) if len(named) < 2 else None
            filtering = level is not None
            for profile in profiles:
                state = profile.state(criterion)
                if state is not None and (level is None or state.level == level):
                    lines.extend(_criterion_line(profile, self._doc(profile), criterion))
            if level is not None:
                title = f"Countries where “{STATE_OF_PLAY_OPTIONS[criterion][level]}”"
        elif aspect in FIELD_ASPECTS or (aspect is None and wanted):
            keys = [FIELD_ASPECTS[aspect]] if aspect in FIELD_ASPECTS else list(FieldKey)
            filtering = bool(wanted) and len(named) < 2
            for profile in profiles:
                line = self._field_line(profile, keys, wanted if filtering else set())
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
                        for line in self._unfiltered_line(profile, aspect, question)
                    ]
        if not lines:
            return Answer(header or "No indexed factsheet states this.", answerable=True)
        return compose(lines[:_MAX_LINES], evidence.hits, header=header, separator="\n")

    def _field_line(
        self, profile: FactsheetProfile, keys: Sequence[FieldKey], wanted: set[str]
    ) -> Statement | None:
        document = self._doc(profile)
        items = [item for item in (profile.field(key) for key in keys) if item is not None]
        if not wanted:
            lines = (_field_line(profile, document, item) for item in items)
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
        return _matching_line(profile, document, item, span)

    def _unfiltered_line(
        self, profile: FactsheetProfile, aspect: str | None, question: Question
    ) -> list[Statement]:
        document = self._doc(profile)
        if aspect == "scope" or (aspect is None and _asks_dedicated(question)):
            return _scope_line(profile, document)
        if aspect in CRITERION_ASPECTS:
            return _criterion_line(profile, document, CRITERION_ASPECTS[aspect])
        if aspect in FIELD_ASPECTS:
            line = self._field_line(profile, [FIELD_ASPECTS[aspect]], set())
            return [line] if line is not None else []
        return []

    def _doc(self, profile: FactsheetProfile) -> Document:
        return self.library.documents[profile.doc_id]


# --- statements for one country -------------------------------------------------------------------


def _who(profile: FactsheetProfile) -> str:
    name = f" ({profile.policy_name.text})" if profile.policy_name else ""
    return f"{profile.country}{name}"


def _say(document: Document, span: TextSpan | tuple[int, int], text: str) -> Statement:
    start, end = (span.start, span.end) if isinstance(span, TextSpan) else span
    return Statement(clean(text), document, start, end)


def _lead(statements: list[Statement], lead: str) -> list[Statement]:
    """Prefix the first statement with ``lead`` (who and what the answer is about)."""
    if not statements:
        return statements
    first = statements[0]
    return [first.with_text(lead + first.text), *statements[1:]]


def _items(spans: Sequence[TextSpan]) -> str:
    return "; ".join(clean(span.text) for span in spans)


def _sub_statement(document: Document, sub: SubField, start: int | None = None) -> Statement:
    """A sub-row's values: "Starting year: 2021", quoted from its label (or ``start``)."""
    items = sub.items
    end = items[-1].end if items else sub.label.end
    return Statement(f"{sub.label.text}: {_items(items)}", document, start or sub.label.start, end)


def _field_statements(
    document: Document, item: ProfileField, lead: str, focus: Sequence[str] = ()
) -> list[Statement]:
    """A Table 1 field: categories (quoted with the row label), sub-rows, explanation."""
    statements: list[Statement] = []
    label = item.label.text
    if item.categories:
        statements.append(
            Statement(
                f"{lead}{label}: {_items(item.categories)}",
                document,
                item.label.start,
                item.categories[-1].end,
            )
        )
    descriptive = {"explanation", "results"}
    rows = [sub for sub in item.subfields if sub.key not in descriptive or sub.categories]
    rows.sort(
        key=lambda sub: (
            list(focus).index(sub.key) if sub.key in focus else len(focus),
            item.subfields.index(sub),
        )
    )
    for sub in rows:
        first_in_row = not statements and sub is item.subfields[0]
        statement = _sub_statement(document, sub, item.label.start if first_in_row else None)
        if not statements:
            prefix = f"{lead}{label}: " if first_in_row else f"{lead}{label} — "
            statement = Statement(prefix + statement.text, document, statement.start, statement.end)
        statements.append(statement)
    for span in item.explanation:
        statement = _say(document, span, span.text)
        if not statements:
            statement = Statement(
                f"{lead}{label}: {statement.text}", document, span.start, span.end
            )
        statements.append(statement)
    if not statements:
        # a row with nothing under its label: the label itself says so
        statements.append(Statement(f"{lead}{label}: (empty)", document, item.start, item.end))
    return statements


def _row_of(document: Document, span: TextSpan) -> Block | None:
    """The table row (or paragraph) that holds ``span``."""
    for block in document.blocks:
        if block.start <= span.start < block.end and block.kind is not BlockKind.HEADING:
            return block
    return None


def _row_statement(document: Document, span: TextSpan, text: str | None = None) -> Statement:
    """A one-line table row quoted whole ("Policy type: Sectoral policy")."""
    row = _row_of(document, span)
    start = row.start if row is not None and row.kind is BlockKind.TABLE_ROW else span.start
    quote = document.text[start : span.end]
    return Statement(text or clean(quote), document, start, span.end)


def _evidence_statements(
    profile: FactsheetProfile, document: Document, spans: Iterable[TextSpan]
) -> list[Statement]:
    """Evidence spans as statements, what the text says before Table 1's values (a value is
    quoted with its sub-row label: "Availability: in-itinere")."""
    sentences: list[Statement] = []
    values: list[Statement] = []
    for span in spans:
        sub = _sub_row_of(profile, span)
        if sub is not None:
            values.append(_sub_statement(document, sub))
        elif _row_is_policy(profile, span):
            values.append(_row_statement(document, span))
        elif any(item.start <= span.start < item.end for item in profile.fields):
            values.append(_say(document, span, span.text))
        else:
            sentences.append(_say(document, span, span.text))
    return [*sentences, *values]


def _sub_row_of(profile: FactsheetProfile, span: TextSpan) -> SubField | None:
    for item in profile.fields:
        for sub in item.subfields:
            if sub.key in ("explanation", "results"):
                continue
            if any(value.start <= span.start < value.end for value in sub.items):
                return sub
    return None


def _row_is_policy(profile: FactsheetProfile, span: TextSpan) -> bool:
    return any(
        value is not None and value.start == span.start
        for value in (profile.policy_type, profile.policy_name)
    )


def _option_text(option: str) -> str:
    return option[:1].lower() + option[1:]


def _scope_statements(
    profile: FactsheetProfile, document: Document, question: Question
) -> list[Statement]:
    state = profile.state(Criterion.SCOPE)
    if state is None:
        return []
    dedicated = state.level == 3
    evidence = [
        s
        for s in _evidence_statements(profile, document, state.evidence)
        if profile.policy_type is None or not s.start <= profile.policy_type.start < s.end
    ]
    if profile.policy_type is not None:  # Table 1's policy type first: it decides the scope
        evidence.insert(0, _row_statement(document, profile.policy_type))
    if not evidence:
        return []
    if question.yes_no or _asks_dedicated(question):
        verdict = "Yes" if dedicated else "No"
        has = "has a dedicated cluster policy" if dedicated else "has no dedicated cluster policy"
        lead = f"{verdict}. {profile.country} {has} (policy scope: {_option_text(state.option)}) — "
    else:
        lead = f"{profile.country}, policy scope: {_option_text(state.option)} — "
    statements = _lead(evidence, lead)
    if profile.policy_name is not None:
        statements.append(_row_statement(document, profile.policy_name))
    return _unique(statements)


def _continuity_statements(profile: FactsheetProfile, document: Document) -> list[Statement]:
    """The state of play, HISTORY (years, predecessors) and the continuity narrative."""
    state = profile.state(Criterion.CONTINUITY)
    statements: list[Statement] = []
    used: list[tuple[int, int]] = []
    if state is not None and state.evidence:
        evidence = _evidence_statements(profile, document, state.evidence)
        lead = f"{profile.country}, continuity of cluster policy: {_option_text(state.option)} — "
        statements.extend(_lead(evidence, lead))
        used = [(s.start, s.end) for s in evidence]
    history = profile.field(FieldKey.HISTORY)
    if history is not None:
        focus = ("starting_year", "ending_year")
        statements.extend(_field_statements(document, history, "", focus))
    narrative = profile.narrative("continuity")
    if narrative is not None:
        for paragraph in narrative.paragraphs:
            for start, end in _spans_without(document.text, paragraph, used):
                statements.append(_say(document, (start, end), document.text[start:end]))
    if statements and state is None:
        statements = _lead(statements, f"{profile.country}, continuity of cluster policy: ")
    return _unique(statements)


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


#: Table 1 sub-rows an answer on a criterion always shows, after the evidence.
_CRITERION_ROWS: dict[Criterion, tuple[tuple[FieldKey, str], ...]] = {
    Criterion.PERFORMANCE: ((FieldKey.EVALUATION, "availability"),),
    Criterion.SUPPORT: (
        (FieldKey.INSTRUMENTS, "financial"),
        (FieldKey.INSTRUMENTS, "technical_assistance"),
    ),
}


def _criterion_statements(
    profile: FactsheetProfile, document: Document, criterion: Criterion
) -> list[Statement]:
    state = profile.state(criterion)
    if state is None or not state.evidence:
        return []
    evidence = _evidence_statements(profile, document, state.evidence)
    for key, sub_key in _CRITERION_ROWS.get(criterion, ()):
        item = profile.field(key)
        sub = item.sub(sub_key) if item is not None else None
        if sub is not None:
            evidence.append(_sub_statement(document, sub))
    lead = f"{profile.country}, {_CRITERION_NAMES[criterion]}: {_option_text(state.option)} — "
    return _unique(_lead(evidence, lead))


def _policy_statements(profile: FactsheetProfile, document: Document) -> list[Statement]:
    statements = [
        _row_statement(document, span)
        for span in (profile.policy_name, profile.policy_type)
        if span is not None
    ]
    return _lead(statements, f"{profile.country}: ")


def _unique(statements: list[Statement]) -> list[Statement]:
    """Drop a statement whose span another kept statement already covers."""
    kept: list[Statement] = []
    for statement in statements:
        if any(
            k.document.doc_id == statement.document.doc_id
            and k.start <= statement.start
            and statement.end <= k.end
            for k in kept
        ):
            continue
        kept.append(statement)
    return kept


# --- lines for comparisons --------------------------------------------------------------

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


def _value_terms(question: Question) -> set[str]:
    """The question's words that name a value ("digitalisation", "SMEs"), not the aspect."""
    countries = {term for country in question.countries for term in analyse(country)}
    return {t for t in question.terms if t not in _ASPECT_WORDS and t not in countries}


def _asks_dedicated(question: Question) -> bool:
    text = question.text.lower()
    return "dedicated" in text or "cluster-specific" in text or "cluster specific" in text


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
    state = profile.state(Criterion.SCOPE)
    if profile.policy_type is None or state is None:
        return []
    name = f", {profile.policy_name.text}" if profile.policy_name else ""
    row = _row_statement(document, profile.policy_type)
    text = f"{profile.country}: {profile.policy_type.text}{name}"
    return [Statement(text, document, row.start, row.end)]


def _criterion_line(
    profile: FactsheetProfile, document: Document, criterion: Criterion
) -> list[Statement]:
    state = profile.state(criterion)
    if state is None or not state.evidence:
        return []
    first = _evidence_statements(profile, document, state.evidence[:1])[0]
    text = f"{profile.country}: {state.option}"
    return [Statement(text, document, first.start, first.end)]


def _field_line(
    profile: FactsheetProfile, document: Document, item: ProfileField
) -> Statement | None:
    """A country's field in one line: its categories (or sub-rows), quoted from the label."""
    if item.categories:
        return Statement(
            f"{profile.country}: {_items(item.categories)}",
            document,
            item.label.start,
            item.categories[-1].end,
        )
    rows = [sub for sub in item.subfields if sub.key not in ("explanation", "results")]
    if rows:
        text = "; ".join(f"{sub.label.text}: {_items(sub.items)}" for sub in rows)
        last = rows[-1].items[-1].end if rows[-1].items else rows[-1].label.end
        return Statement(f"{profile.country}: {text}", document, item.label.start, last)
    if item.explanation:
        span = item.explanation[0]
        return Statement(f"{profile.country}: {clean(span.text)}", document, span.start, span.end)
    return None


def _matching_line(
    profile: FactsheetProfile, document: Document, item: ProfileField, span: TextSpan
) -> Statement:
    """A country's category that matched a comparison, with its field and policy."""
    name = f" ({profile.policy_name.text})" if profile.policy_name else ""
    text = f"{profile.country}{name}, {item.label.text}: {clean(span.text)}"
    return Statement(text, document, span.start, span.end)
