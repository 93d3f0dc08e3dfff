"""A queued submission whose run fails outside the import fails alone; the worker takes the next."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from enlace.exchange.models import Submission
from enlace.exchange.services import submission_create, submission_start
from enlace.registry.models import Identification
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _queue(cast: Cast, record_id: str) -> Submission:
    submission = submission_create(
        actor=cast.alice,
        filename=f"{record_id}.csv",
        content=csv_file(row(agency_record_id=record_id)),
    )
    submission_start(submission=submission)
    return submission


def test_an_undecryptable_submission_fails_and_the_next_is_imported(
    cast: Cast, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 0  # every upload goes to the worker
    poisoned = _queue(cast, "P1")
    good = _queue(cast, "G1")
    assert [poisoned.status, good.status] == ["queued", "queued"]
    # The stored file is damaged on disk: no key decrypts it any more.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE exchange_submission SET content = %s WHERE id = %s",
            [b"not a token", poisoned.pk],
        )
    out = io.StringIO()

    call_command("worker", batch=True, no_schedule=True, stdout=out)

    failed = Submission.objects.filter(pk=poisoned.pk).values("status", "failure").get()
    assert failed == {
        "status": "failed",
        "failure": "The submission could not be run; it was logged.",
    }
    good.refresh_from_db()
    assert (good.status, good.stored) == ("done", 1)
    assert list(Identification.objects.values_list("agency_record_id", flat=True)) == ["G1"]
    tasks = {r.args_kwargs["args"][0]: r for r in DBTaskResult.objects.all()}
    assert tasks[poisoned.pk].status == "FAILED"
    assert tasks[poisoned.pk].exception_class_path.endswith("SubmissionRunFailed")
    assert tasks[good.pk].status == "SUCCESSFUL"
    assert "2 tasks run." in out.getvalue()
    assert f"Submission {poisoned.public_id} could not be run" in caplog.text
