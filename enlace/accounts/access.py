"""Audit rows for reads of people's records and for refused attempts on real records.

A read writes one ``person.view`` row per person read, whatever the channel
(the person page, the API, an export): "who read V-7F3K9Q?" is then one
indexed query on ``object_id``. The row says how the person was read
(``via``), whether the identity was shown, and whether a break-glass grant
opened it; never a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import models, transaction

from enlace.audit.services import audit_record
from enlace.registry.models import Person

PERSON_VIEW = "person.view"
ACCESS_DENIED = "access.denied"
# The actor of a row about someone not signed in: named as what it is, not as the system.
ANONYMOUS = SimpleNamespace(username="anonymous", pk=None, is_authenticated=False)


def person_read_audit(
    *,
    actor: Any,
    people: Iterable[Person],
    via: str,
    identity_shown: bool = False,
    break_glass: bool | None = None,
) -> int:
    """Write one ``person.view`` row for each person read; returns how many.

    ``break_glass`` None: each person the actor reads under an open grant is
    flagged so (exports and API lists may hold such a person among others).
    """
    from enlace.accounts.selectors import break_glass_active_for_user

    granted: set[int] = set()
    if break_glass is None:
        granted = set(break_glass_active_for_user(user=actor).values_list("person_id", flat=True))
    count = 0
    # One transaction for many rows; no savepoint (two more queries) inside a caller's.
    with transaction.atomic(savepoint=False):
        for person in people:
            after: dict[str, Any] = {"via": via, "identity_shown": identity_shown}
            if break_glass or (break_glass is None and person.pk in granted):
                after["break_glass"] = True
            audit_record(actor=actor, action=PERSON_VIEW, obj=person, after=after)
            count += 1
    return count


def access_denied_audit(
    *, actor: Any, record: str, param: str, value: Any, route: str, status: int
) -> bool:
    """Audit a refused request that named an existing record; False if the record does not exist.

    Only the record's label (public id or key) is kept, with the route and the
    answer given: what was asked for, not what it holds.
    """
    model = apps.get_model(record)
    lookup = "public_id" if param == "public_id" else "pk"
    try:
        obj: models.Model | None = model._default_manager.filter(**{lookup: value}).first()
    except (ValueError, TypeError):
        return False
    if obj is None:
        return False
    audit_record(
        actor=actor,
        action=ACCESS_DENIED,
        obj=obj,
        after={"route": route, "status": status},
    )
    return True
