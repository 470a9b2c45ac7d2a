"""The state of play across countries as a picture: criteria x levels, PNG or SVG.

One row per criterion, one column per level (0-3, the template's options in Table 2's order);
each cell is shaded by how many countries the factsheets place there and lists them (or, when
there are too many to read, says how many). Drawn with matplotlib's object API on the Agg
canvas, so requests may draw concurrently without pyplot's global state.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from policyqa.service.comparison import Column, ComparisonRow

#: A cell lists its countries up to this many; beyond, it gives the count.
MAX_NAMES = 6
#: matplotlib's names of the two formats.
FORMATS = {"png": "png", "svg": "svg"}


def level_counts(
    rows: Sequence[ComparisonRow], criteria: Sequence[Column]
) -> list[list[list[str]]]:
    """``grid[criterion][level]``: the countries at each level of each criterion."""
    grid: list[list[list[str]]] = [[[] for _ in range(4)] for _ in criteria]
    for row in rows:
        for index, column in enumerate(criteria):
            cell = row.cells.get(column.key)
            if cell is not None and cell.level is not None:
                grid[index][cell.level].append(row.country)
    return grid


def draw_state_of_play(
    rows: Sequence[ComparisonRow], criteria: Sequence[Column], image_format: str
) -> bytes:
    """The chart as PNG or SVG bytes."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: imported on demand
    from matplotlib.figure import Figure

    grid = level_counts(rows, criteria)
    counts = [[len(cell) for cell in line] for line in grid]
    figure = Figure(figsize=(12, 1.2 + 1.5 * len(criteria)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, len(rows)), aspect="auto")
    axes.set_xticks(range(4), [f"level {level}" for level in range(4)])
    axes.set_yticks(range(len(criteria)), [column.label.capitalize() for column in criteria])
    axes.tick_params(length=0)
    for y, (column, line) in enumerate(zip(criteria, grid, strict=True)):
        for x, countries in enumerate(line):
            option = textwrap.fill(column.options[x], 34)
            if len(countries) > MAX_NAMES:
                listed = f"{len(countries)} countries"
            else:
                listed = textwrap.fill(", ".join(countries), 40) if countries else "—"
            dark = counts[y][x] > 0.6 * max(1, len(rows))
            axes.text(
                x, y, f"{option}\n\n{listed}", ha="center", va="center", fontsize=7.5,
                color="white" if dark else "black",
            )  # fmt: skip
    axes.set_title(f"State of play of cluster policy across {len(rows)} countries", loc="left")
    figure.tight_layout()
    buffer = io.BytesIO()
    # SVG keeps its words as text (searchable, editable in a report), not glyph outlines
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format=FORMATS[image_format], metadata=_metadata(image_format))
    return buffer.getvalue()


def _metadata(image_format: str) -> dict[str, str | None]:
    """No creation date in the file, so the same state of play gives the same bytes."""
    return {"Date": None} if image_format == "svg" else {}
