"""The non-punishment alert in a real browser, in English and in Spanish: INM records the
detention of a woman it knows only by her CURP; INM and the prosecutor that identified her
are alerted; INM learns only what it must do; each agency takes its alert and closes it
with what was done."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast
from tests.web.browser.conftest import axe_violations, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

NON_PUNISHMENT = "Known as a potential trafficking victim — apply the non-punishment protocol."


def _close(page: Any, w: Any, outcome: str) -> None:
    """From open work: open the alert, take it, close it with ``outcome``."""
    alerts = page.locator("section", has=page.get_by_role("heading", name=w("Alerts")))
    expect(alerts).to_contain_text(w("nobody has it"))
    alerts.get_by_role("link", name=w("Open the alert")).first.click()
    expect(page.locator("#alert-owner")).to_have_text(w("Nobody yet"))
    assert axe_violations(page) == [], page.url
    page.get_by_role("button", name=w("Take the alert")).click()
    expect(page.locator("#alert-owner")).not_to_have_text(w("Nobody yet"))
    page.get_by_role("button", name=w("Acknowledge with this outcome")).click()
    expect(page.locator(".error-summary, .error").first).to_be_visible()  # no outcome chosen
    page.get_by_label(w("What was done")).select_option(label=w(outcome))
    page.get_by_role("button", name=w("Acknowledge with this outcome")).click()
    expect(page.locator("#alert-outcome")).to_contain_text(w(outcome))
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_a_detained_victim_is_alerted_taken_and_closed(
    language: str, live_server: Any, cast: Cast, person: Person, new_page: Any
) -> None:
    detained = person_register(actor=cast.ines, identity={"curp": IDENTITY["curp"]})
    url, page = live_server.url, new_page()

    w = sign_in(page, url, "ines", language)
    page.goto(f"{url}/people/{detained.public_id}/")
    page.get_by_role("link", name=w("Detention or deportation")).click()
    page.get_by_label(w("On"), exact=True).fill("2017-08-03")
    page.get_by_role("button", name=w("Record"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(w(NON_PUNISHMENT))
    body = page.locator("main").inner_text()
    assert "FGE-PUE" not in body and w("Sex trafficking") not in body
    page.goto(f"{url}/")
    _close(page, w, "Released: not punished for what they were made to do")
    expect(page.locator("#alert-text")).to_have_text(w(NON_PUNISHMENT))
    sign_out(page, w)

    w = sign_in(page, url, "alice", language)
    _close(page, w, "Referred for victim assistance")
    sign_out(page, w)
