from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import save_audited, snapshot
from enlace.core.services import lock
from enlace.directory.calendar import add_months, add_working_days_in
from enlace.directory.models import Agency, Country
from enlace.directory.selectors import profile_current
from enlace.immigration.models import PermitKind, Repatriation, VisaExtension, VisaRequest
from enlace.registry.models import Person
from enlace.registry.selectors import require_held


def permit_get(code: str) -> PermitKind:
    """The profile's permit by code; the first one listed when ``code`` is empty."""
    permit = PermitKind.objects.filter(code=code).first() if code else PermitKind.objects.first()
    if permit is None:
        raise ValidationError({"validity": _("Choose a validity.")})
    return permit


def permit_ends(permit: PermitKind, start: datetime.date) -> datetime.date:
    """The last day of a permit's term that runs from ``start`` (``start`` itself not counted)."""
    if permit.unit == PermitKind.Unit.WORKING_DAYS:
        return add_working_days_in(profile_current().holidays_country, start, permit.length)
    if permit.unit == PermitKind.Unit.CALENDAR_DAYS:
        return start + datetime.timedelta(days=permit.length)
    return add_months(start, permit.length)


def visa_valid_until(*, start: datetime.date, validity: str) -> datetime.date:
    """The last day a humanitarian visa decided on ``start`` is valid."""
    if not validity:
        raise ValidationError({"validity": _("Choose a validity.")})
    return permit_ends(permit_get(validity), start)


def _decides(membership: Any, permit: PermitKind) -> None:
    if membership.agency.kind != permit.decided_by:
        raise ValidationError(
            {
                "validity": _("Another kind of agency decides this permit: %(kind)s.")
                % {"kind": permit.get_decided_by_display()}
            }
        )


@transaction.atomic
def visa_request(*, actor: Any, person: Person, requested_on: datetime.date) -> VisaRequest:
    membership = require(actor, Action.VISA_REQUEST)
    require_held(actor=actor, person=person)
    if person.nationality and person.nationality.iso2 == profile_current().code:
        raise ValidationError({"person": _("Humanitarian visas are for foreign victims.")})
    request = VisaRequest(
        person=person, agency=membership.agency, requested_on=requested_on, requested_by=actor
    )
    save_audited(actor=actor, action="visa.request", obj=request)
    return request


@transaction.atomic
def visa_decide(
    *,
    actor: Any,
    request: VisaRequest,
    decided_on: datetime.date,
    granted: bool,
    validity: str = "",
    refusal_reason: str = "",
) -> VisaRequest:
    """Grant or refuse a request; a grant's end date follows the profile's permit
    (``validity``, its code; empty: the profile's first) and working days."""
    membership = require(actor, Action.VISA_DECIDE)
    require_held(actor=actor, person=request.person)
    lock(request)
    if request.outcome != VisaRequest.Outcome.PENDING:
        raise ValidationError({"outcome": _("This request has already been decided.")})
    if decided_on < request.requested_on:
        raise ValidationError({"decided_on": _("A decision cannot come before the request.")})
    before = snapshot(request)
    request.decided_on, request.decided_by = decided_on, actor
    if granted:
        permit = permit_get(validity)
        _decides(membership, permit)
        request.outcome = VisaRequest.Outcome.GRANTED
        request.validity = permit.code
        request.valid_until = permit_ends(permit, decided_on)
    else:
        if not refusal_reason.strip():
            raise ValidationError({"refusal_reason": _("Give a reason for the refusal.")})
        request.outcome = VisaRequest.Outcome.REFUSED
        request.refusal_reason = refusal_reason.strip()
    save_audited(actor=actor, action="visa.decide", obj=request, before=before)
    return request


@transaction.atomic
def visa_extend(
    *, actor: Any, request: VisaRequest, extended_on: datetime.date, validity: str
) -> VisaExtension:
    """Extend a granted visa as its permit allows; the new term runs from the current end date."""
    membership = require(actor, Action.VISA_DECIDE)
    require_held(actor=actor, person=request.person)
    lock(request)
    if request.outcome != VisaRequest.Outcome.GRANTED or request.valid_until is None:
        raise ValidationError({"outcome": _("Only a granted visa can be extended.")})
    granted = permit_get(request.validity)
    if not granted.extension_terms:
        raise ValidationError({"validity": _("This permit cannot be extended.")})
    term = permit_get(validity) if validity else None
    if term is None or term.code not in granted.extension_terms:
        raise ValidationError({"validity": _("Choose a validity this permit may be extended by.")})
    _decides(membership, granted)
    extensions = list(request.extensions.all())
    if granted.max_extensions is not None and len(extensions) >= granted.max_extensions:
        raise ValidationError(
            {"extended_on": _("This permit has had the extensions its rules allow.")}
        )
    current_end = max([request.valid_until, *[e.valid_until for e in extensions]])
    extension = VisaExtension(
        request=request,
        extended_on=extended_on,
        validity=term.code,
        valid_until=permit_ends(term, current_end),
        decided_by=actor,
    )
    save_audited(actor=actor, action="visa.extend", obj=extension)
    return extension


@transaction.atomic
def repatriation_record(
    *,
    actor: Any,
    person: Person,
    repatriated_on: datetime.date,
    country: Country,
    receiving_agency: Agency | None = None,
    receiving_organisation: str = "",
) -> Repatriation:
    """A return to ``country``, received by an agency of the directory or an organisation."""
    membership = require(actor, Action.REPATRIATION_RECORD)
    require_held(actor=actor, person=person)
    organisation = receiving_organisation.strip()
    if receiving_agency is None and not organisation:
        raise ValidationError(
            {"receiving_agency": _("Name the agency or the organisation that received the person.")}
        )
    repatriation = Repatriation(
        person=person,
        agency=membership.agency,
        repatriated_on=repatriated_on,
        country=country,
        receiving_agency=receiving_agency,
        receiving_organisation=organisation,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="repatriation.record", obj=repatriation)
    return repatriation
