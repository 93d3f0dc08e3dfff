"""The analyst's dashboard in a real browser: filter, drill down, and back, in both languages."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from enlace.registry.services import identification_record, person_register
from tests.conftest import Cast
from tests.web.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _identify(cast: Cast, n: int, *, sex: str, day: datetime.date) -> None:
    for i in range(n):
        person = person_register(actor=cast.alice, identity={"given_names": f"{sex}{i}"}, sex=sex)
        identification_record(
            actor=cast.alice,
            person=person,
            identified_on=day,
            forms=["forced_labour"],
            status="identified",
            jurisdiction=cast.agency("FGE-PUE").jurisdiction,
            age_at_identification=30,
        )


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_the_analyst_filters_and_drills_down(
    language: str, live_server: Any, cast: Cast, new_page: Any
) -> None:
    _identify(cast, 6, sex="female", day=datetime.date(2017, 2, 1))
    _identify(cast, 5, sex="male", day=datetime.date(2017, 2, 1))
    page = new_page()
    w = sign_in(page, live_server.url, "ana", language)
    page.get_by_role("link", name=w("National dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2017")
    table = page.locator("#breakdown")
    expect(table.get_by_role("row", name="Puebla")).to_contain_text("11")
    assert axe_violations(page) == [], page.url

    # A filter from the form: htmx swaps the dashboard and the address follows.
    page.get_by_label(w("Sex")).select_option("male")
    page.get_by_role("button", name=w("Show")).click()
    expect(page).to_have_url(re.compile(r"sex=male"))
    expect(page.locator("#breakdown-total")).to_have_text("5")

    # Drill down from the state to its agencies (the form's "then by").
    name = w("Break down %(name)s") % {"name": "Puebla"}
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"state=21.*by=agency|by=agency.*state=21"))
    expect(page.locator("#breakdown").get_by_role("row", name="FGE-PUE")).to_contain_text("5")
    assert axe_violations(page) == [], page.url

    # The filter chip takes the filter off again.
    page.get_by_role("link", name=w("Remove the filter on %(name)s") % {"name": w("Sex")}).click()
    expect(page.locator("#breakdown-total")).to_have_text("11")
    expect(page.locator("#trend")).to_contain_text("2017")


def test_the_dashboard_fits_a_360_pixel_screen_without_javascript(
    live_server: Any, cast: Cast, browser: Any
) -> None:
    _identify(cast, 6, sex="female", day=datetime.date(2017, 2, 1))
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("password")
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server.url}/dashboard/?by=sex&then=age_band")
        page.get_by_role("link", name="Break down Female").click()
        assert "sex=female" in page.url and "by=age_band" in page.url
        assert "6" in page.locator("#breakdown-total").inner_text()
    finally:
        context.close()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/dashboard/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.close()


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_the_supervisor_reads_their_agency_dashboard(
    language: str, live_server: Any, cast: Cast, new_page: Any
) -> None:
    _identify(cast, 3, sex="female", day=datetime.date(2017, 2, 1))
    page = new_page()
    w = sign_in(page, live_server.url, "sam", language)
    page.get_by_role("link", name=w("Agency dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("FGE-PUE")
    row = page.locator("#agency-people").get_by_role("row", name=w("Identified"))
    expect(row).to_contain_text("3")
    assert axe_violations(page) == [], page.url
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
