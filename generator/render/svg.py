"""The small SVG builder the charts are drawn with (pure): elements, text, a figure with its table.

Only the SVG elements and attributes that `generator.sanitize` allows are written: no script, no
style sheet, no font and nothing from another host. Numbers are written by hand (`num`) so the same
input gives the same bytes; every text that goes into the markup is escaped with `html.escape`.
Used by the dashboard's charts and the conference deck's goals chart (`generator.render.charts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from generator.i18n import _

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
INK = "#000000"
BAR = "#0b4f9c"  # the theme's accent; 8:1 against white
OUTLINE = "#1b1f24"


def num(value: float) -> str:
    """A coordinate as short, fixed text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def el(name: str, attrs: dict[str, str | float], content: str = "") -> str:
    """An element with its attributes in the given order; numbers through `num`, text escaped."""
    parts = [name]
    for key, value in attrs.items():
        parts.append(f'{key}="{escape(value if isinstance(value, str) else num(value))}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{name}>"


def svg_text(x: float, y: float, text: str, anchor: str = "start", size: int = 13, cls: str = "label") -> str:
    attrs: dict[str, str | float] = {"class": cls, "x": x, "y": y, "fill": INK, "font-size": size}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    return el("text", attrs, escape(text))


def svg_root(title: str, desc: str, width: float, height: float, body: str) -> str:
    """An `<svg role="img">` named by its `<title>`, its `<desc>` stating every figure; it scales to its column."""
    attrs: dict[str, str | float] = {
        "xmlns": "http://www.w3.org/2000/svg",
        "role": "img",
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "width": "100%",
        "font-family": FONT,
    }
    return el("svg", attrs, el("title", {}, escape(title)) + el("desc", {}, escape(desc)) + body)


def figures_table(caption: str, head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A table of the chart's figures, right under it; the first column heads its row. Its caption is for
    screen readers (the figure's caption shows above the chart)."""
    cols = "".join(el("th", {"scope": "col"}, escape(h)) for h in head)
    body = "".join(
        el("tr", {}, el("th", {"scope": "row"}, escape(row[0])) + "".join(el("td", {}, escape(c)) for c in row[1:]))
        for row in rows
    )
    return el(
        "table",
        {"class": "chart-figures"},
        el("caption", {"class": "visually-hidden"}, escape(_("{chart}: the figures").format(chart=caption)))
        + el("thead", {}, el("tr", {}, cols))
        + el("tbody", {}, body),
    )


def figure(prefix: str, name: str, title: str, chart: str) -> str:
    return el("figure", {"class": "chart", "id": f"{prefix}-{name}"}, el("figcaption", {}, escape(title)) + chart)


def empty_note(message: str) -> str:
    return el("p", {"class": "chart-empty"}, escape(message))
