"""How long each kind of record is kept, and the service that applies it.

Personal data are kept only as long as their purpose needs (the principle of
the Mexican LGPDPPSO and of the GDPR). Each rule below names what it removes
and when; the periods are in ``settings.RETENTION_DAYS`` (environment
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
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from enlace.audit.services import audit_record


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


def _screenings(cutoff: datetime.datetime) -> QuerySet[Any]:
    from enlace.registry.models import Identification, Screening

    # A screening that led nowhere: its person has no identification as a
    # (potential) victim. Screenings of identified victims are part of the case.
    identified = Identification.objects.filter(person=OuterRef("person")).exclude(
        status=Identification.Status.NOT_A_VICTIM
    )
    return Screening.objects.filter(created_at__lt=cutoff).exclude(Exists(identified))


def _submission_files(cutoff: datetime.datetime) -> QuerySet[Any]:
    from enlace.exchange.models import Submission

    finished = [Submission.Status.DONE, Submission.Status.FAILED]
    return Submission.objects.filter(status__in=finished, finished_at__lt=cutoff).exclude(
        content=b""
    )


def _submissions(cutoff: datetime.datetime) -> QuerySet[Any]:
    from enlace.exchange.models import Submission

    finished = [Submission.Status.DONE, Submission.Status.FAILED]
    return Submission.objects.filter(status__in=finished, finished_at__lt=cutoff)


def _api_tokens(cutoff: datetime.datetime) -> QuerySet[Any]:
    from enlace.api.models import ApiToken

    return ApiToken.objects.filter(revoked_at__lt=cutoff)


def _sessions(cutoff: datetime.datetime) -> QuerySet[Any]:
    return Session.objects.filter(expire_date__lt=cutoff)


def _sign_ins(cutoff: datetime.datetime) -> QuerySet[Any]:
    from axes.models import AccessLog

    return AccessLog.objects.filter(attempt_time__lt=cutoff)


def _failed_sign_ins(cutoff: datetime.datetime) -> QuerySet[Any]:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__lt=cutoff)


def _public_ids(records: QuerySet[Any]) -> list[str]:
    return list(records.values_list("public_id", flat=True))


RULES = [
    Rule(
        "screenings",
        "Screenings of people never identified as victims",
        _screenings,
        lambda qs: [f"{pid}/{pk}" for pk, pid in qs.values_list("pk", "person__public_id")],
    ),
    Rule(
        "submission_files",
        "Uploaded files of finished submissions (their rows are in the registry)",
        _submission_files,
        _public_ids,
        # Emptied, not deleted: the submission's report stays for its own period.
        clear={"content": b""},
    ),
    Rule(
        "submissions",
        "Finished submissions with their row-by-row error reports",
        _submissions,
        _public_ids,
    ),
    Rule(
        "api_tokens",
        "API tokens revoked long ago",
        _api_tokens,
        lambda qs: [f"{name} ({prefix}…)" for name, prefix in qs.values_list("name", "prefix")],
    ),
    # Session keys are secrets: the audit row counts them only.
    Rule("sessions", "Expired sessions", _sessions, None),
    # django-axes' records of who signed in, and failed to, from which address.
    Rule("sign_ins", "Records of sign-ins (user, address, browser)", _sign_ins, None),
    Rule(
        "failed_sign_ins",
        "Records of failed sign-ins, the lockout counters",
        _failed_sign_ins,
        None,
    ),
]


def retention_apply(
    *, dry_run: bool = False, now: datetime.datetime | None = None
) -> list[Applied]:
    """Remove what each rule's period has passed for; count only when ``dry_run``.

    Each rule runs in its own transaction with its audit row, which names the
    rule, the cutoff, the count and the pseudonymous ids removed.
    """
    now = now or timezone.now()
    applied = []
    for rule in RULES:
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
                audit_record(
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
