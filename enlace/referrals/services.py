from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.assistance.models import ServiceKind
from enlace.audit.services import audit_record, save_audited, snapshot
from enlace.core.services import lock
from enlace.directory.models import Agency
from enlace.referrals.models import Referral
from enlace.registry.models import Person
from enlace.registry.selectors import require_held
from enlace.registry.services import referral_access_record

Status = Referral.Status

# What a referral's change of status also changes, in the same transaction: each
# app above that builds on referrals registers here in its hooks.py (cases: a
# transfer accepted opens the receiving agency's case and closes the sender's).
REFERRAL_CHANGED: list[Callable[[Any, Referral], None]] = []


def on_referral_changed(hook: Callable[[Any, Referral], None]) -> Callable[[Any, Referral], None]:
    REFERRAL_CHANGED.append(hook)
    return hook


def _changed(actor: Any, referral: Referral) -> None:
    for hook in REFERRAL_CHANGED:
        hook(actor, referral)


@transaction.atomic
def referral_send(
    *,
    actor: Any,
    person: Person,
    to_agency: Agency,
    services: Iterable[str],
    consent: bool,
    shares_identity: bool = False,
    at: datetime.datetime | None = None,
) -> Referral:
    """Send a referral; ``at`` records one sent earlier (an import), never in the future."""
    membership = require(actor, Action.REFERRAL_SEND)
    require_held(actor=actor, person=person)
    services = sorted(set(services))
    if not consent:
        raise ValidationError({"consent": _("A referral needs the person's consent.")})
    if not services:
        raise ValidationError({"services": _("Name at least one service.")})
    if bad := [s for s in services if s not in ServiceKind.values]:
        raise ValidationError({"services": _("Unknown service: %s") % ", ".join(bad)})
    if to_agency.pk == membership.agency_id:
        raise ValidationError({"to_agency": _("An agency cannot refer to itself.")})
    if not to_agency.active:
        raise ValidationError({"to_agency": _("This agency no longer takes referrals.")})
    if shares_identity and person.registered_by_id != membership.agency_id:
        # Only the registering agency shares an identity: an onward referral
        # never passes one on, so a revocation narrows access everywhere.
        raise PermissionDenied(
            _("Only the agency that registered this person can share their identity.")
        )
    referral = Referral(
        person=person,
        from_agency=membership.agency,
        to_agency=to_agency,
        services=services,
        consent=consent,
        shares_identity=shares_identity,
        sent_at=_moment(at),
        sent_by=actor,
    )
    save_audited(actor=actor, action="referral.send", obj=referral)
    return referral


def _moment(at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError({"at": _("This cannot be dated in the future.")})
    return at


def _transition(
    *,
    actor: Any,
    referral: Referral,
    side: str,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    at: datetime.datetime | None = None,
) -> Referral:
    membership = require(actor, Action.REFERRAL_ANSWER if side == "to" else Action.REFERRAL_SEND)
    lock(referral)
    agency_id = referral.to_agency_id if side == "to" else referral.from_agency_id
    if agency_id != membership.agency_id:
        raise PermissionDenied(_("This referral is not your agency's to change."))
    if referral.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("A referral that is %s cannot be changed this way.")
                % referral.get_status_display()
            }
        )
    reason = reason.strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    now = _moment(at)
    if now < referral.sent_at:
        raise ValidationError({"at": _("A referral cannot change before it was sent.")})
    before = snapshot(referral)
    referral.status = to
    if reason:
        referral.reason = reason
    if to in (Status.ACCEPTED, Status.DECLINED):
        referral.answered_at, referral.answered_by = now, actor
    if to in (Status.DECLINED, Status.COMPLETED, Status.REVOKED, Status.EXPIRED):
        referral.closed_at = now
    save_audited(actor=actor, action=action, obj=referral, before=before)
    # Who now holds the person and reads the identity: the registry's copy, same transaction.
    referral_access_record(referral=referral)
    _changed(actor, referral)
    return referral


@transaction.atomic
def referral_accept(
    *, actor: Any, referral: Referral, at: datetime.datetime | None = None
) -> Referral:
    return _transition(
        actor=actor,
        referral=referral,
        side="to",
        allowed_from=(Status.SENT,),
        to=Status.ACCEPTED,
        action="referral.accept",
        at=at,
    )


@transaction.atomic
def referral_decline(
    *, actor: Any, referral: Referral, reason: str, at: datetime.datetime | None = None
) -> Referral:
    return _transition(
        actor=actor,
        referral=referral,
        side="to",
        allowed_from=(Status.SENT,),
        to=Status.DECLINED,
        action="referral.decline",
        at=at,
        reason=reason,
        reason_required=True,
    )


@transaction.atomic
def referral_complete(
    *, actor: Any, referral: Referral, at: datetime.datetime | None = None
) -> Referral:
    return _transition(
        actor=actor,
        referral=referral,
        side="to",
        allowed_from=(Status.ACCEPTED,),
        to=Status.COMPLETED,
        action="referral.complete",
        at=at,
    )


@transaction.atomic
def referral_revoke(
    *, actor: Any, referral: Referral, reason: str, at: datetime.datetime | None = None
) -> Referral:
    """The sender withdraws a referral, e.g. when the person withdraws consent."""
    return _transition(
        actor=actor,
        referral=referral,
        side="from",
        allowed_from=(Status.SENT, Status.ACCEPTED),
        to=Status.REVOKED,
        action="referral.revoke",
        at=at,
        reason=reason,
        reason_required=True,
    )


@transaction.atomic
def referrals_expire(
    *, unanswered_for: datetime.timedelta, at: datetime.datetime | None = None
) -> int:
    """Expire referrals sent longer ago than ``unanswered_for`` and never answered.

    Run by the system (a scheduled command), not by a user: the audit rows
    name "system". An expired referral gives the receiver nothing, and the
    sender sees that it needs another way to help the person. ``at`` is the
    moment of the run (now; the demo replays its past days).
    """
    now = _moment(at)
    overdue = Referral.objects.select_for_update().filter(
        status=Status.SENT, sent_at__lt=now - unanswered_for
    )
    expired = 0
    for referral in overdue:
        before = snapshot(referral)
        referral.status, referral.closed_at = Status.EXPIRED, now
        referral.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=None,
            action="referral.expire",
            obj=referral,
            before=before,
            after=snapshot(referral),
        )
        _changed(None, referral)
        expired += 1
    return expired
