"""What a question asks about: its search terms, the countries it names, and its aspect.

The aspect is the part of the factsheet template a question is about: a Table 1 field
("objectives", "instruments", ...), a state-of-play criterion ("scope", "continuity",
"performance", "support_instruments"), or a narrative ("cooperation", "context", "references").
It is recognised through the template's words and their usual synonyms and paraphrases ("what
does it aim at" is about objectives; "how long has it existed" about continuity; "tools" and
"support measures" about instruments), by explicit patterns that can be read and extended.
"""

from __future__ import annotations

import re

from policyqa.index.lexical import analyse
from policyqa.service.countries import CountryMatcher
from policyqa.service.types import Question

# Words that shape a question without naming its subject ("Which instruments does it *use*?",
# "*Tell* me about..."): left out of the question's terms so they do not count as unmatched content.
_QUESTION_FILLER = frozenset(
    analyse(
        "use uses used using tell describe explain list give show say says said mention mentions "
        "mentioned provide provides provided please know find exist exists existing there here "
        "me us anything something thing things much many"
    )
)

# Aspects in priority order: when several match, the first listed wins ("Which reference
# discusses the performance of clusters?" is about references, not about performance).
ASPECT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "references",
            r"\breferences?\b|\bbibliograph|\bsources?\b(?! of funding)|\bcit(?:e|es|ed|ing)\b"
            r"|\bwho wrote\b|\bwritten by\b|\bliterature\b|\bpublications?\b",
        ),
        ("annex", r"\bannex\b|\bdefin(?:e|es|ed|ition)\b|\banalytical framework\b"),
        (
            "support_instruments",
            r"\bcluster support instruments?\b|\bsupport instruments? for clusters?\b"
            r"|\binstruments? (?:for|of) cluster development\b",
        ),
        (
            "performance",
            r"\bevidence of performance\b|\bperformance\b|\beffectiveness\b|\bdoes (?:it|the \w+) "
            r"work\b",
        ),
        (
            "continuity",
            r"\bcontinu(?:ity|ous|ously|ed|es|e)\b|\bhow long has\b|\bsince when\b"
            r"|\bestablished\b|\bexisted\b|\bhow (?:old|new) is\b|\btradition\b|\bpredecessors?\b"
            r"|\bpreceded\b|\bcame before\b|\bsuccessors? of\b"
            r"|\b(?:previous|earlier|former|prior) (?:plans?|programmes?|polic(?:y|ies)|strateg)",
        ),
        (
            "scope",
            r"\bdedicated cluster polic|\bcluster[- ]specific polic|\bpolicy scope\b|\bscope\b"
            r"|\b(?:have|has|possess|run|runs|is there|are there) (?:a|an|any|its own) "
            r"(?:national |regional |specific |dedicated )?cluster (?:policy|strategy|programme)\b"
            r"|\bwhat (?:kind|type|sort) of (?:policy|plan|strategy|programme)\b|\bpolicy type\b"
            r"|\btype of (?:the )?policy\b",
        ),
        (
            "policy",
            r"\b(?:name|title) of (?:the |its |\w+'s )?(?:\w+ )?(?:polic|plan|programme|strateg)"
            r"|\bcalled\b|\bnamed\b|\b(?:policy|plan|programme|strategy) name\b"
            r"|\bwhich (?:policy|plan|programme|strategy) (?:does|is|did)\b",
        ),
        (
            "objectives",
            r"\bobjectives?\b|\baims?\b|\baim(?:s|ed)? (?:at|to)\b|\bgoals?\b|\bpurposes?\b"
            r"|\b(?:want|wants|hope|hopes|try|tries|trying|meant) to (?:achieve|accomplish|reach)\b"
            r"|\bseeks? to\b|\bintends? to\b|\bintended to\b"
            r"|\bwhat (?:does|do|should|will) (?:it|they|the \w+|\w+'s \w+) "
            r"(?:achieve|accomplish)\b",
        ),
        (
            "focus",
            r"\bfocus(?:es|ed)?\b|\bconcentrat|\bwhich (?:sectors?|industr(?:y|ies)|"
            r"technolog(?:y|ies))\b|\bsectors? (?:targeted|covered)\b",
        ),
        (
            "authorities",
            r"\bresponsib|\bauthorit|\bin charge\b|\bministr(?:y|ies)\b|\bagenc(?:y|ies)\b"
            r"|\bgovernment bod(?:y|ies)\b|\bwho (?:runs|manages|implements|drafted|drafts|designed"
            r"|oversees|administers|leads|monitors|supervises)\b|\bdrafting\b|\boversee"
            r"|\bsupervis|\bgovernance\b"
            r"|\bwhich (?:body|bodies|institutions?|part of the government)\b",
        ),
        (
            "beneficiaries",
            r"\bbeneficiar|\bwho (?:benefits|can benefit|gets|can apply|is eligible|is targeted"
            r"|receives)\b|\beligib|\btarget (?:groups?|audience)\b|\bgets? help\b"
            r"|\bwhat kinds? of (?:companies|firms|organi[sz]ations)\b"
            r"|\b(?:which|what) (?:kinds? of |types? of )?(?:companies|firms|organi[sz]ations)\b"
            r"|\bwho (?:is|are) (?:supported|helped)\b|\bbenefit(?:s|ing|ed)?\b"
            r"|\bstands? to gain\b|\bgains? from\b",
        ),
        (
            "instruments",
            r"\binstruments?\b|\btools?\b|\bsupport measures?\b|\bmeasures\b|\bschemes?\b"
            r"|\bfinancial (?:support|assistance|aid)\b|\btechnical (?:support|assistance)\b"
            r"|\bwhat (?:kinds? of |types? of |sort of )?support\b|\bhow does\b.{0,80}\bsupport\b"
            r"|\bgrants?\b"
            r"|\bvouchers?\b|\bhelp (?:is there|does)\b|\bwhat help\b",
        ),
        (
            "history",
            r"\bhistory\b|\bwhen (?:did|does|was|will|is)\b|\bstart(?:ed|s|ing)?\b|\bbegin"
            r"|\bbegan\b|\blaunch|\bend(?:s|ed)?\b|\bending\b|\bexpire|\bhow long (?:will|does|is)"
            r"|\buntil when\b|\bduration\b|\blimited in time\b|\bwhat year\b",
        ),
        (
            "budget",
            r"\bbudgets?\b|\bhow much (?:money|funding)\b|\bsource of funding\b|\bfunding source"
            r"|\bfinanced by\b|\bcosts?\b|\bspend|\beur\b|\beuros?\b|\bmoney\b|\ballocat"
            r"|\bfunded\b|\binvest(?:s|ed|ing|ment)?\b",
        ),
        (
            "evaluation",
            r"\bevaluat|\bassess(?:ed|ment)?\b|\bmonitor|\breviewed\b|\bresults?\b",
        ),
        (
            "alignment",
            r"\beu priorit|\beuropean priorit|\balign|\bdigitali[sz]ation\b"
            r"|\b(?:green|digital)(?: and (?:green|digital))? transitions?\b"
            r"|\bsocial inclusion\b|\bresilience\b|\beuropean agenda\b|\bthemes? of the european\b",
        ),
        (
            "cooperation",
            r"\bcooperat|\bcollaboration (?:between|with|across)\b|\binternational\b"
            r"|\bcross[- ](?:border|regional)\b|\binnosup\b|\bescp\b|\bconsorti|\bpartnerships?\b"
            r"|\bmediterranean\b",
        ),
        (
            "context",
            r"\beconom(?:y|ic|ies)\b|\bcovid|\bpandemic\b|\bwar\b|\brecovery plan\b|\bgdp\b"
            r"|\bshocks?\b|\binflation\b",
        ),
    )
)

