"""Charts are SVG drawn on the server: one named image, no script, no inline style."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from enlace.reports import charts

SERIES = {"Total": {"2015": 1814, "2016": 740, "2017": 667}, "Federal": {"2016": 194}}


def _drawn() -> dict[str, str]:
    return {
        "bar": charts.bar([("Male", 100), ("Female", 440)], title="By sex", unit="People"),
        "line": charts.line(SERIES, title="By year", unit="People"),
        "funnel": charts.funnel(
            [("Identified", 667), ("Referred", 300)], title="Path", unit="People"
        ),
        "tile_grid": charts.tile_grid(
            {"21": 15, "09": 52}, title="By state", unit="People", labels={"21": "PUE", "09": "CMX"}
        ),
    }


@pytest.mark.parametrize("kind", ["bar", "line", "funnel", "tile_grid"])
def test_it_draws_one_named_image_the_policy_allows(kind: str) -> None:
    svg = _drawn()[kind]
    opening = svg.split(">", 1)[0]
    assert opening.startswith("<svg") and 'role="img"' in opening
    assert "aria-label=" in opening and "<title>" in svg
    assert "<script" not in svg and "style=" not in svg and "href" not in svg


def test_it_writes_the_figures_and_labels_it_was_given() -> None:
    # The words drawn: the text of every element, <title> aside.
    texts = {
        k: re.sub(r"<[^>]+>", " ", svg.split("</title>", 1)[1]).split()
        for k, svg in _drawn().items()
    }
    assert {"Male", "Female", "100", "440"} <= set(texts["bar"])
    assert {"2015", "2017", "Total", "Federal"} <= set(texts["line"])
    assert {"Identified", "667", "300"} <= set(texts["funnel"])
    # Every state is a tile; one without a figure shows a dash, never a zero.
    assert {"PUE", "15", "CMX", "52"} <= set(texts["tile_grid"])
    assert len(re.findall(r"<path[^>]*fill=\"#ddd\"", _drawn()["tile_grid"])) == 32


def test_it_escapes_what_it_is_given() -> None:
    svg = charts.bar([("<script>", 1)], title='"><b>', unit="x")
    assert "<script>" not in svg and "<b>" not in svg


def test_it_numbers_the_axes_in_the_active_language() -> None:
    with translation.override("es-mx"):
        svg = charts.bar([("A", 1814)], title="t", unit="Personas")
    assert "Personas" in svg and "1,814" in svg
