"""Helpers every service uses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from enlace.audit.services import audit_record, snapshot


def validate(obj: models.Model) -> None:
    """``full_clean`` without re-reading foreign keys.

    Related records reach a service as objects it read (through a selector),
    and the database enforces foreign keys; checking each again would cost a
    query per field per write.
    """
    obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])
    obj.clean()
    obj.validate_unique()
    obj.validate_constraints()


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


def lock(obj: models.Model) -> None:
    """Lock the record's row for this transaction and reload it.

    A status check on the caller's copy could pass on data another request
    has since changed; after this, checks see the stored, current values.
    """
    list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()


def require_held(*, actor: Any, person: Any) -> None:
    from enlace.registry.selectors import person_is_held_by

    if not person_is_held_by(user=actor, person=person):
        raise PermissionDenied(_("Your agency does not hold this person."))
