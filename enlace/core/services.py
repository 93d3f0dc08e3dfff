"""Helpers every service uses."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# No record of this system happened, or was born, before it: a date earlier
# than this is a typing error ("0017-03-02", "1017-03-02"), whichever service takes it.
EARLIEST_DATE = datetime.date(1900, 1, 1)


def validate(obj: models.Model) -> None:
    """``full_clean`` without re-reading foreign keys, and no date before ``EARLIEST_DATE``.

    Related records reach a service as objects it read (through a selector),
    and the database enforces foreign keys; checking each again would cost a
    query per field per write.
    """
    too_early = {
        field.name: _("A date before %(year)s is not accepted.") % {"year": EARLIEST_DATE.year}
        for field in obj._meta.concrete_fields
        if isinstance(field, models.DateField) and _before_earliest(getattr(obj, field.attname))
    }
    if too_early:
        raise ValidationError(too_early)
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


def _before_earliest(value: object) -> bool:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return isinstance(value, datetime.date) and value < EARLIEST_DATE