#: Sub-rows a question may single out, per aspect: (sub-row key, pattern).
SUBFIELD_PATTERNS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    aspect: tuple((key, re.compile(pattern, re.IGNORECASE)) for key, pattern in rows)
    for aspect, rows in {
        "instruments": (
            ("financial", r"\bfinanc|\bfund|\bgrants?\b|\bvouchers?\b|\bmoney\b"),
            ("technical_assistance", r"\btechnical\b|\bcoaching\b|\btraining\b|\bskills?\b"),
            ("period", r"\bperiod\b|\blimited\b|\bpermanent\b|\bunlimited\b"),
        ),
        "history": (
            ("starting_year", r"\bstart|\bbegin|\bbegan\b|\blaunch|\bsince when\b"),
            ("ending_year", r"\bend(?:s|ed)?\b|\bending\b|\buntil\b|\bexpire|\bhow long will\b"),
        ),
        "budget": (
            ("annual", r"\bannual|\bper year\b|\byearly\b|\beach year\b"),
            ("source", r"\bsource|\bfinanced by\b|\bwho (?:pays|funds|finances)\b"),
            ("overall", r"\boverall\b|\btotal\b"),
        ),
        "evaluation": (
            ("availability", r"\bavailab|\bbeen evaluated\b|\bis there an? evaluation\b"),
            ("results", r"\bresults?\b|\bfindings?\b|\bfound\b"),
        ),
    }.items()
}

