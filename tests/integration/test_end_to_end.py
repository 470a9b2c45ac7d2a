"""End to end with the real bundled model: ingest real files, start the real app, check answers.

Every citation of every answer is checked against ``GET /v1/documents/{doc_id}``: the quote must
be exactly the document's text at the citation's span.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from policyqa.index import Embedder, IndexBuilder
from policyqa.service.app import create_app
from policyqa.service.pipeline import open_engine
from policyqa.settings import Settings
from tests.conftest import MOROCCO_MD, MOROCCO_PDF

pytestmark = pytest.mark.integration


def _client(settings: Settings, embedder: Embedder) -> TestClient:
    return TestClient(create_app(settings, engine=open_engine(settings, embedder=embedder)))


@pytest.fixture(scope="module")
def markdown_client(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> Iterator[TestClient]:
    settings = Settings(index_dir=tmp_path_factory.mktemp("md-index"))
    report = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD])
    assert report.added == ["eccp-factsheet-morocco-2023.md"] and not report.failed
    with _client(settings, real_embedder) as client:
        yield client


def ask(client: TestClient, question: str, **body: Any) -> dict[str, Any]:
    """POST /v1/ask and check the citation invariant of the response."""
    response = client.post("/v1/ask", json={"question": question, **body})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    texts: dict[str, str] = {}
    for citation in answer["citations"]:
        doc_id = citation["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = client.get(f"/v1/documents/{doc_id}").json()["text"]
        assert texts[doc_id][citation["start"] : citation["end"]] == citation["quote"]
        assert f"[{citation['id']}]" in answer["answer"]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    assert markers == {citation["id"] for citation in answer["citations"]}
    return answer


# (question, text the answer must contain, section the first citation must come from)
ANSWERABLE = [
    (
        "What are the policy objectives of Morocco's industrial policy?",
        "Increasing competitiveness and boosting scale up of SMEs",
        "Table 1 > POLICY OBJECTIVES",
    ),
    (
        "Which instruments does it use?",
        "Funding collaboration initiatives",
        "Table 1 > INSTRUMENTS",
    ),
    (
        "What technical assistance does the plan provide?",
        "coworking spaces",
        "Table 1 > INSTRUMENTS",
    ),
    ("How continuous has cluster policy been there?", "continuity", "Continuity"),
    (
        "Who is responsible for drafting and implementing the plan?",
        "Ministry of Industry and trade",
        "Table 1 > RESPONSIBLE AUTHORITIES",
    ),
    ("What is the budget of the policy?", "Data unavailable", "Table 1 > BUDGET"),
    (
        "Has the policy been evaluated?",
        "does not mention any form of evaluation",
        "Table 1 > POLICY EVALUATION",
    ),
    ("Who are the beneficiaries of the plan?", "Research organisations", "Table 1 > BENEFICIARIES"),
    (
        "When did the Industrial Acceleration Plan start?",
        "Starting year: 2021",
        "Table 1 > HISTORY",
    ),
    (
        "Which EU priorities is the policy aligned with?",
        "Digitalisation",
        "Table 1 > POLICY ALIGNMENT WITH THE EU PRIORITIES",
    ),
    (
        "Does Morocco take part in international cooperation?",
        "Euro-Mediterranean Partnership",
        "Cross-regional / international cooperation",
    ),
    ("Which reference discusses the performance of clusters in Morocco?", "Amraoui", "References"),
    ("What was the National Plan for Industrial Emergence?", "2009", ""),
]


@pytest.mark.parametrize(("question", "expected", "section"), ANSWERABLE)
def test_answers_cite_the_right_passage(
    markdown_client: TestClient, question: str, expected: str, section: str
) -> None:
    answer = ask(markdown_client, question)
    assert answer["answerable"], answer
    assert expected.lower() in answer["answer"].lower()
    assert answer["citations"][0]["section"].endswith(section) or any(
        citation["section"].endswith(section) for citation in answer["citations"]
    )
    assert all(citation["country"] == "Morocco" for citation in answer["citations"])


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "How do I bake sourdough bread?",
        "What is Germany's cluster policy?",
        "Who won the football world cup in 2022?",
    ],
)
def test_off_corpus_questions_are_not_answered(markdown_client: TestClient, question: str) -> None:
    answer = ask(markdown_client, question)
    assert answer["answerable"] is False and answer["citations"] == []
    assert "do not cover" in answer["answer"]


def test_search_returns_passages_with_spans_and_facets(markdown_client: TestClient) -> None:
    body = markdown_client.get(
        "/v1/search", params={"q": "instruments", "country": "Morocco"}
    ).json()
    top = body["results"][0]
    assert "INSTRUMENTS" in top["section"].upper()
    text = markdown_client.get(f"/v1/documents/{top['doc_id']}").json()["text"]
    assert text[top["start"] : top["end"]] == top["text"]
    assert body["facets"]["country"]["Morocco"] >= len(body["results"])


@pytest.fixture(scope="module")
def pdf_client(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder
) -> Iterator[TestClient]:
    settings = Settings(index_dir=tmp_path_factory.mktemp("pdf-index"))
    report = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_PDF])
    assert report.added == ["eccp-factsheet-morocco-2023.pdf"] and not report.failed
    with _client(settings, real_embedder) as client:
        yield client


def test_pdf_answers_cite_pages(pdf_client: TestClient) -> None:
    answer = ask(pdf_client, "What are the policy objectives of Morocco's industrial policy?")
    first = answer["citations"][0]
    assert first["section"].endswith("Table 1 > POLICY OBJECTIVES")
    assert first["page"] == 5
    assert "Promoting entrepreneurship, start-ups and spin-offs" in answer["answer"]
    history = ask(pdf_client, "When does the plan end?")
    assert any(c["page"] == 8 and "2025" in c["quote"] for c in history["citations"])
    document = pdf_client.get("/v1/documents/eccp-factsheet-morocco-2023.pdf").json()
    assert document["pages"] == 14 and document["country"] == "Morocco"
    assert "Strengthening the European economy" not in document["text"]


SYNTHETIC_FACTSHEET = "\n".join(
    [
        "# Country factsheet",
        "",
        "{country}",
        "",
        "Synthetic factsheet: a fictional country generated for testing policyqa; not real data.",
        "",
        "## 2. National cluster policy, programmes and initiatives",
        "",
        "**Table 1 - Overview of cluster policy in {country}**",
        "",
        "|   |  |",
        "|---|--|",
        "| Policy type:  | Dedicated cluster policy  |",
        "| Policy name:  | {policy}  |",
        "| <b>POLICY OBJECTIVES</b><br> | <p><b>Supporting internationalisation activities</b></p>"
        " <p><b>Promoting green transition</b></p> <p>The {policy} aims at internationalising"
        " {country}'s clusters and greening their value chains.</p> |",
        "| <b>INSTRUMENTS</b><br> | <b>Financial</b> | <b>Innovation vouchers</b>  |",
        "|   | <b>Period</b>  | <b>Permanent</b>   |",
        "",
        "Source: ECCP (2023)",
        "",
        "### 3. State of cluster policy",
        "",
        "#### **Continuity**",
        "",
        "{country} has supported clusters continuously since {year} through successive cluster"
        " programmes.",
        "",
    ]
)


def test_a_second_country_is_answered_from_its_own_document(
    tmp_path: Path, real_embedder: Embedder
) -> None:
    settings = Settings(index_dir=tmp_path / "index")
    synthetic = tmp_path / "synthetic-factsheet-norlandia.md"
    synthetic.write_text(
        SYNTHETIC_FACTSHEET.format(
            country="Norlandia", policy="Norlandia Cluster Programme", year=2011
        ),
        "utf-8",
    )
    report = IndexBuilder(settings, real_embedder).ingest_paths([MOROCCO_MD, synthetic])
    assert not report.failed
    with _client(settings, real_embedder) as client:
        documents = {d["doc_id"]: d for d in client.get("/v1/documents").json()["documents"]}
        assert documents["synthetic-factsheet-norlandia.md"]["synthetic"] is True
        assert documents["synthetic-factsheet-norlandia.md"]["country"] == "Norlandia"
        answer = ask(client, "What are the policy objectives of Norlandia?")
        assert "Promoting green transition" in answer["answer"]
        assert {c["doc_id"] for c in answer["citations"]} == {"synthetic-factsheet-norlandia.md"}
        morocco = ask(client, "What are Morocco's policy objectives?")
        assert {c["doc_id"] for c in morocco["citations"]} == {"eccp-factsheet-morocco-2023.md"}
