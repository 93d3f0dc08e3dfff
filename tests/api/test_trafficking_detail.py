"""How the person was trafficked, through the API: read on every identification, replaced by
the identifying agency's system, codes checked against the country profile."""

from __future__ import annotations

import json
from typing import Any

import pytest

from enlace.audit.models import AuditEvent
from enlace.registry.models import Person, TraffickingDetail
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

DETAIL = {
    "recruitment_methods": ["job_offer"],
    "control_methods": ["debt_bondage"],
    "sex_exploitation_types": ["prostitution"],
    "labour_industries": ["I"],
    "places": [
        {"stage": "recruitment", "country": "MX", "jurisdiction": "7", "municipality": "Tapachula"},
        {"stage": "exploitation", "country": "US"},
    ],
}


def _post(api: Api, pk: int, body: dict[str, Any]) -> Any:
    return api.post(f"/identifications/{pk}/detail", json.dumps(body))


def test_the_identifying_agency_records_and_reads_it(person: Person, api_a: Api) -> None:
    pk = person.identifications.get().pk

    response = _post(api_a, pk, DETAIL)

    assert response.status_code == 200, response.content
    detail = response.json()["detail"]
    assert detail["sex_exploitation_types"] == ["prostitution"]
    assert detail["labour_industries"] == ["I"]
    assert detail["places"] == [
        {"stage": "exploitation", "country": "US", "jurisdiction": None, "municipality": ""},
        {
            "stage": "recruitment",
            "country": "MX",
            "jurisdiction": "07",
            "municipality": "Tapachula",
        },
    ]
    assert api_a.get(f"/identifications/{pk}").json()["detail"] == detail
    assert AuditEvent.objects.filter(action="identification.detail").count() == 1


def test_a_code_outside_the_profile_is_a_422_naming_it(person: Person, api_a: Api) -> None:
    pk = person.identifications.get().pk
    response = _post(api_a, pk, {**DETAIL, "control_methods": ["debt_bondage", "magic"]})
    assert response.status_code == 422
    (message,) = response.json()["detail"]["control_methods"]
    assert message.endswith(": magic")  # in the API's language, naming the code
    assert not TraffickingDetail.objects.exists()


def test_another_agency_gets_a_404(person: Person, api_b: Api) -> None:
    response = _post(api_b, person.identifications.get().pk, DETAIL)
    assert response.status_code == 404
    assert not TraffickingDetail.objects.exists()
