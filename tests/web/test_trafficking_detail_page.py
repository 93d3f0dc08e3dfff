"""The page of how a person was trafficked: its choices come from the country profile, a code
outside them does not validate, and what is recorded shows again on the page."""

from __future__ import annotations

import pytest

from enlace.directory.models import Jurisdiction
from enlace.registry.models import Person, TraffickingDetail, TraffickingPlace
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _url(person: Person) -> str:
    return f"/identifications/{person.identifications.get().pk}/detail/"


def test_it_records_the_detail_from_the_profile_choices(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    detail_page = alice.get(f"/people/{person.public_id}/").content.decode()
    assert _url(person) in detail_page

    form = alice.get(_url(person)).content.decode()
    assert 'value="debt_bondage"' in form and "Debt bondage" in form
    chiapas = Jurisdiction.objects.get(code="07")
    response = alice.post(
        _url(person),
        {
            "control_methods": ["debt_bondage", "threats"],
            "sex_exploitation_types": ["prostitution"],
            "labour_industries": ["I"],
            "recruitment_jurisdiction": chiapas.pk,
            "recruitment_municipality": "Tapachula",
        },
        follow=True,
    )

    assert "Trafficking detail recorded." in response.content.decode()
    codes = set(TraffickingDetail.objects.values_list("vocabulary", "code"))
    assert codes == {
        ("control_methods", "debt_bondage"),
        ("control_methods", "threats"),
        ("sex_exploitation_types", "prostitution"),
        ("labour_industries", "I"),
    }
    # A state without a country is a place in the country of the profile.
    place = TraffickingPlace.objects.get()
    assert (place.stage, place.country.iso2, place.jurisdiction, place.municipality) == (
        "recruitment",
        "MX",
        chiapas,
        "Tapachula",
    )
    again = alice.get(_url(person)).content.decode()
    assert 'value="threats" id="id_control_methods_3" checked' in again or (
        'value="threats"' in again and "checked" in again
    )


def test_a_code_outside_the_profile_does_not_validate(cast: Cast, person: Person) -> None:
    response = signed_in(cast.alice).post(_url(person), {"sex_exploitation_types": ["slavery"]})
    assert response.status_code == 200
    assert "Select a valid choice. slavery is not one of the available choices." in (
        response.content.decode()
    )
    assert not TraffickingDetail.objects.exists()


def test_the_labels_follow_the_language(cast: Cast, person: Person) -> None:
    form = signed_in(cast.alice, "es-mx").get(_url(person)).content.decode()
    assert "Servidumbre por deudas" in form and "Tipo de explotación sexual" in form


def test_another_agency_gets_a_404(cast: Cast, person: Person) -> None:
    assert signed_in(cast.charlie).get(_url(person)).status_code == 404
