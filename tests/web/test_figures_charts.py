"""The analyst's figures page draws its breakdowns and the funnel, each beside its table."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import DAY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(cast: Cast, foreigner: Person) -> Person:
    """The Guatemalan woman, referred and accepted, now identified as a victim (forced labour)."""
    identification_record(
        actor=cast.alice,
        person=foreigner,
        identified_on=DAY,
        forms=["forced_labour"],
        status="identified",
    )
    return foreigner


def _charts(page: str) -> list[str]:
    return re.findall(r"<svg[^>]*>.*?</svg>", page, re.S)


def test_it_draws_each_breakdown_and_the_funnel_beside_its_table(
    cast: Cast, victim: Person
) -> None:
    page = signed_in(cast.ana).get("/figures/?year=2017").content.decode()
    charts = _charts(page)
    labels = [re.search(r'aria-label="([^"]*)"', svg).group(1) for svg in charts]  # type: ignore[union-attr]
    assert labels == [
        "By sex",
        "By form of exploitation",
        "By level of government",
        "From identification to restitution (People)",
    ]
    assert all('role="img"' in svg and "style=" not in svg for svg in charts)
    # The figures drawn are the table's: one woman, identified, referred, accepted.
    bars = re.sub(r"<[^>]+>", " ", charts[0].split("</title>")[1]).split()
    assert "Female" in bars and "1" in bars
    assert '<td>Female</td><td class="num">1</td>' in page
    funnel = re.sub(r"<[^>]+>", " ", charts[3].split("</title>")[1])
    assert "Referral accepted" in funnel
    assert '<td>Referral accepted</td><td class="num">1</td>' in page


def test_it_speaks_spanish_in_its_charts(cast: Cast, victim: Person) -> None:
    page = signed_in(cast.ana, "es-mx").get("/figures/?year=2017").content.decode()
    assert 'aria-label="Por sexo"' in page
    assert "Femenino" in re.sub(r"<[^>]+>", " ", _charts(page)[0])


def test_it_draws_nothing_for_a_year_without_figures(cast: Cast, victim: Person) -> None:
    page = signed_in(cast.ana).get("/figures/?year=2016").content.decode()
    assert _charts(page) == []


def test_it_links_the_year_s_report_in_both_languages(cast: Cast, person: Person) -> None:
    page = signed_in(cast.ana).get("/figures/?year=2016").content.decode()
    for fmt in ("pdf", "xlsx"):
        for lang in ("es", "en"):
            assert f"/figures/report.{fmt}?year=2016&amp;lang={lang}" in page
    assert signed_in(cast.charlie).get("/figures/report.xlsx?year=2016").status_code == 403


def _identified_total(workbook: bytes) -> Any:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Identified in the country"]
    return next(row[2] for row in sheet.iter_rows(values_only=True) if row[0] == "total")


def test_a_download_follows_the_records_it_counts(cast: Cast, victim: Person) -> None:
    """A drawn workbook is kept for the next download of the same figures, never past
    them: one more identification, and the next download counts it."""
    client = signed_in(cast.ana)
    first = client.get("/figures/report.xlsx?year=2017&lang=en").content
    assert client.get("/figures/report.xlsx?year=2017&lang=en").content == first
    other = person_register(actor=cast.alice, identity={"given_names": "Lucía"}, sex="female")
    identification_record(
        actor=cast.alice,
        person=other,
        identified_on=DAY,
        forms=["forced_labour"],
        status="identified",
    )
    again = client.get("/figures/report.xlsx?year=2017&lang=en").content
    assert _identified_total(again) == _identified_total(first) + 1
