"""Helpers every service uses."""

from __future__ import annotations

from django.db import models


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


def lock(obj: models.Model) -> None:
    """Lock the record's row for this transaction and reload it.

    A status check on the caller's copy could pass on data another request
    has since changed; after this, checks see the stored, current values.
    """
    list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
