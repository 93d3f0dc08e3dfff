"""The upload page: a small file is imported at once, a large one queued for the worker."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from enlace.exchange.generate import submission_generate
from enlace.exchange.models import Submission
from enlace.registry.models import Identification
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _upload(client: Client, data: bytes, **options: Any) -> Any:
    upload = SimpleUploadedFile("envío.csv", data, content_type="text/csv")
    return client.post("/exchange/submissions/new/", {"file": upload, **options}, follow=True)


def test_it_imports_a_small_file_and_shows_the_report(cast: Cast) -> None:
    data = csv_file(
        row(agency_record_id="A1"),
        row(agency_record_id="A2", identified_on="2999-01-01", given_names="Rosa"),
    )
    response = _upload(_client(cast.alice), data)
    page = response.content.decode()
    assert "1 stored, 0 updated, 0 unchanged, 1 rejected" in page
    assert "2999-01-01" in page and "Rosa" not in page
    submission = Submission.objects.get()
    report = _client(cast.alice).get(f"/exchange/submissions/{submission.public_id}/report.csv")
    assert report.content.decode().splitlines()[1].startswith("3,A2,identified_on,2999-01-01,")
    assert Identification.objects.count() == 1


def test_all_or_nothing_and_dry_run_on_the_page(cast: Cast) -> None:
    data = csv_file(row(agency_record_id="A1"), row(agency_record_id="A2", sex="?"))
    _upload(_client(cast.alice), data, all_or_nothing="on")
    _upload(_client(cast.alice), csv_file(row(agency_record_id="A1")), dry_run="on")
    assert Identification.objects.count() == 0
    assert [s.stored for s in Submission.objects.order_by("pk")] == [0, 1]


def test_a_large_file_waits_for_the_worker_with_progress(cast: Cast, settings: Any) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 10
    data, _bad = submission_generate(50, agency_code="FGE-PUE")
    page = _upload(_client(cast.alice), data).content.decode()
    assert "<progress" in page
    submission = Submission.objects.get()
    assert submission.status == "queued" and submission.total_rows == 50
    out = io.StringIO()
    call_command("worker", batch=True, no_schedule=True, stdout=out)
    assert "50 stored, 0 updated, 0 unchanged, 0 rejected" in out.getvalue()
    submission.refresh_from_db()
    assert (submission.status, submission.processed_rows, submission.stored) == ("done", 50, 50)


def test_another_agency_gets_404_for_the_submission(cast: Cast) -> None:
    _upload(_client(cast.alice), csv_file(row(agency_record_id="A1")))
    public_id = Submission.objects.get().public_id
    for url in (
        f"/exchange/submissions/{public_id}/",
        f"/exchange/submissions/{public_id}/report.json",
    ):
        assert _client(cast.charlie).get(url).status_code == 404
        assert _client(cast.ana).get(url).status_code == 404


def test_roles_without_case_work_cannot_upload(cast: Cast) -> None:
    assert _client(cast.audrey).get("/exchange/submissions/new/").status_code == 403
    assert Client().get("/exchange/submissions/new/").status_code == 302
