"""Charts drawn on the server: Vega-Lite specifications rendered to SVG by vl-convert.

Nothing runs in the browser and nothing is fetched: each function returns the
SVG text, ready to inline in a page (the strict Content-Security-Policy allows
it: the SVG carries presentation attributes, no ``style`` and no script) or in
the PDF. The SVG is one image to assistive technology (``role="img"``, with
the title as its name); the page shows the chart's data as a table beside it,
for screen readers and for copying.

Titles and labels come in already translated; the numbers on the axes follow
the active language (``format_locale``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Literal

import vl_convert
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

WIDTH = 320
BAR_COLOUR = "#1f5f8b"
# Mexico's 32 states as a tile grid: the profile's jurisdiction code, its column and row.
MX_TILES: dict[str, tuple[int, int]] = {
    "02": (0, 0), "26": (1, 0), "08": (2, 0), "05": (3, 0), "19": (4, 0),
    "03": (0, 1), "25": (1, 1), "10": (2, 1), "32": (3, 1), "24": (4, 1), "28": (5, 1),
    "18": (1, 2), "01": (2, 2), "11": (3, 2), "22": (4, 2), "13": (5, 2),
    "14": (1, 3), "16": (2, 3), "15": (3, 3), "09": (4, 3), "29": (5, 3), "30": (6, 3),
    "31": (8, 3),
    "06": (1, 4), "12": (2, 4), "17": (3, 4), "21": (4, 4), "20": (5, 4), "27": (6, 4),
    "04": (7, 4), "23": (8, 4),
    "07": (6, 5),
}  # fmt: skip


def _locale() -> Literal["es-MX", "en-US"]:
    return "es-MX" if (get_language() or "").startswith("es") else "en-US"


@lru_cache(maxsize=256)
def _svg(spec: str, locale: Literal["es-MX", "en-US"]) -> str:
    """vl-convert's SVG of a specification (as JSON text). The same figures draw the same
    chart: a page shown again, or a report downloaded again, redraws nothing."""
    return vl_convert.vegalite_to_svg(json.loads(spec), format_locale=locale)


def render(spec: Mapping[str, Any], *, title: str) -> SafeString:
    """The SVG of a Vega-Lite specification, named ``title`` for assistive technology."""
    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec}
    svg = _svg(json.dumps(full, sort_keys=True, default=str), _locale())
    label = escape(title)
    opening, rest = svg.split(">", 1)
    opening = opening.replace('class="marks"', 'class="marks chart"')
    # The markup is vl-convert's, whose text it escapes itself; the title is escaped here.
    return mark_safe(  # noqa: S308
        f'{opening} role="img" aria-label="{label}"><title>{label}</title>{rest}'
    )


def _config() -> dict[str, Any]:
    return {
        "background": "white",
        "font": "DejaVu Sans, sans-serif",
        "view": {"stroke": None},
        "axis": {"labelLimit": 260, "titleFontWeight": "normal", "tickCount": 5},
    }


def bar(rows: Iterable[tuple[str, float]], *, title: str, unit: str) -> SafeString:
    """Horizontal bars, one a row, in the order given, each with its value at its end."""
    values = [{"label": label, "value": value} for label, value in rows]
    y = {"field": "label", "type": "nominal", "sort": None, "title": None}
    return render(
        {
            "width": WIDTH,
            "config": _config(),
            "data": {"values": values},
            "encoding": {"y": y, "x": {"field": "value", "type": "quantitative", "title": unit}},
            "layer": [
                {"mark": {"type": "bar", "color": BAR_COLOUR}},
                {
                    "mark": {"type": "text", "align": "left", "dx": 3},
                    "encoding": {"text": {"field": "value", "type": "quantitative", "format": ","}},
                },
            ],
        },
        title=title,
    )


def line(
    series: Mapping[str, Mapping[str, float]], *, title: str, unit: str, legend: bool = True
) -> SafeString:
    """One line a series across the years (or any ordered keys), with a legend if asked."""
    values = [
        {"series": name, "x": str(x), "value": value}
        for name, points in series.items()
        for x, value in sorted(points.items())
    ]
    return render(
        {
            "width": WIDTH,
            "config": _config(),
            "data": {"values": values},
            "height": 160,
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "x", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
                "y": {"field": "value", "type": "quantitative", "title": unit},
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "sort": None,
                    "title": None,
                    "legend": {} if legend else None,
                },
            },
        },
        title=title,
    )


def funnel(steps: Iterable[tuple[str, float]], *, title: str, unit: str) -> SafeString:
    """Steps in order as bars centred on one axis, so the narrowing shows; values beside."""
    values = [
        {"order": i, "label": label, "value": value} for i, (label, value) in enumerate(steps)
    ]
    y = {"field": "label", "type": "nominal", "sort": {"field": "order"}, "title": None}
    return render(
        {
            "width": WIDTH,
            "config": _config(),
            "data": {"values": values},
            "transform": [
                {"calculate": "-datum.value / 2", "as": "start"},
                {"calculate": "datum.value / 2", "as": "end"},
            ],
            "encoding": {"y": y},
            "layer": [
                {
                    "mark": {"type": "bar", "color": BAR_COLOUR},
                    "encoding": {
                        "x": {"field": "start", "type": "quantitative", "axis": None},
                        "x2": {"field": "end"},
                    },
                },
                {
                    "mark": {"type": "text", "align": "left", "dx": 3},
                    "encoding": {
                        "x": {"field": "end", "type": "quantitative"},
                        "text": {"field": "value", "type": "quantitative", "format": ","},
                    },
                },
            ],
        },
        title=f"{title} ({unit})",
    )


def tile_grid(
    values: Mapping[str, float],
    *,
    title: str,
    unit: str,
    labels: Mapping[str, str],
    tiles: Mapping[str, tuple[int, int]] = MX_TILES,
) -> SafeString:
    """A tile per state (``tiles``: code to column and row), shaded by its value and
    marked with ``labels[code]`` (an abbreviation) and the value; states without a
    value are grey and marked with a dash, never with a zero."""
    data = [
        {
            "column": column,
            "row": row,
            "label": labels.get(code, code),
            "value": values.get(code),
            "text": f"{labels.get(code, code)} {values.get(code, '–')}",
        }
        for code, (column, row) in tiles.items()
    ]
    position = {
        "x": {"field": "column", "type": "ordinal", "axis": None},
        "y": {"field": "row", "type": "ordinal", "axis": None},
    }
    return render(
        {
            "config": _config(),
            "data": {"values": data},
            "encoding": position,
            "layer": [
                {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2, "color": "#ddd"}},
                {
                    "transform": [{"filter": "datum.value != null"}],
                    "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                    "encoding": {
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": unit,
                            "scale": {"scheme": "blues"},
                        },
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 8, "lineBreak": " "},
                    "encoding": {"text": {"field": "text"}},
                },
            ],
            "width": {"step": 44},
            "height": {"step": 36},
        },
        title=title,
    )
