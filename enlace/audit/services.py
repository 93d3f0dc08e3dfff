from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db import models, router

from enlace.accounts.permissions import membership_of
from enlace.audit.context import current_request_id
from enlace.audit.models import LIST_ID as LIST_ID  # the shape of a list row, for the apps above
from enlace.audit.models import LIST_KEY as LIST_KEY
from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal_after_commit
from enlace.core.fields import EncryptedTextField
from enlace.core.services import validate


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
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records.

    The object is ``obj``, or for what is not a model row (a search, an export)
    ``object_type`` and ``object_id``.
    """
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, object_label(obj)
    membership = membership_of(actor)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        agency_code=membership.agency.code if membership and membership.agency else "",
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def save_audited(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    also: dict[str, Any] | None = None,
) -> None:
    """Validate, save and audit one record, inside the caller's transaction.

    ``also`` adds to the audited values what lives in child rows (the forms
    of an identification).
    """
    validate(obj)
    obj.save()
    after = {**snapshot(obj), **(also or {})}
    audit_record(actor=actor, action=action, obj=obj, before=before, after=after)


def audit_rows_appended() -> None:
    """A bulk writer inserted audit rows with its own SQL (unsealed: ``seq`` null, hashes
    empty): have them sealed once its transaction commits, as the ORM's writes are."""
    seal_after_commit(router.db_for_write(AuditEvent))
