"""The demo's casework: cases with plans, follow-ups (some overdue on open work), closures
approved by a supervisor, reopenings; written through the case services, audited."""

from __future__ import annotations

import pytest

from enlace.audit.models import AuditEvent
from enlace.cases.models import Case, FollowUp, Goal
from enlace.cases.selectors import follow_ups_due_for_user
from enlace.demo.seed import demo_users

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_at_every_stage(demo: None) -> None:
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"in_assistance", "closed", "reopened"}
    closed = Case.objects.filter(status="closed")
    assert closed.exclude(closure_reason="").count() == closed.count() > 10
    # Each closure a caseworker asked for, and a supervisor of the agency approved.
    assert not closed.filter(closure_approved_by__isnull=True).exists()
    approvers = closed.values_list("closure_approved_by__membership__role", flat=True)
    assert set(approvers) == {"supervisor"}
    assert Goal.objects.count() >= Case.objects.count()
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    approvals = AuditEvent.objects.filter(action="case.closure_approve")
    assert approvals.count() == closed.count() + Case.objects.filter(status="reopened").count()


def test_some_follow_ups_wait_on_open_work(demo: None) -> None:
    waiting = FollowUp.objects.filter(done_on__isnull=True).exclude(case__status="closed")
    case = waiting.select_related("case__agency").first()
    assert case is not None
    caseworker = demo_users().get(username=f"demo.{case.case.agency.code.lower()}")
    assert follow_ups_due_for_user(user=caseworker).exists()
