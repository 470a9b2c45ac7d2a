"""``GET /v1/profiles/export`` and ``GET /v1/profiles/state-of-play.{png,svg}``: for reports.

The export is the comparison of ``service.comparison`` (a row per country's preferred
factsheet, the chosen columns, each value with its doc_id and span) as CSV, XLSX or JSON; the
picture is ``service.state_chart``'s. Included before ``routes.profiles``, whose
``/v1/profiles/{country}`` would otherwise take "export" for a country.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from policyqa.service.comparison import (
    COLUMNS,
    Column,
    ComparisonRow,
    UnknownColumnError,
    UnknownCountryError,
    comparison_rows,
    parse_columns,
)
from policyqa.service.engine_state import EngineDep
from policyqa.service.error_responses import V1_ROUTE
from policyqa.service.exports import to_csv, to_json, to_xlsx
from policyqa.service.schemas import ErrorDetail
from policyqa.service.state_chart import draw_state_of_play

router = APIRouter(prefix="/v1/profiles", tags=["profiles"], responses=V1_ROUTE)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_KEYS = ", ".join(column.key for column in COLUMNS)
# the schema states which lists are valid; the route answers others with 400 naming the unknown
_KEY = "(" + "|".join(column.key for column in COLUMNS) + ")"
COLUMNS_PATTERN = f"^ *{_KEY}? *(, *{_KEY}? *)*$"

ColumnsQuery = Annotated[
    str | None,
    Query(
        max_length=1000,
        description=f"Comma-separated columns (default all): {COLUMN_KEYS}.",
        json_schema_extra={"pattern": COLUMNS_PATTERN},
    ),
]
CountriesQuery = Annotated[
    str | None,
    Query(max_length=4000, description="Comma-separated countries (default every country)."),
]


def _comparison(
    engine: EngineDep, columns: str | None, countries: str | None
) -> tuple[list[ComparisonRow], list[Column]]:
    """The rows and columns asked for; 400 naming an unknown column, 404 an unknown country."""
    names = [name.strip() for name in (countries or "").split(",") if name.strip()]
    try:
        chosen = parse_columns(columns)
        return comparison_rows(engine.profiles, chosen, names), chosen
    except UnknownColumnError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    except UnknownCountryError as error:
        raise HTTPException(status_code=404, detail=str(error.args[0])) from error


@router.get(
    "/export",
    responses={
        200: {
            "content": {"text/csv": {}, XLSX_TYPE: {}, "application/json": {}},
            "description": "The comparison as a file.",
        },
        400: {"model": ErrorDetail, "description": "Unknown column"},
        404: {"model": ErrorDetail, "description": "No factsheet about a country asked for"},
    },
)
def export_profiles(
    engine: EngineDep,
    format: Annotated[Literal["csv", "xlsx", "json"], Query()] = "csv",
    columns: ColumnsQuery = None,
    countries: CountriesQuery = None,
) -> Response:
    """A row per country's factsheet: country, year, policy name, the chosen fields and criteria,
    and the doc_id and span of every value."""
    rows, chosen = _comparison(engine, columns, countries)
    if format == "json":
        return JSONResponse(to_json(rows, chosen))
    if format == "csv":
        body: bytes = to_csv(rows, chosen).encode("utf-8-sig")  # the BOM: Excel reads UTF-8
        media_type = "text/csv; charset=utf-8"
    else:
        body, media_type = to_xlsx(rows, chosen), XLSX_TYPE
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="policyqa-profiles.{format}"'},
    )


@router.get(
    "/state-of-play.{image_format}",
    responses={
        200: {"content": {"image/png": {}, "image/svg+xml": {}}, "description": "The chart."},
        404: {"model": ErrorDetail, "description": "No factsheet about a country asked for"},
    },
)
async def state_of_play_chart(
    engine: EngineDep,
    image_format: Literal["png", "svg"],
    countries: CountriesQuery = None,
) -> Response:
    """The state of play across countries: the four criteria x their four levels."""
    rows, chosen = _comparison(
        engine, ",".join(c.key for c in COLUMNS if c.kind == "criterion"), countries
    )
    # drawing takes a few hundred milliseconds of CPU: off the event loop
    image = await run_in_threadpool(draw_state_of_play, rows, chosen, image_format)
    media_type = "image/png" if image_format == "png" else "image/svg+xml"
    return Response(image, media_type=media_type, headers={"Cache-Control": "no-cache"})
