"""Helpers every service uses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from enlace.audit.services import audit_record, snapshot


def save_audited(
    *, actor: Any, action: str, obj: models.Model, before: dict[str, Any] | None = None
) -> None:
    """Validate, save and audit one record, inside the caller's transaction."""
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj))


def require_held(*, actor: Any, person: Any) -> None:
    from enlace.registry.selectors import person_is_held_by

    if not person_is_held_by(user=actor, person=person):
        raise PermissionDenied(_("Your agency does not hold this person."))
