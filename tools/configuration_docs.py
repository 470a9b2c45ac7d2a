"""Write ``docs/configuration.md`` from the settings: ``python -m tools.configuration_docs``.

The page lists every field of ``policyqa.settings.Settings``: its environment variable (named as
pydantic-settings names it, from ``model_config``'s prefix and nested delimiter), type, default
and description, one table per section. It is generated so that it cannot drift from the code:
``--check`` exits 1 when the committed file differs from what ``render()`` gives, and
``tests/test_docs.py`` does the same check. A field without a description, or a section without a
docstring, stops the generator with the names of all of them.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import NoneType, UnionType

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

from policyqa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "configuration.md"
COMMAND = "python -m tools.configuration_docs"

TYPE_NAMES: dict[object, str] = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    Path: "path",
}


class UndocumentedSettingsError(ValueError):
    """Settings fields without a description, or sections without a docstring."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One setting: where it sits in the tree and how it is documented."""

    path: tuple[str, ...]  # field names from the root, e.g. ("embedding", "batch_size")
    variable: str  # the environment variable, e.g. POLICYQA_EMBEDDING__BATCH_SIZE
    annotation: object
    type: str
    default: str
    description: str


@dataclass(frozen=True, slots=True)
class Section:
    """The settings of one model in the tree (the root's own fields have path ())."""

    path: tuple[str, ...]
    doc: str
    entries: list[Entry]


def is_section(annotation: object) -> bool:
    """A nested settings model (as opposed to a value)."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def variable_name(root: type[BaseSettings], path: tuple[str, ...]) -> str:
    """The environment variable pydantic-settings reads for the field at ``path``."""
    config = root.model_config
    prefix = config.get("env_prefix", "")
    delimiter = config.get("env_nested_delimiter") or ""
    if len(path) > 1 and not delimiter:
        raise ValueError(f"{root.__name__} has nested sections but no env_nested_delimiter")
    name = prefix + delimiter.join(path)
    return name if config.get("case_sensitive", False) else name.upper()


def sections(root: type[BaseSettings] = Settings) -> list[Section]:
    """Every section of the settings tree, root first, each with its documented fields.

    Raises ``UndocumentedSettingsError`` naming every field without a description and every
    section without a docstring.
    """
    found: list[Section] = []
    missing: list[str] = []

    def visit(model: type[BaseModel], path: tuple[str, ...]) -> None:
        doc = inspect.cleandoc(model.__doc__ or "")
        if not doc:
            missing.append(f"{model.__name__} (section docstring)")
        entries: list[Entry] = []
        nested: list[tuple[type[BaseModel], tuple[str, ...]]] = []
        for name, field in model.model_fields.items():
            if field.alias or field.validation_alias:
                raise ValueError(f"{model.__name__}.{name}: aliases are not supported here")
            if is_section(field.annotation):
                nested.append((typing.cast(type[BaseModel], field.annotation), (*path, name)))
                continue
            variable = variable_name(root, (*path, name))
            if not (field.description or "").strip():
                missing.append(variable)
            entries.append(
                Entry(
                    path=(*path, name),
                    variable=variable,
                    annotation=field.annotation,
                    type=describe_type(field),
                    default=describe_default(field),
                    description=" ".join((field.description or "").split()),
                )
            )
        found.append(Section(path, doc, entries))
        for sub, sub_path in nested:
            visit(sub, sub_path)

    visit(root, ())
    if missing:
        raise UndocumentedSettingsError(
            "settings without a description (add description=... to the Field, or a docstring "
            "to the section): " + ", ".join(missing)
        )
    return found


def entries(root: type[BaseSettings] = Settings) -> Iterator[Entry]:
    """Every setting of the tree, in document order."""
    for section in sections(root):
        yield from section.entries


def describe_type(field: FieldInfo) -> str:
    """The field's type in words, with its bounds: ``integer, 1 to 1024``."""
    text = _type_words(field.annotation)
    bounds = {type(item): item for item in field.metadata}
    low = bounds.get(annotated_types.Ge) or bounds.get(annotated_types.Gt)
    high = bounds.get(annotated_types.Le) or bounds.get(annotated_types.Lt)
    if low is None and high is None:
        return text
    parts = []
    if isinstance(low, annotated_types.Ge):
        parts.append(f"{low.ge:,}")
    elif isinstance(low, annotated_types.Gt):
        parts.append(f"above {low.gt:,}")
    if isinstance(high, annotated_types.Le):
        parts.append(f"{high.le:,}")
    elif isinstance(high, annotated_types.Lt):
        parts.append(f"below {high.lt:,}")
    if isinstance(low, annotated_types.Ge) and isinstance(high, annotated_types.Le):
        return f"{text}, {parts[0]} to {parts[1]}"
    if isinstance(low, annotated_types.Ge):
        return f"{text}, at least {parts[0]}"
    if isinstance(high, annotated_types.Le):
        return f"{text}, at most {parts[0]}"
    return f"{text}, {' and '.join(parts)}"


