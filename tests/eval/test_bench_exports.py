"""The export benchmark runs and prints a row per export (three countries, one run each)."""

from __future__ import annotations

import pytest

from policyqa.eval.bench import exports


def test_the_export_benchmark_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert exports.main(["--countries", "3", "--repeats", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("export latency, 3 countries")
    names = [line[:24].strip() for line in lines[2:]]
    assert names == ["rows (all 14 columns)", "json", "csv", "xlsx", "chart svg", "chart png"]
    for line in lines[2:]:
        median, p95 = (float(value) for value in line[24:].split())
        assert 0 < median <= p95


def test_the_export_benchmark_refuses_nonsense() -> None:
    with pytest.raises(SystemExit) as stopped:
        exports.main(["--countries", "0"])
    assert stopped.value.code == 2
