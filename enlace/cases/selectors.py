"""Reads of cases, scoped by the user as every record about a person is
(``registry.selectors.records_for_user``): the case's own agency while it holds the
person, the registering agency, and the national analyst (pseudonymous)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from enlace.accounts.permissions import case_agency
from enlace.cases.models import Case, FollowUp, Goal
from enlace.registry.models import Person
from enlace.registry.selectors import PersonScope, records_for_user


def case_list_for_user(*, user: Any, person: PersonScope | None = None) -> QuerySet[Case]:
    qs = Case.objects.select_related("person", "agency").prefetch_related(
        "goals", Prefetch("follow_ups", queryset=FollowUp.objects.select_related("done_by"))
    )
    return records_for_user(qs, user=user, person=person)


def case_get_for_user(*, user: Any, pk: int) -> Case:
    return get_object_or_404(case_list_for_user(user=user), pk=pk)


def case_of_agency_for_user(*, user: Any, person: Person) -> Case | None:
    """The user's agency's own case of ``person``, if it has one."""
    return case_list_for_user(user=user).filter(person=person, agency=case_agency(user)).first()


def goal_get_for_user(*, user: Any, pk: int) -> Goal:
    cases = case_list_for_user(user=user)
    return get_object_or_404(
        Goal.objects.select_related("case__person", "case__agency").filter(case__in=cases), pk=pk
    )


def follow_up_list_for_user(*, user: Any) -> QuerySet[FollowUp]:
    cases = case_list_for_user(user=user)
    return FollowUp.objects.select_related("case__person", "case__agency").filter(case__in=cases)


def follow_up_get_for_user(*, user: Any, pk: int) -> FollowUp:
    return get_object_or_404(follow_up_list_for_user(user=user), pk=pk)


def follow_ups_due_for_user(*, user: Any) -> QuerySet[FollowUp]:
    """Follow-ups not yet done on the user's agency's cases that are not closed, soonest first."""
    return (
        follow_up_list_for_user(user=user)
        .filter(case__agency=case_agency(user), done_on__isnull=True)
        .exclude(case__status=Case.Status.CLOSED)
        .order_by("due_on", "pk")
    )


def closures_to_approve_for_user(*, user: Any) -> QuerySet[Case]:
    """The user's agency's cases whose closure waits for a supervisor."""
    return (
        case_list_for_user(user=user)
        .filter(agency=case_agency(user), closure_requested_on__isnull=False)
        .exclude(status=Case.Status.CLOSED)
        .order_by("closure_requested_on", "pk")
    )
