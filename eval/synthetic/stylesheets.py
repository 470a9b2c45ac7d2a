"""The stylesheets the HTML writer lays factsheets out with, for the producer test bed.

A ``Stylesheet`` varies what a new user's producer varies: serif or sans fonts, body size
(8-12 pt), the label column's share of Table 1 (20-40 %), and ruled, shaded or borderless
tables. ``DEVELOPMENT_STYLESHEETS`` are the ones the PDF reader was developed against;
``HELD_OUT_STYLESHEET`` was written before the reader and is only ever evaluated, never looked
at while developing (its figures are reported, not tuned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Stylesheet:
    """One look for the HTML writer."""

    name: str
    family: str  # a CSS font-family list
    body_pt: float
    label_percent: int  # Table 1's label column, share of the table's width
    tables: Literal["ruled", "shaded", "borderless"]
    sub_percent: int = 22  # Table 1's sub-label column
    margin_mm: int = 20


DEVELOPMENT_STYLESHEETS: tuple[Stylesheet, ...] = (
    Stylesheet("sans-10-ruled", "'DejaVu Sans', sans-serif", 10, 25, "ruled"),
    Stylesheet("serif-11-shaded", "'DejaVu Serif', serif", 11, 35, "shaded"),
    Stylesheet("sans-8-borderless", "'Liberation Sans', sans-serif", 8, 20, "borderless", 18),
    Stylesheet("serif-12-ruled", "'Liberation Serif', serif", 12, 40, "ruled", 25, 18),
    Stylesheet("sans-9-shaded", "'DejaVu Sans', sans-serif", 9, 30, "shaded", 20),
)

#: Written before the reader; evaluated only.
HELD_OUT_STYLESHEET = Stylesheet(
    "held-out-serif-9.5-borderless", "'DejaVu Serif', serif", 9.5, 32, "borderless", 24, 22
)


def stylesheet_css(style: Stylesheet, country: str) -> str:
    """The CSS of ``style``, with the running header and footer naming ``country``."""
    size = style.body_pt
    rule = "0.6pt solid #555" if style.tables == "ruled" else "none"
    shade = "#e4e9f0" if style.tables == "shaded" else "transparent"
    zebra = "#f3f5f8" if style.tables == "shaded" else "transparent"
    return f"""
@page {{
  size: A4; margin: {style.margin_mm + 6}mm {style.margin_mm}mm;
  @top-left {{ content: "Country factsheet - {country}"; font-size: 7.5pt; }}
  @top-right {{ content: "Synthetic test corpus"; font-size: 7.5pt; }}
  @bottom-left {{ content: "Cluster policy factsheets"; font-size: 7.5pt; }}
  @bottom-right {{ content: "Page " counter(page); font-size: 7.5pt; }}
}}
body {{ font-family: {style.family}; font-size: {size}pt; line-height: 1.3; }}
h1 {{ font-size: {2.0 * size:.1f}pt; margin: 0.6em 0 0.4em; }}
h2 {{ font-size: {1.5 * size:.1f}pt; margin: 0.8em 0 0.4em; }}
h3 {{ font-size: {1.25 * size:.1f}pt; margin: 0.8em 0 0.3em; }}
p {{ margin: 0 0 0.6em; }}
p.item {{ margin-left: 1.2em; }}
div.break {{ break-before: page; }}
table {{ width: 100%; border-collapse: collapse; margin: 0.4em 0 0.8em; }}
td, th {{ vertical-align: top; text-align: left; padding: 0.25em 0.4em;
  border: {rule}; }}
td p {{ margin: 0 0 0.35em; }}
th {{ background: {shade}; }}
tr {{ break-inside: auto; }}
table.t1 col.label {{ width: {style.label_percent}%; }}
table.t1 col.sub {{ width: {style.sub_percent}%; }}
table.t1 thead td {{ background: {shade}; }}
table.t1 tbody tr:nth-child(even) td {{ background: {zebra}; }}
table.table2 td:first-child {{ width: 35%; }}
table.table3 td:first-child {{ width: 18%; }}
table.table3 td:nth-child(2) {{ width: 34%; }}
p.hl {{ background: #ffec96; }}
"""
