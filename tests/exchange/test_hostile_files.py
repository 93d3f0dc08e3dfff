"""Hostile files are refused with a clear reason, store nothing, and never stop the queue."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from enlace.exchange import services
from enlace.exchange.models import Submission
from enlace.exchange.reading import Limits, SubmissionError, read_table
from enlace.exchange.services import submission_create, submission_import_task
from enlace.exchange.template import COLUMN_NAMES
from enlace.registry.models import Identification, Person
from tests.api.conftest import Api, _token
from tests.conftest import Cast
from tests.exchange.conftest import HEADER, csv_file, row


@pytest.fixture(autouse=True)
def _english() -> Any:
    # The reasons below are the English ones: the command and the worker run in-process.
    with translation.override("en"):
        yield


# In every hostile file, beside what makes it hostile: a reason must never quote it.
SECRET = "Rosa"


def _xlsx(*, age: str = "30", padding: int = 0) -> bytes:
    """A workbook in the template's columns with one row; ``age`` written into the
    numeric cell as it is, ``padding`` bytes of blanks inflating its sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMN_NAMES))
    values: dict[str, Any] = {"agency_record_id": "A1", "identified_on": "2017-06-01"}
    values.update(given_names=SECRET, sex="female", jurisdiction="21", age_at_identification=30)
    sheet.append([values.get(c) for c in COLUMN_NAMES])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>30</v>", f"<v>{age}</v>".encode())
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            target.writestr(info.filename, content)
    return out.getvalue()


def _wide_header() -> bytes:
    # Template names repeated: each one a duplicate, the case the old check paid for squared.
    header = ",".join((list(COLUMN_NAMES) * 2000)[:32_000])
    return (header + "\n" + row(agency_record_id="A1", given_names=SECRET) + "\n").encode()


# name: the file, what its reason must say, and settings for the case.
HOSTILE: dict[str, tuple[Callable[[], bytes], str, dict[str, int]]] = {
    "over-long field": (
        lambda: csv_file(row(agency_record_id="A1", notes=f"{SECRET} " * 30_000)),
        "Row 2: a value is too long: the limit is 10,000 (ENLACE_IMPORT_MAX_FIELD).",
        {},
    ),
    "bad numeric cell": (
        lambda: _xlsx(age=SECRET),
        "Row 2 cannot be read.",
        {},
    ),
    "wide header": (
        _wide_header,
        "Row 1 (header) has too many columns: the limit is 200 (ENLACE_IMPORT_MAX_COLUMNS).",
        {},
    ),
    "decompression bomb": (
        lambda: _xlsx(padding=20 * 1024 * 1024),
        "The workbook is too large once uncompressed: the limit is 10,485,760 "
        "(ENLACE_IMPORT_MAX_UNZIPPED_BYTES).",
        {"IMPORT_MAX_UNZIPPED_BYTES": 10 * 1024 * 1024},
    ),
    "NUL bytes": (
        lambda: csv_file(row(agency_record_id="A1", given_names=f"Ro\x00{SECRET}")),
        "Row 2, given_names: a control character (such as NUL) is not allowed.",
        {},
    ),
    "too many rows": (
        lambda: csv_file(*(row(agency_record_id=f"A{i}") for i in range(4))),
        "The file has too many rows: the limit is 3 (ENLACE_IMPORT_MAX_ROWS).",
        {"IMPORT_MAX_ROWS": 3},
    ),
}
CASES = pytest.mark.parametrize("case", list(HOSTILE))


@pytest.fixture
def hostile(case: str, settings: Any) -> tuple[bytes, str]:
    make, reason, overrides = HOSTILE[case]
    for name, value in overrides.items():
        setattr(settings, name, value)
    return make(), reason


@pytest.fixture
def api_a(cast: Cast, django_user_model: Any) -> Api:
    """Agency A's system on the API, as in tests/api."""
    return Api(_token(django_user_model.objects.create_superuser("root"), cast, "FGE-PUE"))


def _client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("envío.csv", data, content_type="text/csv")


def _nothing_stored() -> bool:
    return not Identification.objects.exists() and not Person.objects.exists()


@CASES
def test_the_command_refuses_it(cast: Cast, tmp_path: Path, hostile: tuple[bytes, str]) -> None:
    data, reason = hostile
    path = tmp_path / "hostile.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), agency="FGE-PUE", stdout=io.StringIO())
    assert str(refused.value) == reason
    assert _nothing_stored()


