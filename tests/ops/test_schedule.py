"""Periodic jobs are defined in code and enqueued once per interval, whichever worker is first."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enlace.audit.models import AuditEvent
from enlace.ops.schedule import PERIODIC, periodic_run, schedule_due
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_send
from enlace.registry.models import Person
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

PATHS = [p.path for p in PERIODIC]


def _queued() -> list[str]:
    return [r.args_kwargs["args"][0] for r in DBTaskResult.objects.ready().order_by("enqueued_at")]


def test_it_enqueues_every_job_once_until_its_interval_passes() -> None:
    now = timezone.now()
    assert schedule_due(now=now) == PATHS
    # A second worker at the same moment: nothing is due.
    assert schedule_due(now=now) == []
    # 59 minutes on, only the jobs that run more often than that (the audit sealer).
    later = datetime.timedelta(minutes=59)
    frequent = [p.path for p in PERIODIC if p.every <= later]
    assert frequent and len(frequent) < len(PATHS)
    assert schedule_due(now=now + later) == frequent
    assert _queued() == PATHS + frequent

    hour = datetime.timedelta(hours=1)
    assert schedule_due(now=now + hour) == [p.path for p in PERIODIC if p.every <= hour]
    assert schedule_due(now=now + datetime.timedelta(days=1)) == PATHS


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_enqueue_each_job_once() -> None:
    now = timezone.now()
    barrier = threading.Barrier(2)
    enqueued: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            enqueued.extend(schedule_due(now=now))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(enqueued) == sorted(PATHS)
    assert sorted(_queued()) == sorted(PATHS)


def test_the_worker_runs_the_periodic_jobs(cast: Cast, person: Person) -> None:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=timezone.now() - datetime.timedelta(days=20),
    )
    out = io.StringIO()

    call_command("worker", batch=True, stdout=out)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.EXPIRED
    assert AuditEvent.objects.filter(action="referral.expire").count() == 1
    assert f"{len(PERIODIC)} tasks run." in out.getvalue()
    results = DBTaskResult.objects.filter(task_path="enlace.ops.schedule.periodic_run")
    assert sorted(r.status for r in results) == ["SUCCESSFUL"] * len(PERIODIC)
    # Run again at once: nothing is due, nothing runs.
    out = io.StringIO()
    call_command("worker", batch=True, stdout=out)
    assert "0 tasks run." in out.getvalue()


def test_a_task_row_cannot_make_the_worker_call_another_function() -> None:
    periodic_run.enqueue("enlace.registry.services.person_erase")
    call_command("worker", batch=True, no_schedule=True, stdout=io.StringIO())
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert result.exception_class_path == "enlace.ops.schedule.PeriodicJobFailed"
