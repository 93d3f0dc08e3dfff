"""A case from opening to closure and back: the plan, follow-ups, the supervisor's approval
that Mexico's profile asks for, reopening; each step audited, each refused to outsiders."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.cases import services as cases
from enlace.cases.models import Case, Goal
from enlace.registry.models import Person
from tests.cases.conftest import later
from tests.conftest import DAY, Cast

pytestmark = pytest.mark.django_db


def _actions(case: Case) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_it_opens_one_case_per_person_and_agency(cast: Cast, person: Person, case: Case) -> None:
    assert (case.status, case.agency.code, case.opened_on) == ("open", "FGE-PUE", DAY)
    with pytest.raises(ValidationError) as exc:
        cases.case_open(actor=cast.bob, person=person)
    assert "opened_on" in exc.value.message_dict


def test_the_first_goal_puts_the_case_in_assistance(cast: Cast, case: Case) -> None:
    goal = cases.goal_add(
        actor=cast.alice,
        case=case,
        category="housing",
        services=["housing", "psychological"],
        note="Prefers a shelter away from Puebla.",
        set_on=later(1),
    )
    case.refresh_from_db()
    assert case.status == "in_assistance"
    goal.refresh_from_db()
    assert (goal.services, goal.note) == (
        ["housing", "psychological"],
        "Prefers a shelter away from Puebla.",
    )
    # The note is encrypted in the database and out of the audit row.
    row = AuditEvent.objects.get(action="case.goal_add")
    assert row.after is not None and row.after["note"] == "[encrypted]"
    cases.goal_status_set(actor=cast.alice, goal=goal, status=Goal.Status.MET)
    assert Goal.objects.get().status == "met"


def test_it_refuses_a_service_that_does_not_exist(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as exc:
        cases.goal_add(actor=cast.alice, case=case, category="health", services=["spa"])
    assert "services" in exc.value.message_dict
    assert not Goal.objects.exists()


def test_a_caseworkers_closure_waits_for_a_supervisor(cast: Cast, case: Case) -> None:
    cases.case_close(actor=cast.alice, case=case, reason="goals_met", closed_on=later(30))
    case.refresh_from_db()
    assert case.status == "open" and case.closure_pending
    assert (case.closure_reason, case.closure_requested_by) == ("goals_met", cast.alice)

    with pytest.raises(PermissionDenied):
        cases.case_closure_approve(actor=cast.bob, case=case)  # a colleague, not a supervisor
    cases.case_closure_approve(actor=cast.sam, case=case)
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_approved_by) == (
        "closed",
        later(30),
        cast.sam,
    )
    assert _actions(case) == ["case.open", "case.closure_request", "case.closure_approve"]


def test_a_refused_closure_leaves_the_case_open(cast: Cast, case: Case) -> None:
    cases.case_close(actor=cast.alice, case=case, reason="lost_contact")
    cases.case_closure_refuse(actor=cast.sam, case=case)
    case.refresh_from_db()
    assert (case.status, case.closure_pending, case.closure_reason) == ("open", False, "")


def test_a_supervisor_closes_at_once(cast: Cast, case: Case) -> None:
    cases.case_close(actor=cast.sam, case=case, reason="declined")
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_approved_by is None


def test_it_closes_at_once_where_the_profile_asks_no_approval(cast: Cast, case: Case) -> None:
    from enlace.directory.models import CountryProfile

    CountryProfile.objects.update(supervisor_approves=[])
    cases.case_close(actor=cast.alice, case=case, reason="returned")
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "returned")


def test_a_closed_case_is_reopened_and_worked_again(cast: Cast, case: Case) -> None:
    cases.case_close(actor=cast.sam, case=case, reason="lost_contact", closed_on=later(10))
    with pytest.raises(ValidationError):
        cases.follow_up_schedule(actor=cast.alice, case=case, kind="call", due_on=later(20))
    with pytest.raises(ValidationError):
        cases.case_reopen(actor=cast.alice, case=case, reopened_on=later(5))  # before it closed
    cases.case_reopen(actor=cast.alice, case=case, reopened_on=later(40))
    case.refresh_from_db()
    assert (case.status, case.reopened_on, case.closed_on, case.closure_reason) == (
        "reopened",
        later(40),
        None,
        "",
    )
    follow_up = cases.follow_up_schedule(actor=cast.alice, case=case, kind="call", due_on=later(50))
    cases.follow_up_done(actor=cast.bob, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.done_by == cast.bob and follow_up.done_on is not None


def test_transferred_is_not_a_reason_to_choose(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as exc:
        cases.case_close(actor=cast.sam, case=case, reason="transferred")
    assert "reason" in exc.value.message_dict


def test_it_refuses_dates_in_the_future_and_before_the_case(cast: Cast, case: Case) -> None:
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        cases.case_close(actor=cast.sam, case=case, reason="declined", closed_on=tomorrow)
    with pytest.raises(ValidationError):
        cases.follow_up_schedule(
            actor=cast.alice, case=case, kind="visit", due_on=DAY - datetime.timedelta(days=1)
        )
    # A follow-up is due in the future: that is its point.
    cases.follow_up_schedule(actor=cast.alice, case=case, kind="visit", due_on=tomorrow)


SERVICES = {
    "case_open": lambda u, c, case: cases.case_open(actor=u, person=case.person),
    "goal_add": lambda u, c, case: cases.goal_add(actor=u, case=case, category="legal"),
    "follow_up_schedule": lambda u, c, case: cases.follow_up_schedule(
        actor=u, case=case, kind="call", due_on=later(3)
    ),
    "case_close": lambda u, c, case: cases.case_close(actor=u, case=case, reason="declined"),
    "case_closure_approve": lambda u, c, case: cases.case_closure_approve(actor=u, case=case),
    "case_reopen": lambda u, c, case: cases.case_reopen(actor=u, case=case),
    "case_transfer": lambda u, c, case: cases.case_transfer(
        actor=u, case=case, to_agency=c.agency("DIF"), services=["legal"], consent=True
    ),
}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("who", ["charlie", "ana", "audrey", "nobody"])
def test_it_refuses_who_may_not_and_writes_nothing(
    cast: Cast, case: Case, service: str, who: str
) -> None:
    last = AuditEvent.objects.order_by("pk").last()
    with pytest.raises(PermissionDenied):
        SERVICES[service](getattr(cast, who), cast, case)
    assert not AuditEvent.objects.filter(pk__gt=last.pk if last else 0).exists()
