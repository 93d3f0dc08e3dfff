"""Files of records about people already identified, one kind per file: imported through the
command, the upload page and the API, each row written by the page's own service.

Per kind: a real file stores its record (on the person's timeline, with the
service's audit row); a file with bad rows stores nothing and reports each
bad row by row, column and reason, never echoing an identity value.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from enlace.api.services import api_token_create
from enlace.audit.models import AuditEvent
from enlace.exchange import exports
from enlace.exchange.kinds import KINDS, records_import
from enlace.exchange.models import Submission
from enlace.funds.models import Grant
from enlace.immigration.models import VisaExtension
from enlace.immigration.services import visa_decide, visa_request
from enlace.justice.models import Alert, DetentionEvent, ProtectionMeasure, RestitutionPayment
from enlace.justice.services import participation_record, restitution_order_record
from enlace.registry.models import Identification, IdentityCorrection, Person
from enlace.registry.selectors import identity_get_for_user
from tests.conftest import DAY, IDENTITY, Cast

pytestmark = pytest.mark.django_db

RECORD_ID = "PUE-2017-0042"


@dataclass
class Scenario:
    """A kind of record file: who imports it, what it needs first, a good row and bad ones."""

    user: str
    agency: str
    # Makes what the row refers to (a proceeding, a granted visa); returns the person.
    setup: Callable[[Cast], Person]
    good: Callable[[Person], dict[str, str]]
    # Each bad row with the column its error names and a part of the reason.
    bad: list[tuple[dict[str, str], str, str]]
    stored: Callable[[Person], int]
    audit: str
    # What the person's page then shows; None for a record about no one (a grant).
    timeline: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _identified(cast: Cast) -> Person:
    """A person FGE-PUE registered and identified, under its own record id."""
    from enlace.registry.services import identification_record, person_register

    person = person_register(actor=cast.alice, identity=IDENTITY, sex="female")
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["sex_trafficking"],
        agency_record_id=RECORD_ID,
    )
    return person


def _in_proceedings(cast: Cast) -> Person:
    person = _identified(cast)
    participation_record(
        actor=cast.alice,
        person=person,
        role="complainant",
        started_on=DAY,
        case_reference="CI/PUE/2017/9",
    )
    return person


def _with_order(cast: Cast) -> Person:
    person = _in_proceedings(cast)
    restitution_order_record(
        actor=cast.alice,
        participation=person.proceedings.get(),
        awarded_on=datetime.date(2017, 8, 1),
        amount=Decimal("1000.00"),
    )
    return person


def _with_visa(cast: Cast) -> Person:
    """A person referred to INM, whose humanitarian visa INM granted."""
    from enlace.referrals.services import referral_accept, referral_send

    person = _identified(cast)
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("INM"),
        services=["legal"],
        consent=True,
    )
    referral_accept(actor=cast.ines, referral=referral)
    visa = visa_request(actor=cast.ines, person=person, requested_on=DAY)
    visa_decide(
        actor=cast.ines, request=visa, decided_on=DAY, granted=True, validity="working_days_60"
    )
    return person


BY_RECORD = {"person_record_id": RECORD_ID}

SCENARIOS: dict[str, Scenario] = {
    "detentions": Scenario(
        "alice",
        "FGE-PUE",
        _identified,
        lambda p: {**BY_RECORD, "kind": "detention", "occurred_on": "2017-07-01"},
        [
            ({**BY_RECORD, "kind": "arrest", "occurred_on": "2017-07-01"}, "kind", "Not one of"),
            (
                {**BY_RECORD, "kind": "detention", "occurred_on": "2999-01-01"},
                "occurred_on",
                "future",
            ),
            (
                {
                    "person_record_id": "PUE-NONE-1",
                    "kind": "detention",
                    "occurred_on": "2017-07-01",
                },
                "person_record_id",
                "No identification of your agency",
            ),
        ],
        lambda p: DetentionEvent.objects.filter(person=p).count(),
        "detention.record",
        "<h3>Detention</h3>",
    ),
    "protection_measures": Scenario(
        "alice",
        "FGE-PUE",
        _in_proceedings,
        lambda p: {**BY_RECORD, "measure": "relocation", "ordered_on": "2017-07-01"},
        [
            (
                {**BY_RECORD, "measure": "relocation", "ordered_on": "31/02/2017"},
                "ordered_on",
                "Not a date",
            ),
            (
                {
                    **BY_RECORD,
                    "case_reference": "CI/OTHER",
                    "measure": "relocation",
                    "ordered_on": "2017-07-01",
                },
                "case_reference",
                "no such proceeding",
            ),
        ],
        lambda p: ProtectionMeasure.objects.filter(participation__person=p).count(),
        "protection.record",
        "· Relocation",
    ),
    "restitution_payments": Scenario(
        "alice",
        "FGE-PUE",
        _with_order,
        lambda p: {**BY_RECORD, "paid_on": "2017-09-01", "amount": "400.00"},
        [
            ({**BY_RECORD, "paid_on": "2017-09-01", "amount": "-5"}, "amount", "Not an amount"),
            # The service's own rule: payments never exceed the award.
            ({**BY_RECORD, "paid_on": "2017-09-01", "amount": "5000.00"}, "amount", "exceed"),
        ],
        lambda p: RestitutionPayment.objects.filter(order__participation__person=p).count(),
        "restitution.pay",
        "paid 400.00 on 2017-09-01",
    ),
    "proceedings_concluded": Scenario(
        "alice",
        "FGE-PUE",
        _in_proceedings,
        lambda p: {**BY_RECORD, "case_reference": "CI/PUE/2017/9", "concluded_on": "2018-01-02"},
        [
            ({**BY_RECORD, "concluded_on": "2017-01-01"}, "concluded_on", "cannot end before"),
        ],
        lambda p: p.proceedings.exclude(concluded_on=None).count(),
        "proceeding.conclude",
        "concluded on 2018-01-02",
    ),
    "visa_extensions": Scenario(
        "ines",
        "INM",
        _with_visa,
        lambda p: {
            "person": p.public_id,
            "extended_on": "2017-09-01",
            "validity": "calendar_days_90",
        },
        [
            (
                {"person": "P-NOSUCH", "extended_on": "2017-09-01", "validity": "calendar_days_90"},
                "person",
                "No person",
            ),
            (
                {"person": "{public_id}", "extended_on": "2017-09-01", "validity": "forever"},
                "validity",
                "Not one of",
            ),
        ],
        lambda p: VisaExtension.objects.filter(request__person=p).count(),
        "visa.extend",
        "extended until",
    ),
    "repatriations": Scenario(
        "alice",
        "FGE-PUE",
        _identified,
        lambda p: {
            **BY_RECORD,
            "repatriated_on": "2017-12-01",
            "country": "Guatemala",
            "receiving_agency": "CONS-LA",
        },
        [
            (
                {
                    **BY_RECORD,
                    "repatriated_on": "2017-12-01",
                    "country": "Atlantis",
                    "receiving_agency": "CONS-LA",
                },
                "country",
                "Unknown",
            ),
            # The service's own rule: someone received the person.
            (
                {**BY_RECORD, "repatriated_on": "2017-12-01", "country": "GT"},
                "receiving_agency",
                "Name the agency",
            ),
        ],
        lambda p: p.repatriations.count(),
        "repatriation.record",
        "Repatriation · Guatemala",
    ),
    "identity_corrections": Scenario(
        "alice",
        "FGE-PUE",
        _identified,
        lambda p: {
            **BY_RECORD,
            "reason": "document",
            "corrected_on": "2017-06-02",
            "maternal_surname": "Zarate Ruiz",
        },
        [
            # An identity value: named by column, never shown.
            (
                {
                    **BY_RECORD,
                    "reason": "typing",
                    "corrected_on": "2017-06-02",
                    "curp": "HEZG990314XXXXXX",
                },
                "curp",
                "Not a well-formed CURP",
            ),
            (
                {
                    **BY_RECORD,
                    "reason": "whim",
                    "corrected_on": "2017-06-02",
                    "given_names": "Mariana",
                },
                "reason",
                "Not one of",
            ),
        ],
        lambda p: IdentityCorrection.objects.filter(person=p).count(),
        "identity.correct",
        "Identity corrected · An identity document shows otherwise",
    ),
    "ruled_out": Scenario(
        "sam",
        "FGE-PUE",
        _identified,
        lambda p: {**BY_RECORD, "reason": "other_crime"},
        [({**BY_RECORD, "reason": "bored"}, "reason", "Not one of")],
        lambda p: p.identifications.filter(status="not_a_victim").count(),
        "identification.rule_out",
        "Ruled out: Another crime",
    ),
    "services": Scenario(
        "alice",
        "FGE-PUE",
        _identified,
        lambda p: {
            **BY_RECORD,
            "category": "long_term",
            "kind": "psychological",
            "started_on": "2017-06-05",
        },
        [
            (
                {**BY_RECORD, "category": "forever", "kind": "legal", "started_on": "2017-06-05"},
                "category",
                "Not one of",
            ),
            (
                {
                    **BY_RECORD,
                    "category": "emergency",
                    "kind": "legal",
                    "started_on": "2017-06-05",
                    "fund": "NO-FUND",
                },
                "fund",
                "Unknown code",
            ),
            # No grant from FGE-JAL was given to FGE-PUE.
            (
                {
                    **BY_RECORD,
                    "category": "emergency",
                    "kind": "legal",
                    "started_on": "2017-06-05",
                    "grant_from": "FGE-JAL",
                },
                "grant_from",
                "received no grant",
            ),
        ],
        lambda p: p.services.count(),
        "service.record",
        "Psychological care",
    ),
    "grants": Scenario(
        "sam",
        "FGE-PUE",
        _identified,
        lambda p: {"grantee": "ONG-PUE", "amount": "598500.00", "awarded_on": "2017-03-01"},
        [
            (
                {"grantee": "FGE-JAL", "amount": "1000", "awarded_on": "2017-03-01"},
                "grantee",
                "non-governmental",
            ),
            (
                {"grantee": "ONG-PUE", "amount": "-5", "awarded_on": "2017-03-01"},
                "amount",
                "Not an amount",
            ),
        ],
        lambda p: Grant.objects.count(),
        "grant.record",
        None,
    ),
}


def _file(kind: str, rows: list[dict[str, str]], person: Person) -> bytes:
    columns = [c.name for c in KINDS[kind].columns]
    lines = [",".join(columns)]
    for row in rows:
        values = {k: v.replace("{public_id}", person.public_id) for k, v in row.items()}
        assert set(values) <= set(columns), values
        lines.append(",".join(values.get(c, "") for c in columns))
    return ("\n".join(lines) + "\n").encode()


def _through_command(user: User, agency: str, kind: str, data: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(data)
    out = io.StringIO()
    call_command(
        "import", str(path), agency=agency, kind=kind, user=user.username, stdout=out, stderr=out
    )
    return out.getvalue()


def _through_page(user: User, agency: str, kind: str, data: bytes, tmp_path: Path) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    upload = SimpleUploadedFile(f"{kind}.csv", data, content_type="text/csv")
    response = client.post(
        "/exchange/submissions/new/", {"file": upload, "kind": kind}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def _through_api(user: User, agency: str, kind: str, data: bytes, tmp_path: Path) -> str:
    admin = User.objects.create_superuser("root", password="password")
    key = api_token_create(actor=admin, user=user, name="system")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    upload = SimpleUploadedFile(f"{kind}.csv", data, content_type="text/csv")
    response = client.post("/api/v1/submissions", {"file": upload, "kind": kind})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == kind
    return response.content.decode()


CHANNELS = {"command": _through_command, "page": _through_page, "api": _through_api}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_file_of_each_kind_stores_its_record_through_the_pages_service(
    kind: str, channel: str, cast: Cast, tmp_path: Path
) -> None:
    scenario = SCENARIOS[kind]
    person = scenario.setup(cast)
    user = getattr(cast, scenario.user)
    audited = AuditEvent.objects.filter(action=scenario.audit).count()
    before = scenario.stored(person)
    CHANNELS[channel](
        user, scenario.agency, kind, _file(kind, [scenario.good(person)], person), tmp_path
    )
    assert scenario.stored(person) == before + 1
    # The service's audit row, under the importing user's name.
    events = AuditEvent.objects.filter(action=scenario.audit).order_by("pk")
    assert events.count() == audited + 1
    assert events.last().actor_name == user.username  # type: ignore[union-attr]
    if channel != "command":
        submission = Submission.objects.get()
        assert (submission.kind, submission.stored, submission.rejected) == (kind, 1, 0)
    # On the person's timeline, as the importing agency reads it.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = client.get(f"/people/{person.public_id}/").content.decode()
    assert scenario.timeline is None or scenario.timeline in page


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_file_with_bad_rows_stores_nothing_and_names_row_column_and_reason(
    kind: str, cast: Cast
) -> None:
    scenario = SCENARIOS[kind]
    person = scenario.setup(cast)
    user = getattr(cast, scenario.user)
    audit_rows = AuditEvent.objects.count()
    before = scenario.stored(person)
    rows = [scenario.good(person), *(row for row, _column, _reason in scenario.bad)]
    with translation.override("en"):
        result = records_import(actor=user, kind=kind, data=_file(kind, rows, person))
    assert (result.total, result.stored, result.rejected) == (len(rows), 0, len(scenario.bad))
    assert result.nothing_stored
    assert scenario.stored(person) == before
    assert AuditEvent.objects.count() == audit_rows
    found = [(e.row, e.column) for e in result.errors]
    expected = [(n, column) for n, (_row, column, _reason) in enumerate(scenario.bad, start=3)]
    assert found == expected
    for error, (_row, _column, reason) in zip(result.errors, scenario.bad, strict=True):
        assert reason in error.reason, (error.reason, reason)
        shown = str(error.as_dict())
        assert not [
            v for v in (*map(str, IDENTITY.values()), "Mariana", "HEZG990314XXXXXX") if v in shown
        ]


def test_a_detention_imported_raises_the_non_punishment_alert_as_the_page_does(cast: Cast) -> None:
    person = _identified(cast)
    data = _file("detentions", [SCENARIOS["detentions"].good(person)], person)
    result = records_import(actor=cast.alice, kind="detentions", data=data)
    assert result.stored == 1
    event = DetentionEvent.objects.get(person=person)
    assert list(Alert.objects.filter(event=event).values_list("agency__code", flat=True)) == [
        "FGE-PUE"
    ]


def test_a_caseworker_cannot_rule_out_by_file(cast: Cast, tmp_path: Path) -> None:
    person = _identified(cast)
    data = _file("ruled_out", [SCENARIOS["ruled_out"].good(person)], person)
    with translation.override("en"):
        out = _through_command(cast.alice, "FGE-PUE", "ruled_out", data, tmp_path)
    assert "Only a supervisor of the agency rules a person out" in out
    assert "nothing was stored" in out
    assert Identification.objects.get(person=person).status == "potential"


def test_another_agency_cannot_reach_the_person_by_its_record_id_or_public_id(cast: Cast) -> None:
    """Jalisco names Puebla's person by Puebla's record id and by public id: neither is found."""
    person = _identified(cast)
    rows = [
        {**BY_RECORD, "kind": "detention", "occurred_on": "2017-07-01"},
        {"person": person.public_id, "kind": "detention", "occurred_on": "2017-07-01"},
    ]
    result = records_import(
        actor=cast.charlie, kind="detentions", data=_file("detentions", rows, person)
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "person_record_id"), (3, "person")]
    assert not DetentionEvent.objects.exists()


def test_an_identity_correction_by_file_changes_the_identity_and_keeps_the_old_value(
    cast: Cast,
) -> None:
    person = _identified(cast)
    data = _file("identity_corrections", [SCENARIOS["identity_corrections"].good(person)], person)
    records_import(actor=cast.alice, kind="identity_corrections", data=data)
    vault = identity_get_for_user(user=cast.alice, person=person)
    assert (vault.maternal_surname, vault.given_names) == ("Zarate Ruiz", IDENTITY["given_names"])
    correction = IdentityCorrection.objects.get(person=person)
    assert correction.fields == ["maternal_surname"]


@pytest.mark.parametrize("kind", SCENARIOS)
def test_each_kind_has_a_template_whose_example_row_fits_its_columns(kind: str) -> None:
    lines = exports.template_csv(kind).splitlines()
    assert lines[0].split(",") == [c.name for c in KINDS[kind].columns]
    assert len(lines[1].split(",")) == len(KINDS[kind].columns)
    response = Client().get(f"/exchange/template.csv?kind={kind}")
    assert response.status_code == 200 and response.content.decode().splitlines() == lines


def test_the_export_command_writes_each_kinds_template(tmp_path: Path) -> None:
    out = tmp_path / "template.csv"
    call_command("export", "template", "--kind", "repatriations", output=out)
    assert out.read_bytes() == exports.template_csv("repatriations").encode()
    assert out.read_text().startswith("person_record_id,person,repatriated_on,country,")


def test_the_page_reports_a_bad_file_of_records_and_says_nothing_was_stored(
    cast: Cast, tmp_path: Path
) -> None:
    scenario = SCENARIOS["repatriations"]
    person = scenario.setup(cast)
    rows = [scenario.good(person), scenario.bad[0][0]]
    page = _through_page(
        cast.alice, "FGE-PUE", "repatriations", _file("repatriations", rows, person), tmp_path
    )
    assert "Nothing was stored." in page and "Unknown value." in page
    assert "Atlantis" not in page
    assert not person.repatriations.exists()
    submission = Submission.objects.get()
    assert (submission.stored, submission.rejected, submission.all_or_nothing) == (0, 1, True)
    assert [(e["row"], e["column"]) for e in submission.errors] == [(3, "country")]


def test_an_ngo_records_by_file_the_services_a_grant_paid(cast: Cast) -> None:
    """The 76 people INDESOL's grants served are counted from such services."""
    from enlace.accounts.models import Role
    from enlace.funds.selectors import grant_list_with_victims_served
    from enlace.funds.services import grant_record
    from enlace.referrals.services import referral_accept, referral_send
    from tests.conftest import _user

    person = _identified(cast)
    olga = _user("olga", Role.CASEWORKER, "ONG-PUE")
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("ONG-PUE"),
        services=["psychological"],
        consent=True,
    )
    referral_accept(actor=olga, referral=referral)
    grant = grant_record(
        actor=cast.sam,
        grantee=cast.agency("ONG-PUE"),
        amount=Decimal(598500),
        awarded_on=datetime.date(2017, 3, 1),
    )
    row = {
        "person": "{public_id}",
        "category": "long_term",
        "kind": "psychological",
        "started_on": "2017-06-05",
        "grant_from": "FGE-PUE",
    }
    result = records_import(actor=olga, kind="services", data=_file("services", [row], person))
    assert (result.stored, result.rejected) == (1, 0)
    assert person.services.get().grant == grant
    grants = grant_list_with_victims_served()
    served = {g.pk: g.victims_served for g in grants}  # type: ignore[attr-defined]
    assert served[grant.pk] == 1
