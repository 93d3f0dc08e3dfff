"""Writes about access: opening a break-glass grant."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import BreakGlass
from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record
from enlace.registry.models import Person

BREAK_GLASS_MIN_REASON = 20


@transaction.atomic
def break_glass_open(*, actor: Any, person: Person, reason: str, hours: int) -> BreakGlass:
    """Open read access to a person outside the supervisor's agency, for ``hours`` hours.

    The reason is required (at least ``BREAK_GLASS_MIN_REASON`` characters) and
    goes to the audit row ``breakglass.open`` with the hours and the expiry,
    which the auditor's page lists.
    """
    from enlace.registry.selectors import person_is_held_by

    require(actor, Action.BREAK_GLASS_OPEN)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if len(reason) < BREAK_GLASS_MIN_REASON:
        errors["reason"] = _("Write why, in at least %(n)s characters.") % {
            "n": BREAK_GLASS_MIN_REASON
        }
    limit = settings.BREAK_GLASS_MAX_HOURS
    if not isinstance(hours, int) or not 1 <= hours <= limit:
        errors["hours"] = _("Between 1 and %(n)s hours.") % {"n": limit}
    if person_is_held_by(user=actor, person=person):
        errors["person"] = _("Your agency already holds this person: no break-glass is needed.")
    if errors:
        raise ValidationError(errors)
    expires_at = timezone.now() + datetime.timedelta(hours=hours)
    grant = BreakGlass(user=actor, person=person, reason=reason, expires_at=expires_at)
    grant.full_clean()
    grant.save()
    audit_record(
        actor=actor,
        action="breakglass.open",
        obj=person,
        after={"reason": reason, "hours": hours, "expires_at": expires_at.isoformat()},
    )
    return grant
