"""Recording a protection measure ordered in a proceeding, on its page."""

from __future__ import annotations

import datetime

import pytest

from enlace.justice.models import Participation, ProtectionMeasure
from enlace.justice.services import participation_record
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def proceeding(cast: Cast, person: Person) -> Participation:
    return participation_record(
        actor=cast.alice, person=person, role="complainant", started_on=datetime.date(2017, 5, 2)
    )


def test_it_records_the_measure_on_the_timeline(
    cast: Cast, person: Person, proceeding: Participation
) -> None:
    client = signed_in(cast.alice)
    timeline = client.get(f"/people/{person.public_id}/").content.decode()
    assert f"/proceedings/{proceeding.pk}/protection/" in timeline

    client.post(
        f"/proceedings/{proceeding.pk}/protection/",
        {"kind": "restraining_order", "ordered_on": "2017-05-10"},
    )

    measure = ProtectionMeasure.objects.get()
    assert measure.participation == proceeding and measure.kind == "restraining_order"
    assert measure.ordered_on == datetime.date(2017, 5, 10)
    assert "Restraining order" in client.get(f"/people/{person.public_id}/").content.decode()


def test_bad_input_shows_beside_the_field(cast: Cast, proceeding: Participation) -> None:
    response = signed_in(cast.alice).post(
        f"/proceedings/{proceeding.pk}/protection/", {"kind": "curfew", "ordered_on": "soon"}
    )

    page = response.content.decode()
    assert 'id="id_kind_error"' in page and 'id="id_ordered_on_error"' in page
    assert not ProtectionMeasure.objects.exists()


def test_another_agency_gets_a_404(cast: Cast, proceeding: Participation) -> None:
    response = signed_in(cast.charlie).post(
        f"/proceedings/{proceeding.pk}/protection/",
        {"kind": "relocation", "ordered_on": "2017-05-10"},
    )
    assert response.status_code == 404
    assert not ProtectionMeasure.objects.exists()


def test_it_speaks_spanish(cast: Cast, proceeding: Participation) -> None:
    page = signed_in(cast.alice, "es").get(f"/proceedings/{proceeding.pk}/protection/")
    assert "Registrar una medida de protección" in page.content.decode()
