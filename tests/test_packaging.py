"""The distribution: one import package from the top-level stage folders, no symlinks, and a
wheel built from a clean copy of the repository that installs and answers in a fresh venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]

#: Files beside the modules that the installed package needs at run time.
DATA_FILES = (
    "policyqa/py.typed",
    "policyqa/corpus/eccp-factsheet-morocco-2023.md",
    "policyqa/service/static/index.html",
    "policyqa/service/static/app.js",
    "policyqa/service/static/app.css",
    "policyqa/eval/data/gold-morocco.jsonl",
    "policyqa/eval/data/calibration.jsonl",
    "policyqa/eval/bench/recorded.json",
)


OFFLINE = ("--no-deps", "--no-index")  # the wheel alone: nothing fetched, no dependency resolved
BUILD_HOOK = (
    "import sys; from setuptools import build_meta; "
    "print('BUILT', getattr(build_meta, sys.argv[1])(sys.argv[2]))"
)


def tracked_files() -> dict[str, str]:
    """What git tracks: path -> mode (``120000`` is a symlink)."""
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    entries = (line.split("\t", 1) for line in listed.stdout.splitlines())
    return {name: stage.split()[0] for stage, name in entries}


def folder_of(package: str) -> Path:
    """The folder setuptools takes ``package`` from (longest ``package-dir`` prefix)."""
    mapping: dict[str, str] = SETUPTOOLS["package-dir"]
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in mapping:
            return ROOT / mapping[prefix] / Path(*parts[cut:])
    raise AssertionError(f"{package} has no package-dir entry")


def test_no_symlink_is_tracked() -> None:
    assert [name for name, mode in tracked_files().items() if mode == "120000"] == []


def test_every_package_folder_is_listed() -> None:
    """A new sub-package folder must be added to ``packages``, or the wheel would miss it."""
    listed = set(SETUPTOOLS["packages"])
    for package in listed:
        assert (folder_of(package) / "__init__.py").is_file(), package
    mapping: dict[str, str] = SETUPTOOLS["package-dir"]
    found = set()
    for package, folder in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    assert found == listed


@pytest.mark.slow
def test_wheel_from_a_clean_copy_installs_and_answers(tmp_path: Path) -> None:
    # a clean clone: only what git tracks (no .venv, build/ or caches)
    source = tmp_path / "source"
    for name in tracked_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = tmp_path / "dist"
    # setuptools' PEP 517 hooks, without build isolation (no download; setuptools is installed),
    # one process per hook as a build frontend does (setuptools keeps state between calls)
    built: dict[str, str] = {}
    for hook in ("build_wheel", "build_sdist"):
        run = subprocess.run(
            [sys.executable, "-c", BUILD_HOOK, hook, str(dist)],
            cwd=source,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        built[hook] = run.stdout.rsplit("BUILT ", 1)[1].strip()
    wheel, sdist = dist / built["build_wheel"], dist / built["build_sdist"]

    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    for name in DATA_FILES:
        assert name in in_wheel, name
    for package in SETUPTOOLS["packages"]:
        for module in folder_of(package).glob("*.py"):
            assert f"{package.replace('.', '/')}/{module.name}" in in_wheel, module
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for folder in ("ingest", "index", "service", "eval", "policyqa"):
        assert f"{folder}/__init__.py" in in_sdist
    assert "service/static/app.js" in in_sdist and "eval/data/gold-morocco.jsonl" in in_sdist

    # a fresh venv: the wheel installed into it, dependencies borrowed from this environment
    # (a .pth file; their .pth files, the editable install's among them, are not processed)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            *OFFLINE,
            wheel,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert (env_dir / "bin" / "policyqa").is_file()  # the console script

    question = (
        "import sys, policyqa\n"
        "from pathlib import Path\n"
        "from policyqa.settings import Settings\n"
        "from policyqa.service.pipeline import open_engine\n"
        "assert Path(policyqa.__file__).is_relative_to(sys.argv[1]), policyqa.__file__\n"
        "engine = open_engine(Settings(index_dir=sys.argv[2]), build_if_missing=True)\n"
        'result = engine.ask("What are the policy objectives of Morocco\'s industrial policy?")\n'
        "assert result.answer.answerable and result.answer.citations, result.answer\n"
        "print(result.answer.citations[0].doc_id, result.answer.citations[0].section)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": ""}
    answered = subprocess.run(
        [str(python), "-c", question, purelib, str(tmp_path / "index")],
        cwd=tmp_path,  # not the repository: nothing may come from the source tree
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert answered.returncode == 0, answered.stderr[-3000:]
    assert "eccp-factsheet-morocco-2023.md" in answered.stdout
    assert "POLICY OBJECTIVES" in answered.stdout
