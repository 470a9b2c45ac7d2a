"""Country names and adjectives, to recognise the country a question is about.

The world list lets the service say "the documents do not cover Germany" instead of answering a
question about Germany from Morocco's factsheet; countries of indexed documents (including
fictional ones in synthetic test factsheets) are added at run time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# name | adjectives and other names (facts, not text from elsewhere)
_WORLD = """
Afghanistan|Afghan
Albania|Albanian
Algeria|Algerian
Andorra|Andorran
Angola|Angolan
Argentina|Argentine|Argentinian
Armenia|Armenian
Australia|Australian
Austria|Austrian
Azerbaijan|Azerbaijani
Bahrain|Bahraini
Bangladesh|Bangladeshi
Belarus|Belarusian
Belgium|Belgian
Benin|Beninese
Bhutan|Bhutanese
Bolivia|Bolivian
Bosnia and Herzegovina|Bosnian|Bosnia
Botswana|Botswanan
Brazil|Brazilian
Brunei|Bruneian
Bulgaria|Bulgarian
Burkina Faso|Burkinabe
Burundi|Burundian
Cambodia|Cambodian
Cameroon|Cameroonian
Canada|Canadian
Cape Verde|Cape Verdean|Cabo Verde
Central African Republic
Chad|Chadian
Chile|Chilean
China|Chinese
Colombia|Colombian
Comoros|Comorian
Congo|Congolese
Costa Rica|Costa Rican
Croatia|Croatian
Cuba|Cuban
Cyprus|Cypriot
Czechia|Czech|Czech Republic
Denmark|Danish
Djibouti|Djiboutian
Dominican Republic|Dominican
Ecuador|Ecuadorian
Egypt|Egyptian
El Salvador|Salvadoran
Eritrea|Eritrean
Estonia|Estonian
Eswatini|Swazi
Ethiopia|Ethiopian
Faroe Islands|Faroese
Fiji|Fijian
Finland|Finnish
France|French
Gabon|Gabonese
Gambia|Gambian
Georgia|Georgian
Germany|German
Ghana|Ghanaian
Greece|Greek
Guatemala|Guatemalan
Guinea|Guinean
Haiti|Haitian
Honduras|Honduran
Hungary|Hungarian
Iceland|Icelandic
India|Indian
Indonesia|Indonesian
Iran|Iranian
Iraq|Iraqi
Ireland|Irish
Israel|Israeli
Italy|Italian
Ivory Coast|Ivorian|Côte d'Ivoire|Cote d'Ivoire
Jamaica|Jamaican
Japan|Japanese
Jordan|Jordanian
Kazakhstan|Kazakh|Kazakhstani
Kenya|Kenyan
Kosovo|Kosovar
Kuwait|Kuwaiti
Kyrgyzstan|Kyrgyz
Laos|Lao|Laotian
Latvia|Latvian
Lebanon|Lebanese
Lesotho|Basotho
Liberia|Liberian
Libya|Libyan
Liechtenstein
Lithuania|Lithuanian
Luxembourg|Luxembourgish
Madagascar|Malagasy
Malawi|Malawian
Malaysia|Malaysian
Mali|Malian
Malta|Maltese
Mauritania|Mauritanian
Mauritius|Mauritian
Mexico|Mexican
Moldova|Moldovan
Monaco|Monegasque
Mongolia|Mongolian
Montenegro|Montenegrin
Morocco|Moroccan|Marroquin|Kingdom of Morocco
Mozambique|Mozambican
Myanmar|Burmese|Burma
Namibia|Namibian
Nepal|Nepalese|Nepali
Netherlands|Dutch|Holland
New Zealand
Nicaragua|Nicaraguan
Niger|Nigerien
Nigeria|Nigerian
North Korea|North Korean
North Macedonia|Macedonian
Norway|Norwegian
Oman|Omani
Pakistan|Pakistani
Palestine|Palestinian
Panama|Panamanian
Paraguay|Paraguayan
Peru|Peruvian
Philippines|Filipino|Philippine
Poland|Polish
Portugal|Portuguese
Qatar|Qatari
Romania|Romanian
Russia|Russian|Russian Federation
Rwanda|Rwandan
San Marino|Sammarinese
Saudi Arabia|Saudi
Senegal|Senegalese
Serbia|Serbian
Sierra Leone|Sierra Leonean
Singapore|Singaporean
Slovakia|Slovak|Slovakian
Slovenia|Slovenian|Slovene
Somalia|Somali
South Africa|South African
South Korea|South Korean|Korea|Korean
South Sudan|South Sudanese
Spain|Spanish
Sri Lanka|Sri Lankan
Sudan|Sudanese
Sweden|Swedish
Switzerland|Swiss
Syria|Syrian
Taiwan|Taiwanese
Tajikistan|Tajik
Tanzania|Tanzanian
Thailand|Thai
Togo|Togolese
Tunisia|Tunisian
Turkey|Turkish|Türkiye
Turkmenistan|Turkmen
Uganda|Ugandan
Ukraine|Ukrainian
United Arab Emirates|Emirati|UAE
United Kingdom|British|UK|Britain|Great Britain
United States|American|USA|US|United States of America
Uruguay|Uruguayan
Uzbekistan|Uzbek
Venezuela|Venezuelan
Vietnam|Vietnamese|Viet Nam
Yemen|Yemeni
Zambia|Zambian
Zimbabwe|Zimbabwean
"""


def _fold(text: str) -> str:
    """Lower-case and strip accents, so that "Türkiye" matches "turkiye"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _world_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for line in _WORLD.strip().splitlines():
        names = [name.strip() for name in line.split("|") if name.strip()]
        for alias in names:
            aliases[_fold(alias)] = names[0]
    return aliases


