"""How long each kind of record is kept, and the service that applies it.

Personal data are kept only as long as their purpose needs (the principle of
the Mexican LGPDPPSO and of the GDPR). Each rule names what it removes and
when; each app registers the rules for its own records (in its ``hooks.py``:
screenings in registry, submissions in exchange, tokens in api, sessions and
sign-ins in core). The periods are in ``settings.RETENTION_DAYS`` (environment
``ENLACE_RETAIN_<KIND>_DAYS``) and ``docs/keys-and-retention.md`` gives the
reasons. What counts for published statistics (people, identifications,
referrals, services) is never removed here: a person's identity is erased on
a legal request (``registry.services.person_erase``), not by age.

Audit rows are not here: they are append-only through the application, and
their retention is a database-level operation (see the document).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from enlace.core import trail


@dataclass(frozen=True)
class Rule:
    kind: str
    description: str
    records: Callable[[datetime.datetime], QuerySet[Any]]
    # What the audit row lists of each removed record: pseudonymous ids, never content.
    label: Callable[[QuerySet[Any]], list[str]] | None
    # Clear these fields instead of deleting the row (the row is still needed).
    clear: dict[str, Any] | None = None


@dataclass(frozen=True)
class Applied:
    kind: str
    description: str
    cutoff: datetime.datetime
    count: int


# Every rule, by kind: each app registers its own (its hooks.py), and they run in the
# order of ``settings.RETENTION_DAYS``, where every kind must have its period.
RULES: dict[str, Rule] = {}


def retention_rule(rule: Rule) -> Rule:
    if rule.kind in RULES:
        raise ImproperlyConfigured(f"Two retention rules for {rule.kind}.")
    RULES[rule.kind] = rule
    return rule


def public_ids(records: QuerySet[Any]) -> list[str]:
    """What an audit row lists of removed records that have a public id."""
    return list(records.values_list("public_id", flat=True))


def retention_apply(
    *, dry_run: bool = False, now: datetime.datetime | None = None
) -> list[Applied]:
    """Remove what each rule's period has passed for; count only when ``dry_run``.

    Each rule runs in its own transaction with its audit row, which names the
    rule, the cutoff, the count and the pseudonymous ids removed.
    """
    now = now or timezone.now()
    applied = []
    periods = list(settings.RETENTION_DAYS)
    for rule in sorted(RULES.values(), key=lambda r: periods.index(r.kind)):
        cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS[rule.kind])
        with transaction.atomic():
            records = rule.records(cutoff)
            count = records.count()
            if count and not dry_run:
                removed = rule.label(records) if rule.label else None
                model = records.model
                if rule.clear:
                    records.update(**rule.clear)
                else:
                    _delete(records)
                trail.record(
                    actor=None,
                    action="retention.apply",
                    obj=model(),
                    after={
                        "rule": rule.kind,
                        "cutoff": cutoff.isoformat(),
                        "count": count,
                        "cleared" if rule.clear else "deleted": removed,
                    },
                )
        applied.append(Applied(rule.kind, rule.description, cutoff, count))
    return applied


def _delete(records: QuerySet[models.Model]) -> None:
    # Delete by primary key: a queryset with an Exists() filter cannot always
    # be deleted in one statement on every database.
    records.model._default_manager.filter(
        pk__in=list(records.values_list("pk", flat=True))
    ).delete()
