"""Every change of a case: open, plan, follow up, close (with a supervisor's approval
where the country profile asks for one), reopen and transfer to another agency.

Each service is atomic, checks the role and that the case is the actor's agency's
(and that the agency still holds the person), and writes its audit row. A transfer
is a referral (``referrals.services.referral_send``): consent, the receiver's
answer and the identity rule are the referral's; ``hooks.py`` moves the case when
the receiver accepts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, require
from enlace.assistance.models import ServiceKind
from enlace.audit.services import save_audited, snapshot
from enlace.cases.models import Case, FollowUp, Goal, Transfer
from enlace.core.services import lock
from enlace.directory.models import Agency
from enlace.directory.selectors import profile_requires_approval
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import require_held

Status = Case.Status
CLOSURE = "case_closure"


def _day(on: datetime.date | None, field: str) -> datetime.date:
    """The day something happened: today if not given, never in the future."""
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise ValidationError({field: _("This cannot be dated in the future.")})
    return on


def _require_own_case(actor: Any, case: Case, action: Action = Action.CASE_RECORD) -> None:
    """The actor's role may do ``action``, the case is their agency's, and it holds the person."""
    membership = require(actor, action)
    if case.agency_id != membership.agency_id:
        raise PermissionDenied(_("This case is another agency's."))
    require_held(actor=actor, person=case.person)


def _require_open(case: Case, field: str = "status") -> None:
    if case.is_closed:
        raise ValidationError({field: _("This case is closed: reopen it first.")})


def _services(services: Iterable[str]) -> list[str]:
    chosen = sorted(set(services))
    if bad := [s for s in chosen if s not in ServiceKind.values]:
        raise ValidationError({"services": _("Unknown service: %s") % ", ".join(bad)})
    return chosen


@transaction.atomic
def case_open(*, actor: Any, person: Person, opened_on: datetime.date | None = None) -> Case:
    """Open the actor's agency's case of a person it holds: one case per person and agency."""
    membership = require(actor, Action.CASE_RECORD)
    require_held(actor=actor, person=person)
    existing = Case.objects.filter(person=person, agency=membership.agency).first()
    if existing is not None:
        if existing.is_closed:
            raise ValidationError({"opened_on": _("Your agency's case is closed: reopen it.")})
        raise ValidationError({"opened_on": _("Your agency already has a case open.")})
    case = Case(
        person=person,
        agency=membership.agency,
        opened_on=_day(opened_on, "opened_on"),
        recorded_by=actor,
    )
    save_audited(actor=actor, action="case.open", obj=case)
    return case


@transaction.atomic
def goal_add(
    *,
    actor: Any,
    case: Case,
    category: str,
    services: Iterable[str] = (),
    note: str = "",
    set_on: datetime.date | None = None,
) -> Goal:
    """A goal of the case plan; the first one puts an open case in assistance."""
    _require_own_case(actor, case)
    lock(case)
    _require_open(case, "category")
    goal = Goal(
        case=case,
        category=category,
        services=_services(services),
        note=note.strip(),
        set_on=_day(set_on, "set_on"),
    )
    if goal.set_on < case.opened_on:
        raise ValidationError({"set_on": _("A goal cannot be set before the case was opened.")})
    save_audited(actor=actor, action="case.goal_add", obj=goal)
    if case.status == Status.OPEN:
        before = snapshot(case)
        case.status = Status.IN_ASSISTANCE
        save_audited(actor=actor, action="case.in_assistance", obj=case, before=before)
    return goal


@transaction.atomic
def goal_status_set(*, actor: Any, goal: Goal, status: str) -> Goal:
    """A goal met or dropped (or pending again)."""
    _require_own_case(actor, goal.case)
    lock(goal)
    _require_open(goal.case)
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    before = snapshot(goal)
    goal.status = status
    save_audited(actor=actor, action="case.goal_status", obj=goal, before=before)
    return goal


@transaction.atomic
def follow_up_schedule(
    *, actor: Any, case: Case, kind: str, due_on: datetime.date, note: str = ""
) -> FollowUp:
    """Something to do about the case by ``due_on``: on open work until done."""
    _require_own_case(actor, case)
    _require_open(case, "due_on")
    if due_on < case.opened_on:
        raise ValidationError({"due_on": _("A follow-up cannot be due before the case opened.")})
    follow_up = FollowUp(case=case, kind=kind, due_on=due_on, note=note.strip())
    save_audited(actor=actor, action="case.follow_up", obj=follow_up)
    return follow_up


@transaction.atomic
def follow_up_done(
    *, actor: Any, follow_up: FollowUp, done_on: datetime.date | None = None
) -> FollowUp:
    _require_own_case(actor, follow_up.case)
    lock(follow_up)
    if follow_up.done_on is not None:
        raise ValidationError({"done_on": _("This follow-up is already done.")})
    before = snapshot(follow_up)
    follow_up.done_on, follow_up.done_by = _day(done_on, "done_on"), actor
    save_audited(actor=actor, action="case.follow_up_done", obj=follow_up, before=before)
    return follow_up


def _close(actor: Any, case: Case, reason: str, on: datetime.date, action: str) -> Case:
    before = snapshot(case)
    case.status, case.closure_reason, case.closed_on = Status.CLOSED, reason, on
    case.closure_approved_by = actor if case.closure_requested_on else None
    save_audited(actor=actor, action=action, obj=case, before=before)
    return case


@transaction.atomic
def case_close(
    *, actor: Any, case: Case, reason: str, closed_on: datetime.date | None = None
) -> Case:
    """Close the case with a reason; where the profile asks for it, ask a supervisor to.

    A caseworker's closure waits for a supervisor of the agency when the country
    profile lists ``case_closure`` in ``casework.supervisor_approves``: the case
    stays as it is, marked as waiting. A supervisor's own closure needs nobody else.
    """
    membership = require(actor, Action.CASE_RECORD)
    _require_own_case(actor, case)
    lock(case)
    _require_open(case)
    if reason not in Case.ClosureReason.values or reason == Case.ClosureReason.TRANSFERRED:
        # Transferred is set by the receiving agency's acceptance, never by hand.
        raise ValidationError({"reason": _("Choose why the case closes.")})
    on = _day(closed_on, "closed_on")
    if on < case.opened_on:
        raise ValidationError({"closed_on": _("A case cannot close before it was opened.")})
    if case.closure_pending:
        raise ValidationError({"reason": _("A closure already waits for a supervisor.")})
    if membership.role != Role.SUPERVISOR and profile_requires_approval(CLOSURE):
        before = snapshot(case)
        case.closure_reason, case.closure_requested_on = reason, on
        case.closure_requested_by = actor
        save_audited(actor=actor, action="case.closure_request", obj=case, before=before)
        return case
    return _close(actor, case, reason, on, "case.close")


@transaction.atomic
def case_closure_approve(*, actor: Any, case: Case) -> Case:
    """A supervisor of the case's agency closes it as the caseworker asked."""
    _require_own_case(actor, case, Action.CASE_APPROVE)
    lock(case)
    if not case.closure_pending:
        raise ValidationError({"status": _("No closure of this case waits for approval.")})
    assert case.closure_requested_on is not None
    return _close(
        actor, case, case.closure_reason, case.closure_requested_on, "case.closure_approve"
    )