WORLD_ALIASES = _world_aliases()
# aliases that are also ordinary words or abbreviations: matched only as written (case-sensitive)
_CASE_SENSITIVE = {"us", "uk", "uae", "chad", "guinea", "jordan", "georgia", "niger", "turkey"}


class CountryMatcher:
    """Finds the countries a text mentions, by name or adjective."""

    def __init__(self, indexed: Iterable[str] = ()) -> None:
        self.indexed = sorted(set(indexed))
        aliases = dict(WORLD_ALIASES)
        for country in self.indexed:
            known = _fold(country) in WORLD_ALIASES
            aliases[_fold(country)] = country
            # an indexed country's own spelling wins over the world list's canonical name
            for alias, canonical in list(aliases.items()):
                if _fold(canonical) == _fold(country):
                    aliases[alias] = country
            if not known:
                # a country the world list does not know (a fictional one in synthetic
                # factsheets): its usual adjective too ("Norlandian"), unless that is taken
                aliases.setdefault(_fold(adjective_of(country)), country)
        self._aliases = aliases
        ordered = sorted(aliases, key=len, reverse=True)  # longest first: "South Sudan" > "Sudan"
        self._pattern = re.compile(
            r"(?<![\w-])("
            + "|".join(re.escape(alias) for alias in ordered)
            + r")(?:'s|’s)?(?![\w-])",
            re.IGNORECASE,
        )

    def find(self, text: str) -> list[str]:
        """Countries mentioned in ``text``, in order of first mention, without repeats."""
        found: list[str] = []
        folded = _fold(text)
        for match in self._pattern.finditer(folded):
            alias = match.group(1)
            original = text[match.start(1) : match.end(1)]
            if alias in _CASE_SENSITIVE and not original[:1].isupper():
                continue
            if alias in {"us"} and original != "US":
                continue
            country = self._aliases[alias]
            if country not in found:
                found.append(country)
        return found

    def remove(self, text: str, countries: Iterable[str]) -> str:
        """``text`` without its mentions of ``countries`` (names, adjectives, possessives).

        Once a search is restricted to a country's documents, its name in the query no longer
        tells passages apart; left in, it pulls the query's embedding towards whatever passage
        names the country (a reference title, the introduction).
        """
        wanted = {_fold(country) for country in countries}
        folded = _fold(text)
        # offsets found in the folded text map back only when folding kept every character
        source = folded if len(folded) == len(text) else text
        kept: list[str] = []
        last = 0
        for match in self._pattern.finditer(source):
            alias = _fold(match.group(1))
            original = text[match.start(1) : match.end(1)]
            if alias in _CASE_SENSITIVE and not original[:1].isupper():
                continue
            if _fold(self._aliases.get(alias, "")) in wanted:
                kept.append(text[last : match.start()])
                last = match.end()
        kept.append(text[last:])
        return re.sub(r"\s{2,}", " ", "".join(kept)).strip()

    def is_indexed(self, country: str) -> bool:
        """True when some indexed document is about ``country``."""
        return country in self.indexed


def adjective_of(name: str) -> str:
    """The usual English adjective of a country name that the world list does not know.

    "Norlandia" -> "Norlandian", "Velora" -> "Veloran", "Kestan" -> "Kestani",
    "Ostmark" -> "Ostmarkian". Used for fictional (synthetic) countries only.
    """
    if name.endswith("a"):
        return name + "n"
    if name.endswith("stan"):
        return name + "i"
    if name[-1:] in "eiouy":
        return name[:-1] + "ian"
    return name + "ian"
