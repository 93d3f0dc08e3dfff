"""`enlace retention apply`: each kind of record goes when its period has passed, audited."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enlace.api.models import ApiToken
from enlace.api.services import api_token_create, api_token_revoke
from enlace.audit.models import AuditEvent
from enlace.core.retention import retention_apply
from enlace.directory.models import Protocol
from enlace.exchange.models import Submission
from enlace.exchange.services import submission_create, submission_import_task, submission_run
from enlace.registry.models import Person, Screening
from enlace.registry.services import person_register, screening_record
from tests.conftest import DAY, IDENTITY, Cast
from tests.exchange.conftest import csv_file, row


def _screen(cast: Cast, person: Person) -> Screening:
    protocol = Protocol.objects.get(code="FED-RESCATE")
    return screening_record(
        actor=cast.alice,
        person=person,
        protocol=protocol,
        answers={i.code: False for i in protocol.indicators.all()},
        screened_on=DAY,
    )


@pytest.fixture
def records(cast: Cast, person: Person) -> dict[str, object]:
    """One record of each kind, all made now; ``person`` is an identified victim."""
    screened_only = person_register(
        actor=cast.alice, identity={**IDENTITY, "curp": "", "given_names": "Rosa"}
    )
    upload = csv_file(
        row(agency_record_id="R-1", given_names="Xochitl", paternal_surname="Tecuapetla")
    )
    submission = submission_create(actor=cast.alice, filename="june.csv", content=upload)
    submission_run(submission=submission)
    # A finished background task (here one that found its submission already run).
    submission_import_task.enqueue(submission.pk)
    call_command("worker", batch=True, no_schedule=True, stdout=StringIO())
    admin = User.objects.create_superuser("root", password="password")
    revoked, _key = api_token_create(actor=admin, user=cast.alice, name="old system")
    api_token_revoke(actor=admin, token=revoked)
    api_token_create(actor=admin, user=cast.alice, name="current system")
    session = SessionStore()
    session["x"] = 1
    session.set_expiry(60)
    session.create()
    AccessLog.objects.create(username="alice", ip_address="10.0.0.1", user_agent="test")
    AccessAttempt.objects.create(
        username="alice", ip_address="10.0.0.2", user_agent="test", failures_since_start=1
    )
    return {
        "kept_screening": _screen(cast, person),
        "stale_screening": _screen(cast, screened_only),
        "submission": submission,
        "token": revoked,
    }


def _in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_a_dry_run_counts_and_removes_nothing(records: dict[str, object]) -> None:
    applied = {a.kind: a.count for a in retention_apply(dry_run=True, now=_in(800))}

    assert applied == {
        "screenings": 1,
        "submission_files": 1,
        "submissions": 1,
        "api_tokens": 1,
        "sessions": 1,
        "sign_ins": 1,
        "failed_sign_ins": 1,
        "task_results": 1,
    }
    assert Screening.objects.count() == 2
    assert bytes(Submission.objects.get().content) != b""
    assert (ApiToken.objects.count(), Session.objects.count()) == (2, 1)
    assert (AccessLog.objects.count(), AccessAttempt.objects.count()) == (1, 1)
    assert not AuditEvent.objects.filter(action="retention.apply").exists()


def test_nothing_goes_before_its_period(records: dict[str, object]) -> None:
    assert sum(a.count for a in retention_apply(now=_in(0))) == 0
    assert Screening.objects.count() == 2


def test_the_file_goes_after_30_days_and_the_report_after_a_year(
    records: dict[str, object],
) -> None:
    applied = {a.kind: a.count for a in retention_apply(now=_in(31))}

    assert applied["submission_files"] == applied["task_results"] == 1
    assert not DBTaskResult.objects.exists()
    submission = Submission.objects.get()
    assert bytes(submission.content) == b""
    assert submission.stored == 1  # the report stays
    assert Screening.objects.count() == 2
    assert ApiToken.objects.count() == 2

    applied = {a.kind: a.count for a in retention_apply(now=_in(366))}
    assert applied["submissions"] == applied["api_tokens"] == 1
    assert not Submission.objects.exists()
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["current system"]


def test_screenings_that_led_nowhere_go_after_two_years(records: dict[str, object]) -> None:
    people = Person.objects.count()
    retention_apply(now=_in(729))
    assert Screening.objects.count() == 2

    retention_apply(now=_in(731))
    kept = records["kept_screening"]
    assert isinstance(kept, Screening)
    assert list(Screening.objects.values_list("pk", flat=True)) == [kept.pk]
    # The people stay: only the screening is gone.
    assert Person.objects.count() == people


def test_periods_come_from_the_settings(records: dict[str, object], settings: Any) -> None:
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "screenings": 0}
    applied = {a.kind: a.count for a in retention_apply(now=_in(1))}
    assert applied["screenings"] == 1


def test_it_audits_what_it_removes_without_names(records: dict[str, object]) -> None:
    retention_apply(now=_in(800))

    events = {
        e.after["rule"]: e.after
        for e in AuditEvent.objects.filter(action="retention.apply")
        if e.after is not None
    }
    assert set(events) == {
        "screenings",
        "submission_files",
        "submissions",
        "api_tokens",
        "sessions",
        "sign_ins",
        "failed_sign_ins",
        "task_results",
    }
    submission = records["submission"]
    assert isinstance(submission, Submission)
    assert events["submissions"]["deleted"] == [submission.public_id]
    assert events["sessions"] == {
        "rule": "sessions",
        "cutoff": events["sessions"]["cutoff"],
        "count": 1,
        "deleted": None,
    }
    assert (events["task_results"]["count"], events["task_results"]["deleted"]) == (1, None)
    stored = json.dumps(list(events.values()), ensure_ascii=False)
    for value in ("Rosa", "Hernández", "Xochitl", "Tecuapetla", "june.csv"):
        assert value not in stored


def test_the_command_reports_counts_per_kind(records: dict[str, object]) -> None:
    out = StringIO()
    call_command("retention", "apply", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "sessions: 0 would be removed" in text
    assert "submission_files: 0 would be removed" in text
    assert "0 records would be removed in all." in text
