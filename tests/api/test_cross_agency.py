"""A token of agency B cannot read or write agency A's records through any endpoint.

The cases come from the API's own OpenAPI document: a new endpoint is
checked automatically, and one this test does not know how to exercise
makes it fail until it is taught (RECORD_OF, WRITES below).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from enlace.api.api import api
from enlace.assistance.models import ServiceDelivery, Stay
from enlace.cases.models import Case, FollowUp, Goal
from enlace.exchange.template import COLUMN_NAMES
from enlace.funds.models import Grant
from enlace.immigration.models import Repatriation, VisaRequest
from enlace.justice.models import (
    DetentionEvent,
    Participation,
    ProtectionMeasure,
    RestitutionOrder,
    RestitutionPayment,
)
from enlace.referrals.models import Referral
from enlace.registry.models import (
    Identification,
    IdentityCorrection,
    TraffickingDetail,
    TraffickingPlace,
)
from tests.api.conftest import Api

# Which of A's records a path parameter names, by the path's first segment.
PATHS = api.get_openapi_schema()["paths"]
OPERATIONS = sorted(
    (method.upper(), path)
    for path, ops in PATHS.items()
    for method in ops
    if method != "parameters"
)
# Aggregates over every agency, the same for all: nothing of A's to refuse.
NATIONAL = {"statistics"}


def _segment(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/")[0]


def _fill(path: str, record: Any) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "year":
            return "2017"
        return str(getattr(record, name))

    return re.sub(r"\{(\w+)\}", value, path)


def _submission_file(records: dict[str, Any]) -> bytes:
    # Agency A's own record id and A's code: B must not reach A's record with it.
    values = {c: "" for c in COLUMN_NAMES}
    values.update(
        agency_record_id=records["identifications"].agency_record_id or "A-1",
        agency_code="FGE-PUE",
        identified_on="2017-06-01",
    )
    return (",".join(COLUMN_NAMES) + "\n" + ",".join(values.values()) + "\n").encode()


# How to try to write A's records through each writing endpoint.
WRITES: dict[str, Callable[[Api, dict[str, Any]], Any]] = {
    "POST /api/v1/identifications": lambda b, r: b.post(
        "/identifications",
        {"person": r["persons"].public_id, "identified_on": "2017-06-01"},
        content_type="application/json",
    ),
    "POST /api/v1/identifications/{pk}/detail": lambda b, r: _json(
        b,
        f"/identifications/{r['identifications'].pk}/detail",
        control_methods=["threats"],
        places=[{"stage": "exploitation", "country": "MX", "jurisdiction": "14"}],
    ),
    "POST /api/v1/detentions": lambda b, r: b.post(
        "/detentions",
        {"person": r["persons"].public_id, "kind": "detention", "occurred_on": "2017-06-01"},
        content_type="application/json",
    ),
    "POST /api/v1/persons": lambda b, r: b.post(
        "/persons", {"identity": {"curp": "HEZG990314MPLRRD03"}}, content_type="application/json"
    ),
    "POST /api/v1/submissions": lambda b, r: b.post(
        "/submissions", {"file": _upload(_submission_file(r))}
    ),
    "POST /api/v1/referrals": lambda b, r: _json(
        b,
        "/referrals",
        person=r["persons"].public_id,
        to_agency="FEVIMTRA",
        services=["legal"],
        consent=True,
    ),
    "POST /api/v1/services": lambda b, r: _json(
        b,
        "/services",
        person=r["persons"].public_id,
        category="emergency",
        kind="legal",
        started_on="2017-06-01",
    ),
    "POST /api/v1/stays": lambda b, r: _json(
        b, "/stays", person=r["persons"].public_id, shelter="REF-FEVIMTRA", admitted_on="2017-06-01"
    ),
    "POST /api/v1/visa-requests": lambda b, r: _json(
        b, "/visa-requests", person=r["persons"].public_id, requested_on="2017-06-01"
    ),
    "POST /api/v1/repatriations": lambda b, r: _json(
        b,
        "/repatriations",
        person=r["persons"].public_id,
        repatriated_on="2017-06-01",
        country="GT",
        receiving_organisation="Otra",
    ),
    "POST /api/v1/proceedings": lambda b, r: _json(
        b,
        "/proceedings",
        person=r["persons"].public_id,
        role="witness",
        started_on="2017-06-01",
    ),
    "POST /api/v1/proceedings/{pk}/protection-measures": lambda b, r: _json(
        b,
        f"/proceedings/{r['proceedings'].pk}/protection-measures",
        kind="relocation",
        ordered_on="2017-06-01",
    ),
    "POST /api/v1/proceedings/{pk}/restitution-orders": lambda b, r: _json(
        b,
        f"/proceedings/{r['proceedings'].pk}/restitution-orders",
        awarded_on="2017-06-01",
        amount="100.00",
    ),
    "POST /api/v1/proceedings/{pk}/restitution-payments": lambda b, r: _json(
        b,
        f"/proceedings/{r['proceedings'].pk}/restitution-payments",
        order=1,
        paid_on="2017-06-01",
        amount="100.00",
    ),
    "POST /api/v1/proceedings/{pk}/conclusion": lambda b, r: _json(
        b, f"/proceedings/{r['proceedings'].pk}/conclusion", concluded_on="2017-07-01"
    ),
    "POST /api/v1/persons/{public_id}/identity-corrections": lambda b, r: _json(
        b,
        f"/persons/{r['persons'].public_id}/identity-corrections",
        reason="typing",
        corrected_on="2017-06-02",
        curp="LOPJ850101HDFRRN09",
    ),
    # A grant is the token agency's own, to an NGO: it names none of A's records.
    "POST /api/v1/grants": lambda b, r: _json(
        b, "/grants", grantee="ONG-PUE", amount="1000.00", awarded_on="2017-06-01"
    ),
    "POST /api/v1/cases": lambda b, r: _json(b, "/cases", person=r["persons"].public_id),
    "POST /api/v1/cases/{pk}/goals": lambda b, r: _json(
        b, f"/cases/{r['cases'].pk}/goals", category="legal"
    ),
    "POST /api/v1/cases/{pk}/follow-ups": lambda b, r: _json(
        b, f"/cases/{r['cases'].pk}/follow-ups", kind="call", due_on="2017-07-01"
    ),
    "POST /api/v1/cases/{pk}/close": lambda b, r: _json(
        b, f"/cases/{r['cases'].pk}/close", reason="declined"
    ),
    "POST /api/v1/cases/{pk}/reopen": lambda b, r: _json(b, f"/cases/{r['cases'].pk}/reopen"),
    "POST /api/v1/cases/{pk}/transfer": lambda b, r: _json(
        b, f"/cases/{r['cases'].pk}/transfer", to_agency="DIF", services=["legal"], consent=True
    ),
    "POST /api/v1/follow-ups/{pk}/done": lambda b, r: _json(
        b, f"/follow-ups/{r['follow-ups'].pk}/done"
    ),
    "POST /api/v1/referrals/{pk}/accept": lambda b, r: _json(
        b, f"/referrals/{r['referrals'].pk}/accept"
    ),
    "POST /api/v1/referrals/{pk}/complete": lambda b, r: _json(
        b, f"/referrals/{r['referrals'].pk}/complete"
    ),
    "POST /api/v1/referrals/{pk}/decline": lambda b, r: _json(
        b, f"/referrals/{r['referrals'].pk}/decline", reason="No."
    ),
    "POST /api/v1/referrals/{pk}/revoke": lambda b, r: _json(
        b, f"/referrals/{r['referrals'].pk}/revoke", reason="No."
    ),
    "POST /api/v1/stays/{pk}/discharge": lambda b, r: _json(
        b, f"/stays/{r['stays'].pk}/discharge", discharged_on="2017-07-01", reason="other"
    ),
    "POST /api/v1/visa-requests/{pk}/decision": lambda b, r: _json(
        b, f"/visa-requests/{r['visa-requests'].pk}/decision", decided_on="2017-07-01", granted=True
    ),
    "POST /api/v1/visa-requests/{pk}/extensions": lambda b, r: _json(
        b,
        f"/visa-requests/{r['visa-requests'].pk}/extensions",
        extended_on="2017-07-01",
        validity="calendar_days_90",
    ),
}


# Writes that create a record of the token's own agency and name none of A's.
CREATES = {"POST /api/v1/persons", "POST /api/v1/submissions", "POST /api/v1/grants"}


def _json(api: Api, path: str, **body: Any) -> Any:
    return api.post(path, body, content_type="application/json")


def _state(records: dict[str, Any]) -> list[Any]:
    """What a write of B's could have changed in A's casework records."""
    return [
        sorted(Referral.objects.values_list("pk", "status", "person_id")),
        sorted(ServiceDelivery.objects.values_list("pk", "agency_id", "person_id")),
        sorted(Stay.objects.values_list("pk", "discharged_on", "person_id")),
        sorted(VisaRequest.objects.values_list("pk", "outcome", "person_id")),
        sorted(Repatriation.objects.values_list("pk", "person_id")),
        sorted(Participation.objects.values_list("pk", "concluded_on", "person_id")),
        sorted(ProtectionMeasure.objects.values_list("pk", "participation_id")),
        sorted(RestitutionOrder.objects.values_list("pk", "participation_id")),
        sorted(RestitutionPayment.objects.values_list("pk", "order_id")),
        sorted(IdentityCorrection.objects.values_list("pk", "person_id")),
        sorted(Grant.objects.values_list("pk", "grantor_id")),
        sorted(Case.objects.values_list("pk", "status", "closure_requested_on", "person_id")),
        sorted(Goal.objects.values_list("pk", "case_id")),
        sorted(FollowUp.objects.values_list("pk", "done_on", "case_id")),
        sorted(TraffickingDetail.objects.values_list("pk", "identification_id")),
        sorted(TraffickingPlace.objects.values_list("pk", "identification_id")),
    ]


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.csv", data, content_type="text/csv")


def _identifiers(records: dict[str, Any]) -> list[str]:
    """What would betray one of A's records in a response body."""
    found = [records["persons"].public_id, records["submissions"].public_id]
    found += [f'"id":{records[k].pk},' for k in records if k not in ("persons", "submissions")]
    return found


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_agency_b_cannot_reach_agency_a(
    method: str, path: str, api_a: Api, api_b: Api, records_a: dict[str, Any]
) -> None:
    segment = _segment(path)
    if method == "GET":
        if segment in NATIONAL:
            assert api_b.get(_fill(path, None).removeprefix("/api/v1")).status_code == 200
            return
        assert segment in records_a, f"teach this test which record {path} serves"
        url = _fill(path, records_a[segment]).removeprefix("/api/v1")
        # A sees it: the test is aimed at something real.
        seen_by_a = api_a.get(url)
        assert seen_by_a.status_code == 200, url
        response = api_b.get(url)
        if "{" in path:
            assert response.status_code == 404, url
        else:
            assert response.status_code == 200, url
            seen = seen_by_a.content.decode().replace(" ", "")
            assert [i for i in _identifiers(records_a) if i in seen], url
            body = response.content.decode().replace(" ", "")
            assert not [i for i in _identifiers(records_a) if i in body], url
        return
    key = f"{method} {path}"
    assert key in WRITES, f"teach this test how to try to write A's records through {key}"
    before = {
        (i.pk, i.identified_on, i.status, i.person_id)
        for i in Identification.objects.filter(agency__code="FGE-PUE")
    }
    casework = _state(records_a)
    response = WRITES[key](api_b, records_a)
    assert response.status_code < 500
    assert _state(records_a) == casework
    after = {
        (i.pk, i.identified_on, i.status, i.person_id)
        for i in Identification.objects.filter(agency__code="FGE-PUE")
    }
    assert after == before
    assert not DetentionEvent.objects.filter(agency__code="FGE-JAL").exists()
    assert records_a["persons"].identity.curp == "HEZG990314MPLRRD03"
    if key not in CREATES:
        assert response.status_code == 404, key