# Questions over several countries ("Which countries ...", "Compare ...").
_COMPARISON = re.compile(
    r"\bwhich (?:countries|nations|policies|factsheets)\b|\bwhat countries\b"
    r"|\ball (?:the )?(?:countries|factsheets|policies)\b|\bacross (?:the )?countries\b"
    r"|\bhow many countries\b|\bcompar(?:e|es|ed|ing|ison)\b|\beach country\b|\bevery country\b"
    r"|\bin which countries\b|\blist (?:the |all )?countries\b|\bdifferences? between\b"
    r"|\bversus\b|\bvs\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(r"^\s*(?:does|do|did|is|are|was|were|has|have|had|can|will)\b", re.I)


_CLUSTER_POLICY = re.compile(r"\bcluster (?:polic(?:y|ies)|programmes?|strateg(?:y|ies))\b", re.I)


def detect_aspects(text: str) -> tuple[str, ...]:
    """The aspects a question is about, in priority order.

    A yes/no question about a cluster policy that names no other aspect ("Does X run a cluster
    programme of its own?") asks about the policy scope.
    """
    found = tuple(name for name, pattern in ASPECT_PATTERNS if pattern.search(text))
    if not found and _YES_NO.match(text) and _CLUSTER_POLICY.search(text):
        return ("scope",)
    return found


def detect_subfields(text: str, aspect: str | None) -> tuple[str, ...]:
    """The sub-rows of ``aspect`` the question singles out, in template order."""
    if aspect is None:
        return ()
    return tuple(key for key, pattern in SUBFIELD_PATTERNS.get(aspect, ()) if pattern.search(text))


def parse_question(text: str, matcher: CountryMatcher) -> Question:
    """Analyse ``text`` against the countries of the index."""
    countries = matcher.find(text)
    covered = [country for country in countries if matcher.is_indexed(country)]
    missing = [country for country in countries if not matcher.is_indexed(country)]
    aspects = detect_aspects(text)
    return Question(
        text=text,
        terms=tuple(term for term in analyse(text) if term not in _QUESTION_FILLER),
        countries=tuple(countries),
        covered_countries=tuple(covered),
        missing_countries=tuple(missing),
        aspects=aspects,
        subfields=detect_subfields(text, aspects[0] if aspects else None),
        comparison=bool(_COMPARISON.search(text)) or len(covered) >= 2,
        yes_no=bool(_YES_NO.match(text)),
    )