def _type_words(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        choices = [f"`{_value(choice)}`" for choice in typing.get_args(annotation)]
        return "one of " + ", ".join(choices)
    if origin in (typing.Union, UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not NoneType]
        text = " or ".join(_type_words(arg) for arg in options)
        return text + " (optional)" if len(options) < len(typing.get_args(annotation)) else text
    if annotation in TYPE_NAMES:
        return TYPE_NAMES[annotation]
    return f"`{getattr(annotation, '__name__', annotation)}`"


def describe_default(field: FieldInfo) -> str:
    """The default as one would write it in the environment, or what its factory computes."""
    if field.default is not PydanticUndefined:
        return f"`{_value(field.default)}`"
    factory = field.default_factory
    if factory is None:
        return "required"
    summary = (inspect.getdoc(factory) or "").split("\n\n")[0]
    if not summary:
        raise UndocumentedSettingsError(
            f"default factory {getattr(factory, '__name__', factory)!r} needs a docstring: "
            "it is how the documentation states the default"
        )
    return _markdown(summary).rstrip(".")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return '""'
    return str(value)


def _markdown(text: str) -> str:
    """Docstring text as one table cell: RST literals as Markdown code, no line breaks or pipes."""
    return " ".join(text.split()).replace("``", "`").replace("|", "\\|")


def _heading(section: Section) -> str:
    return ".".join(section.path) if section.path else "Top level"


def render(root: type[BaseSettings] = Settings) -> str:
    """The Markdown of ``docs/configuration.md``."""
    found = sections(root)
    config = root.model_config
    prefix = config.get("env_prefix", "")
    delimiter = config.get("env_nested_delimiter") or ""
    example = next((entry for entry in entries(root) if len(entry.path) > 1), None)
    lines = [
        "# Configuration",
        "",
        f"<!-- Generated by `{COMMAND}` from `policyqa/settings.py`. Do not edit: change the",
        f"settings' descriptions and run `{COMMAND}`. -->",
        "",
        f"Every setting can be set by an environment variable: `{prefix}` and the field's name"
        + (
            f", nested sections joined with `{delimiter}` (for example `{example.variable}` sets "
            f"`{'.'.join(example.path)}`)"
            if example is not None
            else ""
        )
        + ". "
        + (
            "Names are case-insensitive. "
            if not config.get("case_sensitive", False)
            else "Names are case-sensitive. "
        )
        + "Values are validated when a command or a worker starts: a value out of range, or an "
        "unknown name inside a section, stops it with the validation error.",
        "",
        "The command line overrides some of them: `--index-dir` of `ingest`, `serve`, `ask` and "
        "`remove` (`index_dir`), and `serve`'s `--host`, `--port` and `--workers` (`service.*`). "
        "Changing `embedding.model` or "
        "any `chunking` value requires rebuilding the index (`policyqa ingest --rebuild "
        "PATH...`); an index built otherwise is refused with a message that says so. "
        "`retrieval.index_type` applies when the index is next written.",
        "",
        "Sections: " + ", ".join(f"[{_heading(s)}](#{_slug(_heading(s))})" for s in found) + ".",
    ]
    for section in found:
        lines += ["", f"## {_heading(section)}", ""]
        if section.path:
            lines += [_markdown(section.doc), ""]
        lines += ["| variable | type | default | description |", "|---|---|---|---|"]
        lines += [
            f"| `{entry.variable}` | {entry.type} | {entry.default} | "
            f"{_markdown(entry.description)} |"
            for entry in section.entries
        ]
    return "\n".join(lines) + "\n"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading (lower case, punctuation dropped, spaces as hyphens)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 when {TARGET.relative_to(ROOT)} is not what the settings give",
    )
    args = parser.parse_args(argv)
    try:
        text = render()
    except UndocumentedSettingsError as error:
        print(f"{COMMAND}: error: {error}", file=sys.stderr)
        return 1
    relative = TARGET.relative_to(ROOT)
    if args.check:
        current = TARGET.read_text("utf-8") if TARGET.is_file() else None
        if current != text:
            state = "is missing" if current is None else "is out of date"
            print(f"{relative} {state}: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, "utf-8")
    print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
