from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record, save_audited, snapshot
from enlace.core.services import lock
from enlace.directory.models import Jurisdiction
from enlace.funds.models import Fund
from enlace.justice.models import (
    Alert,
    DetentionEvent,
    Participation,
    ProtectionMeasure,
    RestitutionOrder,
    RestitutionPayment,
)
from enlace.linkage.models import MatchPair
from enlace.registry.models import Identification, Person
from enlace.registry.selectors import require_held


@transaction.atomic
def participation_record(
    *,
    actor: Any,
    person: Person,
    role: str,
    started_on: datetime.date,
    case_reference: str = "",
    testified: bool = False,
) -> Participation:
    membership = require(actor, Action.PROCEEDING_RECORD)
    require_held(actor=actor, person=person)
    participation = Participation(
        person=person,
        agency=membership.agency,
        role=role,
        started_on=started_on,
        case_reference=case_reference,
        testified=testified,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="proceeding.record", obj=participation)
    return participation


def _require_own(actor: Any, participation: Participation) -> None:
    membership = require(actor, Action.PROCEEDING_RECORD)
    if participation.agency_id != membership.agency_id:
        raise PermissionDenied(_("These proceedings belong to another agency."))


@transaction.atomic
def participation_conclude(
    *, actor: Any, participation: Participation, concluded_on: datetime.date
) -> Participation:
    _require_own(actor, participation)
    lock(participation)
    if concluded_on < participation.started_on:
        raise ValidationError({"concluded_on": _("A case cannot end before it starts.")})
    before = snapshot(participation)
    participation.concluded_on = concluded_on
    save_audited(actor=actor, action="proceeding.conclude", obj=participation, before=before)
    return participation


@transaction.atomic
def protection_measure_record(
    *, actor: Any, participation: Participation, kind: str, ordered_on: datetime.date
) -> ProtectionMeasure:
    _require_own(actor, participation)
    measure = ProtectionMeasure(participation=participation, kind=kind, ordered_on=ordered_on)
    save_audited(actor=actor, action="protection.record", obj=measure)
    return measure


@transaction.atomic
def restitution_order_record(
    *, actor: Any, participation: Participation, awarded_on: datetime.date, amount: Decimal
) -> RestitutionOrder:
    _require_own(actor, participation)
    order = RestitutionOrder(participation=participation, awarded_on=awarded_on, amount=amount)
    save_audited(actor=actor, action="restitution.order", obj=order)
    return order


@transaction.atomic
def restitution_payment_record(
    *,
    actor: Any,
    order: RestitutionOrder,
    paid_on: datetime.date,
    amount: Decimal,
    fund: Fund | None = None,
) -> RestitutionPayment:
    _require_own(actor, order.participation)
    lock(order)  # two payments at once must not together exceed the award
    paid = order.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if paid + amount > order.amount:
        raise ValidationError(
            {
                "amount": _("Payments would exceed the %(amount)s awarded.")
                % {"amount": order.amount}
            }
        )
    payment = RestitutionPayment(order=order, paid_on=paid_on, amount=amount, fund=fund)
    save_audited(actor=actor, action="restitution.pay", obj=payment)
    return payment


# How long an agency has to act on a non-punishment alert before it goes to
# the supervisor: a detained victim must not wait a working week.
ALERT_DUE = datetime.timedelta(hours=24)


