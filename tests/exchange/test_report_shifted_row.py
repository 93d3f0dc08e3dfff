"""The probe's case: one unquoted comma in ``given_names`` shifts every later cell of
the row, so surnames and the birth date land in non-identity columns. No part of
that identity reaches the stored report, its page, its downloads, the API or the
command's output; the errors still name the row, the column and the reason."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from enlace.api.services import api_token_create
from enlace.exchange.models import Submission
from enlace.exchange.services import agency_system_user, submission_create, submission_start
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row

IDENTITY = {
    "given_names": "María, Guadalupe",  # the unquoted comma
    "paternal_surname": "Hernández",
    "maternal_surname": "Zárate",
    "birth_date": "1999-03-14",
    "curp": "HEZG990314MPLRRD03",
}
PARTS = ("María", "Guadalupe", "Hernández", "Zárate", "1999", "03-14", "HEZG990314MPLRRD03")
SHIFTED = csv_file(
    row(agency_record_id="PUE-2017-0001"),
    row(
        agency_record_id="PUE-2017-0002",
        age_at_identification="18",
        nationality="MX",
        exploitation_forms="sex_trafficking",
        consent_to_share="yes",
        **IDENTITY,
    ),
)


def _leaks(text: str) -> list[str]:
    return [part for part in PARTS if part.lower() in text.lower()]


def _as_text(content: bytes) -> str:
    # JSON may escape "á" as "\u00e1": compare decoded values.
    return json.dumps(json.loads(content), ensure_ascii=False)


def _check_errors(errors: list[dict[str, Any]]) -> None:
    assert errors, "the shifted row is rejected"
    assert {e["row"] for e in errors} == {3}
    assert {e["agency_record_id"] for e in errors} == {"PUE-2017-0002"}
    # The probe saw the maternal surname under sex and the birth date under the age.
    assert {"sex", "age_at_identification"} <= {e["column"] for e in errors}
    assert all(e["column"] and e["reason"] for e in errors)
    assert _leaks(json.dumps(errors, ensure_ascii=False)) == []


def test_the_stored_report_and_everything_serving_it_withhold_the_identity(
    cast: Cast, admin_user: User
) -> None:
    submission = submission_create(actor=cast.alice, filename="envio.csv", content=SHIFTED)
    submission_start(submission=submission)
    stored = Submission.objects.get(pk=submission.pk)
    assert (stored.status, stored.stored, stored.rejected) == ("done", 1, 1)
    _check_errors(stored.errors)

    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(cast.alice)
    base = f"/exchange/submissions/{stored.public_id}/"
    page = web.get(base)
    report_json = web.get(base + "report.json")
    report_csv = web.get(base + "report.csv")
    assert page.status_code == report_json.status_code == report_csv.status_code == 200
    assert "PUE-2017-0002" in page.content.decode()
    assert "age_at_identification" in report_csv.content.decode()
    _check_errors(json.loads(report_json.content))
    for text in (page.content.decode(), _as_text(report_json.content), report_csv.content.decode()):
        assert _leaks(text) == []

    system = agency_system_user(agency=cast.agency("FGE-PUE"), purpose="api")
    key = api_token_create(actor=admin_user, user=system, name="FGE-PUE case system")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get(f"/api/v1/submissions/{stored.public_id}/report")
    assert response.status_code == 200
    _check_errors(response.json())
    assert _leaks(_as_text(response.content)) == []


def test_the_command_output_and_its_reports_withhold_the_identity(
    cast: Cast, tmp_path: Path
) -> None:
    path = tmp_path / "envio.csv"
    path.write_bytes(SHIFTED)
    for name in ("report.json", "report.csv"):
        out, err = io.StringIO(), io.StringIO()
        report = tmp_path / name
        call_command(
            "import",
            str(path),
            agency="FGE-PUE",
            dry_run=True,
            report=report,
            stdout=out,
            stderr=err,
        )
        assert "row 3 [PUE-2017-0002] sex ([withheld]): " in out.getvalue()
        assert _leaks(out.getvalue() + err.getvalue()) == []
        assert _leaks(report.read_text(encoding="utf-8")) == []
