"""Type-check the package as it installs: ``python -m tools.typecheck`` (``make typecheck``).

The import package ``policyqa`` is assembled by setuptools from several top-level folders
(``[tool.setuptools] package-dir`` maps ``policyqa.ingest`` to ``ingest/`` and so on). mypy names
modules after folders, so it cannot see that mapping, nor the editable install's import hook. This
script mirrors the installed layout in ``build/typecheck/policyqa`` with symlinks to the real
folders (outside the repository, rebuilt on every run), runs mypy over it with the settings of
``pyproject.toml`` (whose ``mypy_path`` points there), and reports errors at the real paths.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "build" / "typecheck"


def package_dirs() -> dict[str, str]:
    """``package-dir`` of ``pyproject.toml``: import package -> folder relative to the root."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    return mapping


def build_tree() -> dict[Path, Path]:
    """Mirror the installed layout with symlinks; returns mirrored prefix -> real folder."""
    mapping = package_dirs()
    root_package = mapping.pop("policyqa")
    package = TREE / "policyqa"
    if TREE.exists():
        for link in sorted(TREE.rglob("*"), reverse=True):
            if link.is_symlink() or link.is_file():
                link.unlink()
            elif link.is_dir():
                link.rmdir()
    package.mkdir(parents=True, exist_ok=True)
    prefixes = {}
    for entry in (ROOT / root_package).iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    prefixes[package] = ROOT / root_package
    for name, folder in mapping.items():
        sub = name.removeprefix("policyqa.")
        (package / sub).symlink_to(ROOT / folder, target_is_directory=True)
        prefixes[package / sub] = ROOT / folder
    return prefixes


def real_paths(report: str, prefixes: dict[Path, Path]) -> str:
    """mypy's report with mirrored paths replaced by the files' own (longest prefix first)."""
    for mirrored, real in sorted(prefixes.items(), key=lambda item: -len(str(item[0]))):
        for form in (str(mirrored), str(mirrored.relative_to(ROOT))):
            report = report.replace(form + "/", str(real.relative_to(ROOT)) + "/")
    return report


def main() -> int:
    prefixes = build_tree()
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    sys.stdout.write(real_paths(stdout, prefixes))
    sys.stderr.write(stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
