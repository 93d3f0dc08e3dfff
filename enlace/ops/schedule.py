"""Periodic work, defined in code: what ``enlace worker`` enqueues, and how often.

django-tasks has no scheduler, so this is a small one. ``PERIODIC`` names
each job by the dotted path of a function that takes no argument; at every
turn of its loop the worker calls ``schedule_due``, which enqueues
``periodic_run(path)`` for each job whose interval has passed since it was
last enqueued. The time of that is kept in the database (``PeriodicRun``) and
moved by a conditional update, so that of several workers exactly one
enqueues a due job. A job's function is looked up when it runs, and only
among the paths of ``PERIODIC``: a row of the task table cannot make a worker
call anything else.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from enlace.audit.sealer import seal, trail_check
from enlace.core.retention import retention_apply
from enlace.ops.models import PeriodicRun
from enlace.referrals.services import referrals_expire
from enlace.reports.models import Release
from enlace.reports.releases import release_verify

logger = logging.getLogger(__name__)

# A referral unanswered this long expires (the default of `enlace referrals_expire`).
REFERRAL_ANSWER_DAYS = 15


class CheckFailed(Exception):
    """A check's finding, worded here without personal data: logged and kept in full."""


@dataclass(frozen=True)
class Periodic:
    path: str  # a function that takes no argument
    every: datetime.timedelta


def referrals_expire_unanswered() -> int:
    return referrals_expire(unanswered_for=datetime.timedelta(days=REFERRAL_ANSWER_DAYS))


def retention_apply_all() -> int:
    return sum(applied.count for applied in retention_apply())


def audit_chain_check() -> int:
    """What ``enlace audit_verify`` does: fail (the task ends failed, and the worker logs
    it) if the audit chain is broken or rows stayed unsealed past the grace."""
    check = trail_check()
    if check.problem:
        raise CheckFailed(check.problem)
    return check.chain.rows


def audit_seal() -> int:
    """Seal what the writers' own sealing after commit left: rows younger than
    `AUDIT_SEAL_ON_COMMIT_AFTER` when the traffic stopped, a skipped lock, a crash."""
    return seal(wait=False)


def releases_check() -> int:
    """Fail if a frozen release is no longer what was published (``enlace release verify``)."""
    releases = list(Release.objects.all())
    if changed := [str(r) for r in releases if not release_verify(r)]:
        raise CheckFailed(f"Releases changed in the database: {', '.join(changed)}")
    return len(releases)


HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

PERIODIC: list[Periodic] = [
    Periodic("enlace.ops.schedule.referrals_expire_unanswered", HOUR),
    Periodic("enlace.justice.services.alerts_escalate", HOUR),
    Periodic("enlace.ops.schedule.retention_apply_all", DAY),
    Periodic("enlace.ops.schedule.audit_chain_check", DAY),
    Periodic("enlace.ops.schedule.releases_check", DAY),
    Periodic("enlace.ops.schedule.audit_seal", datetime.timedelta(seconds=10)),
]


class PeriodicJobFailed(Exception):
    """What a failed job leaves in the task table: its type of error, never its message."""


@task()
def periodic_run(path: str) -> int | str | None:
    """Run one job of ``PERIODIC``; its result if a count or a word, else nothing."""
    if path not in {p.path for p in PERIODIC}:
        raise PeriodicJobFailed(f"{path} is not a periodic job")
    function: Callable[[], Any] = import_string(path)
    try:
        result = function()
    except CheckFailed as exc:
        logger.error("Periodic job %s failed: %s", path, exc)
        raise PeriodicJobFailed(f"{path}: {exc}") from None
    except Exception as exc:
        # A message may quote a record; the log has the type and the frames.
        logger.error(
            "Periodic job %s failed: %s\n%s",
            path,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        raise PeriodicJobFailed(f"{path}: {type(exc).__name__}") from None
    return result if isinstance(result, int | str) else None


def schedule_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due; the paths enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC:
        PeriodicRun.objects.get_or_create(task=periodic.path)
        with transaction.atomic():
            due = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - periodic.every)
            # Of two workers, the one whose update moved the time enqueues; the other sees 0.
            if PeriodicRun.objects.filter(due, task=periodic.path).update(last_enqueued_at=now):
                periodic_run.enqueue(periodic.path)
                enqueued.append(periodic.path)
    return enqueued
