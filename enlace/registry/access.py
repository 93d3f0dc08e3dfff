"""Reads of people outside the holding rule, and the record of every read.

A supervisor opens a **break-glass** grant for a person their agency does not
hold: a written reason, a few hours, read only (``registry.selectors`` adds the
grant to the person's page, never to lists, exports or the API, never to
writes). The grant's row is ``accounts.BreakGlass``.

A read writes a ``person.view`` row, whatever the channel (the person page,
the API, an export): for one person, the row names them (``object_id``); for
a list, one row names every public id it showed (``after["public_ids"]``), so
a page of 100 writes one row, not 100. The row says how the people were read
(``via``), whether identities were shown, and whom a break-glass grant
opened; never a name. ``audit.selectors`` finds both shapes for "who read
V-7F3K9Q?".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import BreakGlass
from enlace.accounts.permissions import Action, require
from enlace.audit.services import LIST_ID, LIST_KEY, audit_record
from enlace.registry.models import Person
from enlace.registry.selectors import break_glass_active_for_user, person_is_held_by

BREAK_GLASS_MIN_REASON = 20
PERSON_VIEW = "person.view"
# A read of several people writes one row per this many (object id ``LIST_ID``).
LIST_ROWS = 1000


@transaction.atomic
def break_glass_open(*, actor: Any, person: Person, reason: str, hours: int) -> BreakGlass:
    """Open read access to a person outside the supervisor's agency, for ``hours`` hours.

    The reason is required (at least ``BREAK_GLASS_MIN_REASON`` characters) and
    goes to the audit row ``breakglass.open`` with the hours and the expiry,
    which the auditor's page lists.
    """
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
        # The reason stays in the grant, encrypted; the auditor's page reads it there.
        after={
            "grant": grant.pk,
            "reason": "[encrypted]",
            "hours": hours,
            "expires_at": expires_at.isoformat(),
        },
    )
    return grant


def person_read_audit(
    *,
    actor: Any,
    people: Iterable[Person],
    via: str,
    identity_shown: bool = False,
    break_glass: bool | None = None,
) -> int:
    """Record that ``actor`` read ``people``; returns how many people.

    One person: one ``person.view`` row naming them (``object_id``). Several (a
    list, a search, an export): one row per ``LIST_ROWS`` people, ``object_id``
    ``list``, their public ids in ``after["public_ids"]``. ``break_glass``
    None: the people the actor reads under an open grant are flagged so
    (exports and API lists may hold such a person among others).
    """
    granted: set[int] = set()
    if break_glass is None:
        granted = set(break_glass_active_for_user(user=actor).values_list("person_id", flat=True))
    count = 0
    # One transaction for many rows; no savepoint (two more queries) inside a caller's.
    with transaction.atomic(savepoint=False):
        for chunk in _chunks(people, LIST_ROWS):
            after: dict[str, Any] = {"via": via, "identity_shown": identity_shown}
            opened = [p for p in chunk if break_glass or p.pk in granted]
            if len(chunk) == 1:
                if opened:
                    after["break_glass"] = True
                audit_record(actor=actor, action=PERSON_VIEW, obj=chunk[0], after=after)
            else:
                after[LIST_KEY] = [p.public_id for p in chunk]
                if opened:
                    after["break_glass"] = [p.public_id for p in opened]
                audit_record(
                    actor=actor,
                    action=PERSON_VIEW,
                    object_type=Person._meta.label_lower,
                    object_id=LIST_ID,
                    after=after,
                )
            count += len(chunk)
    return count


def _chunks(people: Iterable[Person], size: int) -> Iterator[list[Person]]:
    chunk: list[Person] = []
    for person in people:
        chunk.append(person)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