@CASES
def test_the_upload_page_answers_4xx(cast: Cast, hostile: tuple[bytes, str]) -> None:
    data, reason = hostile
    response = _client(cast.alice).post("/exchange/submissions/new/", {"file": _upload(data)})
    assert response.status_code == 422
    page = response.content.decode()
    assert reason in page and SECRET not in page
    assert _nothing_stored()
    assert Submission.objects.get().status == Submission.Status.FAILED


@CASES
def test_the_api_answers_4xx(cast: Cast, api_a: Api, hostile: tuple[bytes, str]) -> None:
    data, reason = hostile
    response = api_a.post("/submissions", {"file": _upload(data)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json() == {"detail": reason}
    assert _nothing_stored()


@CASES
def test_the_worker_fails_it_and_imports_the_next(cast: Cast, hostile: tuple[bytes, str]) -> None:
    data, reason = hostile
    bad = submission_create(actor=cast.alice, filename="bad.csv", content=data)
    good = submission_create(
        actor=cast.alice, filename="good.csv", content=csv_file(row(agency_record_id="G1"))
    )
    # Queued as a large file is (the upload refuses a hostile file at once, before queueing).
    submission_import_task.enqueue(bad.pk)
    submission_import_task.enqueue(good.pk)
    out = io.StringIO()
    call_command("worker", batch=True, no_schedule=True, stdout=out)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, bad.failure, bad.stored) == ("failed", reason, 0)
    assert (good.status, good.stored) == ("done", 1)
    assert f"{bad.public_id} FGE-PUE: failed: {reason}" in out.getvalue()
    assert "2 tasks run." in out.getvalue()
    assert list(Identification.objects.values_list("agency_record_id", flat=True)) == ["G1"]
    # The failed submission's page says why and stops refreshing itself.
    page = _client(cast.alice).get(f"/exchange/submissions/{bad.public_id}/").content.decode()
    assert reason in page and 'http-equiv="refresh"' not in page


def test_an_unexpected_error_fails_the_submission_and_the_worker_goes_on(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    first = submission_create(actor=cast.alice, filename="a.csv", content=csv_file(row()))
    second = submission_create(
        actor=cast.alice, filename="b.csv", content=csv_file(row(agency_record_id="B1"))
    )
    real = services.submission_import

    def flaky(**kwargs: Any) -> Any:
        if kwargs["data"] == bytes(first.content):
            raise ValueError(f"could not convert {SECRET!r}")
        return real(**kwargs)

    monkeypatch.setattr(services, "submission_import", flaky)
    submission_import_task.enqueue(first.pk)
    submission_import_task.enqueue(second.pk)
    call_command("worker", batch=True, no_schedule=True, stdout=io.StringIO())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "failed" and "unexpected error" in first.failure
    assert SECRET not in first.failure and SECRET not in caplog.text
    assert f"Submission {first.public_id} failed: ValueError" in caplog.text
    assert (second.status, second.stored) == ("done", 1)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    cast: Cast, api_a: Api, settings: Any, tmp_path: Path
) -> None:
    settings.IMPORT_MAX_BYTES = 100
    data = csv_file(row(agency_record_id="A1"))
    reason = "The file is too large: the limit is 100 (ENLACE_IMPORT_MAX_BYTES)."
    page = _client(cast.alice).post("/exchange/submissions/new/", {"file": _upload(data)})
    assert page.status_code == 413 and reason in page.content.decode()
    answer = api_a.post("/submissions", {"file": _upload(data)}, HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.status_code, answer.json()) == (413, {"detail": reason})
    assert not Submission.objects.exists()
    path = tmp_path / "large.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="ENLACE_IMPORT_MAX_BYTES"):
        call_command("import", str(path), agency="FGE-PUE", stdout=io.StringIO())
    assert _nothing_stored()


def test_the_header_check_is_linear() -> None:
    # Allowed that wide, 32,000 repeated names are still checked in well under a second.
    started = time.monotonic()
    with translation.override("en"), pytest.raises(SubmissionError, match="repeated columns"):
        read_table(_wide_header(), Limits(max_columns=40_000))
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("cell", "refused"),
    [("a\tb", False), ("line\r\nbreak", False), ("bell\x07", True), ("del\x7f", True)],
)
def test_control_characters_are_refused_with_row_and_column(cell: str, refused: bool) -> None:
    quoted = '"' + cell.replace('"', '""') + '"'
    data = f"{HEADER}\n{row(agency_record_id='A1', notes=quoted)}\n".encode()
    rows = read_table(data, Limits())[1]
    if refused:
        with (
            translation.override("en"),
            pytest.raises(SubmissionError, match=r"^Row 2, notes: a control character"),
        ):
            list(rows)
    else:
        assert len(list(rows)) == 1