@transaction.atomic
def case_closure_refuse(*, actor: Any, case: Case) -> Case:
    """A supervisor sends the case back: it stays open, and the request is cleared."""
    _require_own_case(actor, case, Action.CASE_APPROVE)
    lock(case)
    if not case.closure_pending:
        raise ValidationError({"status": _("No closure of this case waits for approval.")})
    before = snapshot(case)
    case.closure_reason, case.closure_requested_on, case.closure_requested_by = "", None, None
    save_audited(actor=actor, action="case.closure_refuse", obj=case, before=before)
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reopened_on: datetime.date | None = None) -> Case:
    """Reopen a closed case: the closure's details go (its audit rows keep them)."""
    _require_own_case(actor, case)
    lock(case)
    if not case.is_closed:
        raise ValidationError({"status": _("Only a closed case can be reopened.")})
    on = _day(reopened_on, "reopened_on")
    assert case.closed_on is not None
    if on < case.closed_on:
        raise ValidationError({"reopened_on": _("A case cannot reopen before it closed.")})
    _reopen(actor, case, on)
    return case


def _reopen(actor: Any, case: Case, on: datetime.date) -> None:
    before = snapshot(case)
    case.status, case.reopened_on = Status.REOPENED, on
    case.closure_reason, case.closed_on = "", None
    case.closure_requested_on = None
    case.closure_requested_by = case.closure_approved_by = None
    save_audited(actor=actor, action="case.reopen", obj=case, before=before)


@transaction.atomic
def case_transfer(
    *,
    actor: Any,
    case: Case,
    to_agency: Agency,
    services: Iterable[str],
    consent: bool,
    shares_identity: bool = False,
) -> Transfer:
    """Hand the case to another agency: a referral, which the receiver accepts or declines.

    Consent, the services asked for and whether the identity goes with it are
    the referral's rules (``referral_send``), as is the identity rule: only the
    registering agency shares an identity.
    """
    _require_own_case(actor, case)
    lock(case)
    _require_open(case)
    waiting = Transfer.objects.filter(case=case, referral__status=Referral.Status.SENT)
    if waiting.exists():
        raise ValidationError({"to_agency": _("A transfer of this case waits for an answer.")})
    referral = referral_send(
        actor=actor,
        person=case.person,
        to_agency=to_agency,
        services=services,
        consent=consent,
        shares_identity=shares_identity,
    )
    transfer = Transfer(case=case, referral=referral)
    save_audited(actor=actor, action="case.transfer", obj=transfer)
    return transfer


def transfer_accepted(*, actor: Any, referral: Referral) -> None:
    """The receiver accepted a transfer: its case opens (or reopens), the sender's closes.

    Called in the acceptance's transaction (``hooks.py``), whichever page, API
    call or import accepted the referral; the acceptance checked the actor.
    """
    transfer = Transfer.objects.select_related("case").filter(referral=referral).first()
    if transfer is None:
        return
    day = timezone.localdate(referral.answered_at)
    sender = transfer.case
    lock(sender)
    if not sender.is_closed:
        sender.closure_requested_on = sender.closure_requested_by = None
        _close(actor, sender, Case.ClosureReason.TRANSFERRED, day, "case.transfer_close")
    received = Case.objects.filter(person_id=referral.person_id, agency=referral.to_agency).first()
    if received is None:
        received = Case(
            person_id=referral.person_id,
            agency=referral.to_agency,
            opened_on=day,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        save_audited(actor=actor, action="case.open", obj=received)
    elif received.is_closed:
        _reopen(actor, received, max(day, received.closed_on or day))
