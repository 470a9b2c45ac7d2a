"""The published OpenAPI schema is what the service does: schemathesis against the real app.

Every operation of ``/openapi.json`` gets generated requests, valid and invalid (bounded examples,
a fixed seed), sent to the real app over a real index (built with the fake embedder, which keeps
this under a minute: what is checked here is the HTTP contract, not ranking). Every check runs:
no 5xx, every status documented, every response body valid against its schema, invalid data
rejected, valid data accepted. Requests carry a write key, so uploads and deletes run for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from policyqa.service.app import create_app
from policyqa.settings import IngestSettings, ServiceSettings, Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD, fake_engine

KEY = "contract-test-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Host": "testserver"}

# Where a request's validity depends on what JSON Schema cannot state, a schema-valid request may
# rightly be refused; the "valid data is accepted" check is off for these operations only (every
# other check still runs on them).
pytestmark = pytest.mark.slow  # about 15 s: the whole lane, not the edit-test loop

RULES_THE_SCHEMA_CANNOT_STATE = {
    # the latest user message has text, every user turn is within the question limit: rules
    # across messages -> 422
    "POST /v1/chat/completions",
    # the file's type is judged by its name's suffix (.pdf, .md, .txt) -> 415
    "POST /v1/documents",
}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    folder = tmp_path_factory.mktemp("contract") / "index"
    engine = fake_engine(folder, [MOROCCO_MD, VALDORIA_MD])
    app = create_app(
        Settings(
            index_dir=folder,
            service=ServiceSettings(reload_interval=0, api_keys=KEY, allowed_hosts="testserver"),
            ingest=IngestSettings(max_file_mb=1),
        ),
        engine=engine,
    )
    with TestClient(app):  # runs the lifespan: the engine is live for the generated requests
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def _operation_labels() -> list[str]:
    """Every operation of the schema ("POST /v1/ask", ...): the schema needs no index."""
    document = create_app(Settings(index_dir=Path("unused"))).openapi()
    return [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    ]


@pytest.mark.parametrize("label", _operation_labels())
def test_every_operation_keeps_its_contract(
    api_schema: schemathesis.BaseSchema, label: str
) -> None:
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]
    excluded: list[schemathesis.CheckFunction] = (
        [positive_data_acceptance] if label in RULES_THE_SCHEMA_CANNOT_STATE else []
    )

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def keeps_contract(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=HEADERS, excluded_checks=excluded)

    keeps_contract()


def test_the_schema_documents_the_errors_it_returns(api_schema: schemathesis.BaseSchema) -> None:
    """Each /v1 read route documents 401, 404/422 where they apply, and the readable 422 shape."""
    document = api_schema.raw_schema
    ask = document["paths"]["/v1/ask"]["post"]["responses"]
    assert {"401", "404", "413", "422", "503"} <= set(ask)
    validation = ask["422"]["content"]["application/json"]["schema"]["$ref"]
    assert validation.endswith("/ValidationErrorOut")
    shape = document["components"]["schemas"]["ValidationErrorOut"]["properties"]
    assert shape["detail"]["type"] == "string" and shape["errors"]["type"] == "array"
    chat = document["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert chat["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ChatErrorOut")
