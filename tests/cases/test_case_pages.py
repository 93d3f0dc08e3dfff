"""The case pages as a caseworker and a supervisor use them: open, plan, follow up (on open
work, overdue marked), ask to close, approve, reopen; another agency gets a 404."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from enlace.cases.models import Case, FollowUp
from enlace.cases.services import follow_up_schedule
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_caseworker_opens_plans_and_asks_to_close(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    page = alice.get(f"/people/{person.public_id}/").content.decode()
    assert "Open a case" in page

    response = alice.post(f"/people/{person.public_id}/case/new/", {"opened_on": "2017-06-01"})
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    alice.post(
        f"/cases/{case.pk}/goals/new/",
        {"category": "health", "services": ["medical"], "note": "Dental care first."},
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    alice.post(f"/cases/{case.pk}/follow-ups/new/", {"kind": "visit", "due_on": tomorrow})
    page = alice.get(f"/cases/{case.pk}/").content.decode()
    assert "In assistance" in page and "Physical and mental health" in page
    assert "Dental care first." in page

    response = alice.post(f"/cases/{case.pk}/close/", {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    alice.post(f"/cases/{case.pk}/close/", {"reason": "goals_met"})
    case.refresh_from_db()
    assert case.closure_pending and case.status == "in_assistance"
    # Alice cannot approve her own request.
    assert alice.post(f"/cases/{case.pk}/approve/").status_code == 403

    sam = signed_in(cast.sam)
    assert "Case closures waiting for approval" in sam.get("/").content.decode()
    sam.post(f"/cases/{case.pk}/approve/")
    case.refresh_from_db()
    assert case.status == "closed"

    alice.post(f"/cases/{case.pk}/reopen/")
    case.refresh_from_db()
    assert case.status == "reopened"
    timeline = alice.get(f"/people/{person.public_id}/").content.decode()
    assert "Reopened" in timeline


def test_open_work_lists_follow_ups_and_marks_the_overdue(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    alice.post(f"/people/{person.public_id}/case/new/", {"opened_on": "2017-06-01"})
    case = Case.objects.get()
    follow_up_schedule(actor=cast.alice, case=case, kind="call", due_on=datetime.date(2017, 7, 1))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    follow_up_schedule(actor=cast.alice, case=case, kind="visit", due_on=tomorrow)

    page = alice.get("/").content.decode()
    rows = page.split('id="h-follow-ups"')[1].split("</section>")[0]
    overdue, due = rows.split("<li")[1:]
    assert 'class="overdue"' in overdue and "2017-07-01" in overdue and "overdue" in overdue
    assert 'class="overdue"' not in due and tomorrow.isoformat() in due

    alice.post(f"/follow-ups/{FollowUp.objects.get(kind='call').pk}/done/")
    rows = alice.get("/").content.decode().split('id="h-follow-ups"')[1].split("</section>")[0]
    assert "2017-07-01" not in rows
    # Another agency's open work shows none of it.
    assert person.public_id not in signed_in(cast.charlie).get("/").content.decode()


def test_another_agency_gets_nothing(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    alice.post(f"/people/{person.public_id}/case/new/", {"opened_on": "2017-06-01"})
    case = Case.objects.get()
    charlie = signed_in(cast.charlie)
    assert charlie.get(f"/cases/{case.pk}/").status_code == 404
    assert charlie.post(f"/cases/{case.pk}/close/", {"reason": "declined"}).status_code == 404
    assert Case.objects.get().status == "open"


def test_a_transfer_is_sent_from_the_case(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    alice.post(f"/people/{person.public_id}/case/new/", {"opened_on": "2017-06-01"})
    case = Case.objects.get()
    form = alice.get(f"/cases/{case.pk}/transfer/").content.decode()
    assert "The person agreed to have their case transferred." in form
    fevimtra = cast.agency("FEVIMTRA")
    response = alice.post(
        f"/cases/{case.pk}/transfer/", {"to_agency": fevimtra.pk, "services": ["housing"]}
    )
    assert "A referral needs the person" in response.content.decode()
    alice.post(
        f"/cases/{case.pk}/transfer/",
        {"to_agency": fevimtra.pk, "services": ["housing"], "consent": "on"},
    )
    assert case.transfers.get().referral.to_agency == fevimtra
