from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import save_audited, snapshot
from enlace.core.services import lock
from enlace.directory.calendar import add_working_days_in
from enlace.directory.models import Agency, Country
from enlace.directory.selectors import profile_current
from enlace.immigration.models import Repatriation, Validity, VisaExtension, VisaRequest
from enlace.registry.models import Person
from enlace.registry.selectors import require_held


def visa_valid_until(*, start: datetime.date, validity: str) -> datetime.date:
    """The last day a humanitarian visa decided on ``start`` is valid."""
    if validity == Validity.WORKING_DAYS_60:
        return add_working_days_in(profile_current().holidays_country, start, 60)
    if validity == Validity.CALENDAR_DAYS_90:
        return start + datetime.timedelta(days=90)
    raise ValidationError({"validity": _("Choose a validity.")})


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
    validity: str = Validity.WORKING_DAYS_60,
    refusal_reason: str = "",
) -> VisaRequest:
    """Grant or refuse a request; a grant's end date follows the profile's working days."""
    require(actor, Action.VISA_DECIDE)
    require_held(actor=actor, person=request.person)
    lock(request)
    if request.outcome != VisaRequest.Outcome.PENDING:
        raise ValidationError({"outcome": _("This request has already been decided.")})
    if decided_on < request.requested_on:
        raise ValidationError({"decided_on": _("A decision cannot come before the request.")})
    before = snapshot(request)
    request.decided_on, request.decided_by = decided_on, actor
    if granted:
        request.outcome = VisaRequest.Outcome.GRANTED
        request.validity = validity
        request.valid_until = visa_valid_until(start=decided_on, validity=validity)
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
    """Extend a granted visa; the new term runs from the current end date."""
    require(actor, Action.VISA_DECIDE)
    require_held(actor=actor, person=request.person)
    lock(request)
    if request.outcome != VisaRequest.Outcome.GRANTED or request.valid_until is None:
        raise ValidationError({"outcome": _("Only a granted visa can be extended.")})
    current_end = max([request.valid_until, *[e.valid_until for e in request.extensions.all()]])
    extension = VisaExtension(
        request=request,
        extended_on=extended_on,
        validity=validity,
        valid_until=visa_valid_until(start=current_end, validity=validity),
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
