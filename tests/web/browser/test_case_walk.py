"""A case in a real browser, in English and in Spanish: the Puebla prosecutor opens a case
with a plan and a follow-up due tomorrow, sees it on open work, asks to close the case,
its supervisor approves, and the caseworker reopens it. axe-core checks each page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.browser.conftest import axe_violations, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def _section(page: Any, heading: str) -> Any:
    return page.locator("section", has=page.get_by_role("heading", name=heading))


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_a_case_is_planned_followed_up_closed_with_approval_and_reopened(
    language: str, live_server: Any, cast: Cast, person: Person, new_page: Any
) -> None:
    url, page = live_server.url, new_page()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    w = sign_in(page, url, "alice", language)
    page.goto(f"{url}/people/{person.public_id}/")
    page.get_by_role("link", name=w("Open a case")).click()
    page.get_by_role("button", name=w("Open the case")).click()
    expect(page.locator("#case-status")).to_contain_text(w("Open"))
    assert axe_violations(page) == [], page.url

    page.get_by_role("link", name=w("Add a goal")).click()
    page.get_by_label(w("Goal"), exact=True).select_option(label=w("Safety and protection"))
    page.get_by_label(w("Legal assistance")).check()
    assert axe_violations(page) == [], page.url
    page.get_by_role("button", name=w("Record"), exact=True).click()
    expect(page.locator("#case-status")).to_contain_text(w("In assistance"))

    page.get_by_role("link", name=w("Schedule a follow-up")).click()
    page.get_by_label(w("What"), exact=True).select_option(label=w("Visit"))
    page.get_by_label(w("Due on")).fill(tomorrow)
    page.get_by_role("button", name=w("Record"), exact=True).click()
    expect(_section(page, w("Follow-ups"))).to_contain_text(tomorrow)

    page.goto(f"{url}/")
    due = _section(page, w("Follow-ups due"))
    expect(due).to_contain_text(person.public_id)
    expect(due).to_contain_text(tomorrow)
    expect(due.locator("li.overdue")).to_have_count(0)
    assert axe_violations(page) == [], page.url

    due.get_by_role("link", name=person.public_id).click()
    page.get_by_role("button", name=w("Close the case")).click()
    expect(page.locator(".error").first).to_be_visible()  # no reason chosen
    page.get_by_label(w("Why the case closes")).select_option(
        label=w("The case plan's goals were met")
    )
    page.get_by_role("button", name=w("Close the case")).click()
    expect(page.locator("#case-status")).to_contain_text(w("closure waits for a supervisor"))
    assert axe_violations(page) == [], page.url
    case_url = page.url
    sign_out(page, w)

    w = sign_in(page, url, "sam", language)
    waiting = _section(page, w("Case closures waiting for approval"))
    waiting.get_by_role("link", name=person.public_id).click()
    page.get_by_role("button", name=w("Approve the closure")).click()
    expect(page.locator("#case-status")).to_contain_text(w("Closed"))
    expect(page.locator("#case-closure")).to_contain_text(w("The case plan's goals were met"))
    assert axe_violations(page) == [], page.url
    sign_out(page, w)

    w = sign_in(page, url, "alice", language)
    page.goto(case_url)
    page.get_by_role("button", name=w("Reopen the case")).click()
    expect(page.locator("#case-status")).to_contain_text(w("Reopened"))
    assert axe_violations(page) == [], page.url
    page.goto(f"{url}/people/{person.public_id}/")
    expect(page.locator(".event-case")).to_contain_text(w("Reopened"))
