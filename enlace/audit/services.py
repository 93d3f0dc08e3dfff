from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db import models

from enlace.accounts.permissions import membership_of
from enlace.audit.context import current_request_id
from enlace.audit.models import AuditEvent
from enlace.core.fields import EncryptedTextField


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's field values as JSON, leaving out every encrypted field."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            values[field.name] = "[encrypted]" if getattr(obj, field.attname) else None
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date):  # datetimes too
            value = value.isoformat()
        elif isinstance(value, Decimal | uuid.UUID):
            value = str(value)
        values[field.attname] = value
    return values


def object_label(obj: models.Model) -> str:
    return str(getattr(obj, "public_id", None) or obj.pk)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records."""
    membership = membership_of(actor)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        agency_code=membership.agency.code if membership and membership.agency else "",
        request_id=current_request_id(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_label(obj),
        before=before,
        after=after,
    )