@transaction.atomic
def detention_record(
    *,
    actor: Any,
    person: Person,
    kind: str,
    occurred_on: datetime.date,
    jurisdiction: Jurisdiction | None = None,
) -> DetentionEvent:
    """Record a detention or deportation step; if the person is a known victim, alert.

    The non-punishment principle: victims must not be punished for what they
    were made to do. The alert goes to the detaining agency and to every
    agency that identified the person, whichever of its records linkage
    joined to this one.
    """
    membership = require(actor, Action.DETENTION_RECORD)
    require_held(actor=actor, person=person)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    event = DetentionEvent(
        person=person,
        agency=membership.agency,
        kind=kind,
        occurred_on=occurred_on,
        jurisdiction=jurisdiction,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="detention.record", obj=event)
    # Every agency that identified this human, through any of their records
    # (linkage gives them one national id, or write-time matching sent the pair
    # to review: likely the same, not yet confirmed), is alerted on its own record.
    identified = (
        Identification.objects.filter(
            Q(person__national_id=person.national_id)
            | Q(person__national_id__in=_in_review_with(person))
        )
        .exclude(status=Identification.Status.NOT_A_VICTIM)
        .values_list("agency_id", "person_id")
        .order_by("agency_id", "person_id")
    )
    records: dict[int, int] = {}
    for agency_id, person_id in identified:
        # An agency's own record of the person first, if it has one.
        if agency_id not in records or person_id == person.pk:
            records[agency_id] = person_id
    if records:
        assert membership.agency_id is not None
        records[membership.agency_id] = person.pk
        for agency_id, person_id in sorted(records.items()):
            alert = Alert.objects.create(
                person_id=person_id,
                agency_id=agency_id,
                kind=Alert.Kind.NON_PUNISHMENT,
                event=event,
                due_at=timezone.now() + ALERT_DUE,
            )
            audit_record(actor=actor, action="alert.raise", obj=alert, after=snapshot(alert))
    return event


def _in_review_with(person: Person) -> QuerySet[Person, str]:
    """The national ids of records a pending match pair says may be this person."""
    pairs = MatchPair.objects.filter(
        Q(left=person) | Q(right=person), status=MatchPair.Status.PENDING
    )
    others = {pk for pair in pairs.values_list("left_id", "right_id") for pk in pair} - {person.pk}
    return Person.objects.filter(pk__in=others).values_list("national_id", flat=True)


def _require_agency_alert(actor: Any, alert: Alert) -> None:
    membership = require(actor, Action.ALERT_ACKNOWLEDGE)
    if alert.agency_id != membership.agency_id:
        raise PermissionDenied(_("This alert is for another agency."))


@transaction.atomic
def alert_take(*, actor: Any, alert: Alert) -> Alert:
    """The actor becomes the alert's owner: the one who sees it through."""
    _require_agency_alert(actor, alert)
    lock(alert)
    if alert.acknowledged_at is not None:
        raise ValidationError({"owner": _("This alert has already been dealt with.")})
    before = snapshot(alert)
    alert.owner = actor
    save_audited(actor=actor, action="alert.take", obj=alert, before=before)
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: Alert, outcome: str) -> Alert:
    """Close the alert with what the agency did; its owner, if none yet, is the actor."""
    _require_agency_alert(actor, alert)
    lock(alert)
    if alert.acknowledged_at is not None:
        return alert
    if outcome not in Alert.Outcome.values:
        raise ValidationError({"outcome": _("Say what was done.")})
    before = snapshot(alert)
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    alert.outcome = outcome
    alert.owner = alert.owner or actor
    save_audited(actor=actor, action="alert.acknowledge", obj=alert, before=before)
    return alert


@transaction.atomic
def alerts_escalate(*, at: datetime.datetime | None = None) -> int:
    """Escalate to the agency's supervisors the alerts still open past their deadline.

    Run by the system (``enlace alerts_escalate``, scheduled like the referral
    expiry): the audit rows name "system". Supervisors see escalated alerts
    first on their open work.
    """
    now = at or timezone.now()
    overdue = Alert.objects.select_for_update().filter(
        acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lt=now
    )
    escalated = 0
    for alert in overdue:
        before = snapshot(alert)
        alert.escalated_at = now
        alert.save(update_fields=["escalated_at"])
        audit_record(
            actor=None, action="alert.escalate", obj=alert, before=before, after=snapshot(alert)
        )
        escalated += 1
    return escalated
