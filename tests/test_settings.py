"""Settings from the environment: a mistyped or invalid POLICYQA_* variable is one line."""

from __future__ import annotations

import pytest

from policyqa import cli
from policyqa.errors import SettingsError
from policyqa.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("POLICYQA_SERVICE__NO_SUCH", "1", "POLICYQA_SERVICE__NO_SUCH: unknown setting"),
        ("POLICYQA_NO_SUCH", "1", "POLICYQA_NO_SUCH: unknown setting"),
        ("POLICYQA_SERVICE__PORT", "abc", "POLICYQA_SERVICE__PORT: Input should be a valid int"),
    ],
)
def test_a_bad_variable_is_named_in_one_line(
    variable: str,
    value: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()
    status = cli.main(["ask", "anything"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines() == [f"policyqa: error: {err.strip().split(': ', 2)[2]}"]
    assert err.startswith(f"policyqa: error: {variable}: ")
    assert "Traceback" not in err


def test_good_variables_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYQA_SERVICE__PORT", "8123")
    monkeypatch.setenv("POLICYQA_INGEST__MAX_FILE_MB", "7")
    settings = load_settings()
    assert settings.service.port == 8123 and settings.ingest.max_file_mb == 7
