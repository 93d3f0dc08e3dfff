from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import save_audited
from enlace.directory.models import Agency
from enlace.funds.models import Disbursement, Fund, Grant
from enlace.registry.models import Person
from enlace.registry.selectors import require_held


@transaction.atomic
def disbursement_record(
    *,
    actor: Any,
    fund: Fund,
    person: Person,
    amount: Decimal,
    paid_on: datetime.date,
    purpose: str,
) -> Disbursement:
    """Pay from a fund the actor's agency administers to a person it holds."""
    membership = require(actor, Action.DISBURSEMENT_RECORD)
    require_held(actor=actor, person=person)
    if fund.administrator_id != membership.agency_id:
        raise PermissionDenied(_("Your agency does not administer this fund."))
    pays_from = fund.disbursing_from or fund.established_on
    if paid_on < pays_from:
        raise ValidationError({"paid_on": _("The fund pays from %s.") % pays_from.isoformat()})
    disbursement = Disbursement(
        fund=fund,
        person=person,
        agency=membership.agency,
        amount=amount,
        paid_on=paid_on,
        purpose=purpose,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="disbursement.record", obj=disbursement)
    return disbursement


@transaction.atomic
def grant_record(
    *,
    actor: Any,
    grantee: Agency,
    amount: Decimal,
    awarded_on: datetime.date,
    fund: Fund | None = None,
    purpose: str = "",
) -> Grant:
    """A supervisor records a grant from their agency to an NGO."""
    membership = require(actor, Action.GRANT_RECORD)
    if grantee.level != Agency.Level.NGO:
        raise ValidationError({"grantee": _("Grants go to non-governmental organisations.")})
    if fund is not None and fund.administrator_id != membership.agency_id:
        raise PermissionDenied(_("Your agency does not administer this fund."))
    grant = Grant(
        grantor=membership.agency,
        grantee=grantee,
        fund=fund,
        amount=amount,
        awarded_on=awarded_on,
        purpose=purpose,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="grant.record", obj=grant)
    return grant
