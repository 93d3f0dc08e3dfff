"""The casework walk of the acceptance criteria, in a real browser, in English and in Spanish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import Cast
from tests.web.browser.conftest import Words, axe_violations, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def _accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_a_person_is_registered_identified_referred_and_admitted(
    language: str, live_server: Any, cast: Cast, new_page: Any
) -> None:
    url = live_server.url
    page = new_page()

    # The state prosecutor's caseworker signs in and sees their agency.
    w = sign_in(page, url, "alice", language)
    if language != "en":
        assert w("Register a person") != "Register a person", "the Spanish catalogue is missing"
    expect(page.locator("header")).to_contain_text("FGE-PUE")
    _accessible(page)

    # Search first: the agency holds nobody like her.
    page.get_by_role("navigation").get_by_role("link", name=w("Register a person")).click()
    page.get_by_label(w("Given names")).fill("Rosa Elena")
    page.get_by_label(w("Paternal surname")).fill("Martínez")
    page.get_by_role("button", name=w("Search")).click()
    expect(page.get_by_text(w("Your agency holds nobody like this."))).to_be_visible()
    _accessible(page)
    page.get_by_role("button", name=w("Register a new person")).first.click()

    # What was typed in the search is there; a missing consent is said beside the box
    # and nothing typed is lost.
    expect(page.get_by_label(w("Given names"))).to_have_value("Rosa Elena")
    page.get_by_label(w("Maternal surname")).fill("Ortega")
    page.get_by_label(w("Birth date")).fill("2001-05-09")
    page.get_by_label(w("Sex"), exact=True).select_option("female")
    page.get_by_role("button", name=w("Register"), exact=True).click()
    expect(page.locator("#id_consent_error")).to_have_text(
        w("Registration needs the person's consent.")
    )
    expect(page.get_by_label(w("Maternal surname"))).to_have_value("Ortega")
    _accessible(page)
    page.locator("#id_consent").check()
    page.get_by_role("button", name=w("Register"), exact=True).click()

    # Screening with the prosecutors' protocol proposes a potential victim.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        w("Screen with an identification protocol")
    )
    _accessible(page)
    for box in page.locator("fieldset.questions input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name=w("Score the screening")).click()
    expect(page.locator(".notice")).to_have_text(w("The screening proposes a potential victim."))

    # The identification: sex trafficking, in Puebla, with consent to share.
    page.get_by_label(w("Sex trafficking")).check()
    page.get_by_label(w("The person agreed that their data be shared with other agencies.")).check()
    _accessible(page)
    page.get_by_role("button", name=w("Record"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(w("Identification recorded."))
    person_url = page.url
    assert re.search(r"/people/V-[0-9A-Z]{6}/$", person_url)
    expect(page.locator(".timeline")).to_contain_text(w("Potential victim"))
    expect(page.locator(".name")).to_have_text("Rosa Elena Martínez Ortega")
    _accessible(page)

    # Referred to FEVIMTRA, which runs the high-security shelter, for housing.
    page.get_by_role("link", name=w("Refer"), exact=True).click()
    fevimtra = cast.agency("FEVIMTRA")
    page.get_by_label(w("Refer to")).select_option(label=f"FEVIMTRA · {fevimtra.name}")
    page.get_by_label(w("Housing")).check()
    page.get_by_label(w("The person agreed to be referred to this agency.")).check()
    _accessible(page)
    page.get_by_role("button", name=w("Send referral")).click()
    expect(page.locator("#referral-status")).to_have_text(w("Sent"))
    referral_url = page.url
    sign_out(page, w)

    # The shelter's caseworker accepts from the inbox and admits her.
    w = sign_in(page, url, "fernanda", language)
    page.get_by_role("navigation").get_by_role("link", name=w("Referral inbox")).click()
    row = page.locator(".inbox-row").first
    expect(row).to_contain_text("FGE-PUE")  # the inbox has loaded before axe reads it
    _accessible(page)
    row.get_by_role("button", name=w("Accept")).click()
    expect(row).to_contain_text(w("Accepted"))
    row.get_by_role("link", name=w("Open the person")).click()
    expect(page).to_have_url(person_url)
    page.get_by_role("link", name=w("Admit to a shelter")).click()
    shelter = page.get_by_label(w("Shelter"), exact=True)
    expect(shelter.locator("option").first).to_contain_text("30")  # beds free of capacity
    _accessible(page)
    page.get_by_role("button", name=w("Admit"), exact=True).click()
    expect(page.locator(".timeline")).to_contain_text("Refugio Especializado de Alta Seguridad")
    expect(page.locator(".timeline")).to_contain_text(w("In the shelter"))
    _accessible(page)
    sign_out(page, w)

    # The sender sees the acceptance and how long it took.
    w = sign_in(page, url, "alice", language)
    answers = page.locator(
        "section", has=page.get_by_role("heading", name=w("Answers to your referrals"))
    )
    expect(answers).to_contain_text(w("Accepted"))
    page.goto(referral_url)
    expect(page.locator("#referral-status")).to_have_text(w("Accepted"))
    expect(page.locator("#time-to-answer")).not_to_be_empty()
    _accessible(page)
    sign_out(page, w)

    # Another state's prosecutor gets a 404 on the person's page.
    w = sign_in(page, url, "charlie", language)
    response = page.goto(person_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Not found"))
    response = page.goto(referral_url)
    assert response is not None and response.status == 404


def test_the_analyst_sees_only_national_figures(
    live_server: Any, cast: Cast, new_page: Any
) -> None:
    page = new_page()
    w: Words = sign_in(page, live_server.url, "ana", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(w("National figures"))
    _accessible(page)
    response = page.goto(f"{live_server.url}/people/")
    assert response is not None and response.status == 403


def test_pages_fit_a_360_pixel_screen(live_server: Any, cast: Cast, new_page: Any) -> None:
    page = new_page(width=360, height=740)
    sign_in(page, live_server.url, "alice", "en")
    for path in ("/", "/people/search/", "/people/new/", "/referrals/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, path
    _accessible(page)
