"""``GET /v1/profiles`` and ``GET /v1/profiles/{country}``: the factsheets as structured data.

Each value comes with its span in the document's canonical text; the models are in
``service.profile_schemas``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import V1_ROUTE, not_found
from policyqa.service.profile_schemas import CountryProfiles, ProfileList, ProfileOut

router = APIRouter(prefix="/v1/profiles", tags=["profiles"], responses=V1_ROUTE)


@router.get("", response_model=ProfileList)
def list_profiles(engine: EngineDep) -> ProfileList:
    """The structured profile of every indexed factsheet, with spans, sorted by country."""
    library = engine.profiles
    profiles = sorted(
        library.by_doc.values(), key=lambda p: ((p.country or "").casefold(), p.doc_id)
    )
    return ProfileList(profiles=[ProfileOut.of(p, library.documents[p.doc_id]) for p in profiles])


@router.get(
    "/{country}",
    response_model=CountryProfiles,
    responses=not_found("No indexed factsheet about this country"),
)
def country_profiles(country: str, engine: EngineDep) -> CountryProfiles:
    """The profiles of one country's factsheets (the country's name, any case)."""
    library = engine.profiles
    profiles = library.all_for_country(country.strip())
    if not profiles:
        known = ", ".join(library.countries()) or "none"
        raise HTTPException(
            status_code=404,
            detail=f"no indexed factsheet about {country!r} (countries: {known})",
        )
    return CountryProfiles(
        country=profiles[0].country or country,
        profiles=[ProfileOut.of(p, library.documents[p.doc_id]) for p in profiles],
    )
