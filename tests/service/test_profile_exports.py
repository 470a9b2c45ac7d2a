"""``/v1/profiles/export`` and the state-of-play chart: files read back with csv and openpyxl.

The index holds Morocco, Valdoria and two more synthetic factsheets (fake embedder, real app);
every exported value is checked against the document text at its span.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from policyqa.eval.synthetic import make_truth, to_markdown
from policyqa.ingest.factsheet import STATE_OF_PLAY_OPTIONS, Criterion
from policyqa.service.app import create_app
from policyqa.service.comparison import COLUMNS, Cell, ComparisonRow, parse_columns
from policyqa.service.exports import to_csv, to_xlsx
from tests.conftest import MOROCCO_MD, VALDORIA_MD, fake_engine

CHOSEN = "policy_type,instruments,history,continuity,scope"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("exports")
    paths = [MOROCCO_MD, VALDORIA_MD]
    for seed in (1, 2):
        truth = make_truth(seed)
        path = folder / f"{truth.slug}.md"
        path.write_text(to_markdown(truth), "utf-8")
        paths.append(path)
    engine = fake_engine(folder, paths)
    with TestClient(create_app(engine.settings, engine=engine)) as test_client:
        yield test_client


def _text(client: TestClient, doc_id: str) -> str:
    text: str = client.get(f"/v1/documents/{doc_id}").json()["text"]
    return text


def test_json_export_cites_every_value(client: TestClient) -> None:
    body = client.get(f"/v1/profiles/export?format=json&columns={CHOSEN}").json()
    assert [c["key"] for c in body["columns"]] == CHOSEN.split(",")
    rows = body["rows"]
    countries = [row["country"] for row in rows]
    assert "Morocco" in countries and "Valdoria" in countries and len(rows) == 4
    assert countries == sorted(countries, key=str.casefold)
    morocco = rows[countries.index("Morocco")]
    assert morocco["policy_name"]["value"] == "2021-2025 Industrial Acceleration Plan"
    assert morocco["cells"]["policy_type"]["value"] == "Sectoral policy"
    assert morocco["cells"]["scope"] | {"start": 0, "end": 0, "page": None} == {
        "value": "Sectoral policy", "level": 2, "start": 0, "end": 0, "page": None,
    }  # fmt: skip
    assert "Funding collaboration initiatives" in morocco["cells"]["instruments"]["value"]
    assert "Starting year: 2021" in morocco["cells"]["history"]["value"]
    for row in rows:
        text = _text(client, row["doc_id"])
        cells = [row["policy_name"], *row["cells"].values()]
        for cell in cells:
            if cell is None or cell["start"] is None:
                continue
            quoted = text[cell["start"] : cell["end"]]
            if cell["level"] is None:
                # a field's value is made of the texts inside its span, first and last included
                first = cell["value"].split("; ")[0].split(": ")[-1].split(", ")[0]
                assert first in quoted, (row["country"], cell)
            else:
                assert quoted.strip(), cell


def test_csv_export_reads_back_with_the_values_and_spans(client: TestClient) -> None:
    response = client.get(f"/v1/profiles/export?format=csv&columns={CHOSEN}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "policyqa-profiles.csv" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    rows = list(reader)
    assert reader.fieldnames is not None and reader.fieldnames[:4] == [
        "country", "year", "doc_id", "synthetic",
    ]  # fmt: skip
    assert {"continuity_level", "continuity_start", "instruments_end"} <= set(reader.fieldnames)
    by_country = {row["country"]: row for row in rows}
    morocco = by_country["Morocco"]
    assert morocco["year"] == "2023" and morocco["synthetic"] == "False"
    text = _text(client, morocco["doc_id"])
    name_span = slice(int(morocco["policy_name_start"]), int(morocco["policy_name_end"]))
    assert text[name_span] == morocco["policy_name"]
    assert text[int(morocco["policy_type_start"]) : int(morocco["policy_type_end"])] == (
        "Sectoral policy"
    )
    options = STATE_OF_PLAY_OPTIONS[Criterion.CONTINUITY]
    for row in rows:
        assert row["continuity"] == options[int(row["continuity_level"])]


def test_xlsx_export_opens_with_the_same_values_as_the_csv(client: TestClient) -> None:
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/v1/profiles/export?columns={CHOSEN}").content.decode("utf-8-sig")
            )
        )
    )
    response = client.get(f"/v1/profiles/export?format=xlsx&columns={CHOSEN}")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    xlsx_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 5


def test_exports_choose_countries_and_refuse_unknown_names(client: TestClient) -> None:
    body = client.get("/v1/profiles/export?format=json&countries=morocco,Valdoria").json()
    assert [row["country"] for row in body["rows"]] == ["Morocco", "Valdoria"]
    assert [c["key"] for c in body["columns"]] == [c.key for c in COLUMNS]  # all by default
    for query, status, words in [
        ("columns=instruments,colour", 400, "colour"),
        ("countries=Atlantis", 404, "Atlantis"),
        ("format=xls", 422, "format"),
        ("columns=" + "x" * 2000, 422, "columns"),
    ]:
        response = client.get(f"/v1/profiles/export?{query}")
        assert response.status_code == status, query
        assert words in response.json()["detail"]


def test_spreadsheet_formulas_in_values_stay_text() -> None:
    columns = parse_columns("policy_type,focus")
    row = ComparisonRow(
        doc_id="x.md", title="x", country="=HYPERLINK(\"http://evil\")", year=2023,
        synthetic=True, policy_name=Cell("@SUM(A1)", 0, 8, None),
        cells={"policy_type": Cell("+1+2", 0, 4, None), "focus": Cell("-3", 5, 7, None)},
    )  # fmt: skip
    line = next(csv.DictReader(io.StringIO(to_csv([row], columns))))
    assert line["country"] == '\'=HYPERLINK("http://evil")'
    assert line["policy_name"] == "'@SUM(A1)"
    assert (line["policy_type"], line["focus"]) == ("'+1+2", "'-3")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([row], columns))).active
    assert sheet is not None
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://evil")'


def test_state_of_play_chart_as_png_and_svg(client: TestClient, tmp_path: Path) -> None:
    png = client.get("/v1/profiles/state-of-play.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG") and len(png.content) > 10_000
    svg = client.get("/v1/profiles/state-of-play.svg?countries=Morocco,Valdoria")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg")
    words = " ".join(element.text or "" for element in root.iter() if element.tag.endswith("text"))
    assert "across 2 countries" in words and "Morocco" in words and "Valdoria" in words
    assert "Linora" not in words  # only the countries asked for
    assert client.get("/v1/profiles/state-of-play.gif").status_code == 422
    assert client.get("/v1/profiles/state-of-play.png?countries=Atlantis").status_code == 404
