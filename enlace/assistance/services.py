from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.assistance.models import ServiceDelivery, Shelter, Stay
from enlace.assistance.selectors import shelter_occupied_beds
from enlace.audit.services import save_audited, snapshot
from enlace.core.retry import retried_atomic
from enlace.core.services import lock
from enlace.registry.models import Person
from enlace.registry.selectors import require_held


@retried_atomic
def service_record(
    *,
    actor: Any,
    person: Person,
    category: str,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    fund: Any = None,
    grant: Any = None,
    referral: Any = None,
) -> ServiceDelivery:
    """Record a service the actor's agency delivered to a person it holds."""
    membership = require(actor, Action.SERVICE_RECORD)
    require_held(actor=actor, person=person)
    # Money is attributed only by whoever controls it: a fund's administrator,
    # a grant's recipient.
    if fund is not None and fund.administrator_id != membership.agency_id:
        raise PermissionDenied(_("Your agency does not administer this fund."))
    if grant is not None and grant.grantee_id != membership.agency_id:
        raise PermissionDenied(_("This grant was not given to your agency."))
    service = ServiceDelivery(
        person=person,
        agency=membership.agency,
        category=category,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        fund=fund,
        grant=grant,
        referral=referral,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="service.record", obj=service)
    return service


@retried_atomic
def stay_admit(
    *,
    actor: Any,
    person: Person,
    shelter: Shelter,
    admitted_on: datetime.date,
    accompanying_children: int = 0,
    may_leave_alone: bool | None = None,
    referral: Any = None,
) -> Stay:
    """Admit a person to a shelter the actor's agency operates; a full shelter refuses."""
    membership = require(actor, Action.STAY_RECORD)
    require_held(actor=actor, person=person)
    # Lock order (docs/audit.md): the shelter, then the person. The shelter's lock
    # keeps two admissions from both taking the last bed; the person's, from two
    # open stays of one person.
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    if shelter.operator_id != membership.agency_id:
        raise PermissionDenied(_("Your agency does not operate this shelter."))
    if not shelter.active:
        raise ValidationError({"shelter": _("This shelter is closed.")})
    lock(person)  # one open stay per person, even with two admissions at once
    if accompanying_children and not shelter.accepts_children:
        raise ValidationError(
            {"accompanying_children": _("This shelter does not accept children.")}
        )
    free = shelter.capacity - shelter_occupied_beds(shelter)
    if 1 + accompanying_children > free:
        raise ValidationError(
            {
                "shelter": _("The shelter is full: %(free)s of %(capacity)s beds free.")
                % {"free": max(free, 0), "capacity": shelter.capacity}
            }
        )
    if Stay.objects.filter(person=person, discharged_on__isnull=True).exists():
        raise ValidationError({"person": _("The person already has an open shelter stay.")})
    stay = Stay(
        person=person,
        shelter=shelter,
        agency=shelter.operator,
        admitted_on=admitted_on,
        accompanying_children=accompanying_children,
        may_leave_alone=shelter.residents_may_leave_alone
        if may_leave_alone is None
        else may_leave_alone,
        referral=referral,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="stay.admit", obj=stay)
    return stay


@retried_atomic
def stay_discharge(*, actor: Any, stay: Stay, discharged_on: datetime.date, reason: str) -> Stay:
    membership = require(actor, Action.STAY_RECORD)
    if stay.agency_id != membership.agency_id:
        raise PermissionDenied(_("Your agency does not operate this shelter."))
    lock(stay)
    if stay.discharged_on is not None:
        raise ValidationError({"discharged_on": _("This stay has already ended.")})
    if not reason:
        raise ValidationError({"discharge_reason": _("Give a reason.")})
    before = snapshot(stay)
    stay.discharged_on = discharged_on
    stay.discharge_reason = reason
    save_audited(actor=actor, action="stay.discharge", obj=stay, before=before)
    return stay
