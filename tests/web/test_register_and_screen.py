from __future__ import annotations

import re

import pytest

from enlace.audit.models import AuditEvent
from enlace.directory.models import Country
from enlace.registry.models import Identification, Person, Screening
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

FORM = {
    "given_names": "Rosa Elena",
    "paternal_surname": "Martínez",
    "maternal_surname": "Ortega",
    "birth_date": "2001-05-09",
    "curp": "",
    "sex": "female",
    "gender": "woman",
    "indigenous": "true",
    "disability": "",
}


def test_it_registers_with_consent_and_keeps_the_identity_encrypted(cast: Cast) -> None:
    response = signed_in(cast.alice).post("/people/new/", {**FORM, "consent": "on"})

    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.public_id}/screen/"
    assert person.registered_by.code == "FGE-PUE" and person.indigenous is True
    assert person.identity.given_names == "Rosa Elena"


def test_it_refuses_without_consent_and_loses_nothing_typed(cast: Cast) -> None:
    response = signed_in(cast.alice).post("/people/new/", FORM)

    page = response.content.decode()
    assert response.status_code == 200 and not Person.objects.exists()
    assert 'id="id_consent_error"' in page and "needs the person&#x27;s consent" in page
    assert 'value="Rosa Elena"' in page and 'value="Ortega"' in page
    assert 'value="2001-05-09"' in page and '<option value="female" selected>' in page


def test_it_says_a_curp_is_too_short_beside_the_field(cast: Cast) -> None:
    response = signed_in(cast.alice).post("/people/new/", {**FORM, "curp": "ABC", "consent": "on"})
    assert 'id="id_curp_error"' in response.content.decode()
    assert not Person.objects.exists()


def test_the_screening_proposes_a_potential_victim(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice)
    questions = client.get(f"/people/{person.public_id}/screen/").context["form"]
    assert questions.protocol.code == "FED-RESCATE"  # the prosecutors' protocol first
    answers = {name: "on" for name in questions.fields if name.startswith("q_")}

    response = client.post(
        f"/people/{person.public_id}/screen/",
        {"protocol": "FED-RESCATE", "screened_on": "2017-06-01", **answers},
        follow=True,
    )

    screening = Screening.objects.get()
    assert screening.proposes_potential_victim and screening.score >= 3
    assert "proposes a potential victim" in response.content.decode()


def test_a_screening_below_the_threshold_proposes_nothing(cast: Cast, person: Person) -> None:
    response = signed_in(cast.alice).post(
        f"/people/{person.public_id}/screen/",
        {"protocol": "FED-RESCATE", "screened_on": "2017-06-01"},
        follow=True,
    )
    assert not Screening.objects.get().proposes_potential_victim
    assert "does not propose a victim" in response.content.decode()


def test_the_questions_follow_the_protocol_and_the_language(cast: Cast, person: Person) -> None:
    client = signed_in(cast.alice, "es-mx")
    page = client.get(
        f"/people/{person.public_id}/screen/?protocol=INM-PDIA", headers={"HX-Request": "true"}
    ).content.decode()
    assert "¿Alguien retiene sus documentos de identidad o de viaje?" in page
    assert "<html" not in page  # htmx gets the questions alone


def test_it_records_an_identification_with_several_forms(cast: Cast, person: Person) -> None:
    response = signed_in(cast.alice).post(
        f"/people/{person.public_id}/identify/",
        {
            "identified_on": "2017-07-01",
            "status": "potential",
            "exploitation": ["sex_trafficking", "forced_labour"],
            "jurisdiction": cast.agency("FGE-PUE").jurisdiction_id,
            "consent_to_share": "on",
        },
    )
    assert response.status_code == 302
    latest = Identification.objects.filter(person=person).order_by("-identified_on").first()
    assert latest is not None and latest.consent_to_share
    assert sorted(f.form for f in latest.forms.all()) == ["forced_labour", "sex_trafficking"]


def test_a_future_identification_is_refused_beside_the_date(cast: Cast, person: Person) -> None:
    response = signed_in(cast.alice).post(
        f"/people/{person.public_id}/identify/",
        {"identified_on": "2999-01-01", "status": "potential", "exploitation": ["other"]},
    )
    page = response.content.decode()
    assert 'id="id_identified_on_error"' in page and "cannot be in the future" in page
    assert 'value="2999-01-01"' in page
    assert re.search(r'<input [^>]*value="other"[^>]* checked>', page)


def test_a_supervisor_confirms_from_the_home_page(cast: Cast, person: Person) -> None:
    client = signed_in(cast.sam)
    assert person.public_id in client.get("/").content.decode()
    identification = Identification.objects.get(person=person)

    client.post(f"/identifications/{identification.pk}/confirm/", {"next": "/"})

    identification.refresh_from_db()
    assert identification.status == Identification.Status.IDENTIFIED
    assert person.public_id not in client.get("/").content.decode()


def test_a_supervisor_rules_a_potential_victim_out(cast: Cast, person: Person) -> None:
    identification = Identification.objects.get(person=person)
    url = f"/identifications/{identification.pk}/rule-out/"
    page = signed_in(cast.sam).get(f"/people/{person.public_id}/").content.decode()
    assert f'action="{url}"' in page

    # A caseworker may not; another agency does not see the record; a reason is required.
    assert signed_in(cast.alice).post(url, {"ruled_out_reason": "other"}).status_code == 403
    assert signed_in(cast.charlie).post(url, {"ruled_out_reason": "other"}).status_code == 404
    signed_in(cast.sam).post(url, {"ruled_out_reason": ""})
    identification.refresh_from_db()
    assert identification.status == Identification.Status.POTENTIAL

    response = signed_in(cast.sam).post(url, {"ruled_out_reason": "other_crime"}, follow=True)

    identification.refresh_from_db()
    assert identification.status == Identification.Status.NOT_A_VICTIM
    assert (
        identification.ruled_out_reason == "other_crime" and identification.confirmed_by == cast.sam
    )
    page = response.content.decode()
    assert "Ruled out: not a victim." in page and "Another crime, not trafficking" in page
    event = AuditEvent.objects.get(action="identification.rule_out")
    assert (event.before or {}).get("status") == "potential"
    assert (event.after or {}).get("status") == "not_a_victim"
    # Decided once: an identification no longer potential is not ruled out again.
    again = signed_in(cast.sam).post(url, {"ruled_out_reason": "other"}, follow=True)
    assert "Only a potential victim can be ruled out." in again.content.decode()


def test_a_place_is_a_state_or_a_country_abroad_not_both(cast: Cast, person: Person) -> None:
    response = signed_in(cast.alice).post(
        f"/people/{person.public_id}/identify/",
        {
            "identified_on": "2017-07-01",
            "status": "potential",
            "exploitation": ["other"],
            "jurisdiction": cast.agency("FGE-PUE").jurisdiction_id,
            "country_abroad": Country.objects.get(iso2="US").pk,
        },
    )
    assert 'id="id_country_abroad_error"' in response.content.decode()
    assert Identification.objects.filter(person=person).count() == 1


def test_consent_is_never_ticked_for_the_caseworker(cast: Cast) -> None:
    typed = {"prefill": "1", "given_names": "Rosa", "consent": "on"}
    page = signed_in(cast.alice).post("/people/new/", typed).content.decode()
    assert 'value="Rosa"' in page
    assert re.search(r'<input [^>]*name="consent"[^>]*checked', page) is None
