from __future__ import annotations

import datetime

import pytest

from enlace.assistance.models import ServiceDelivery, Shelter, Stay
from enlace.directory.models import Country
from enlace.funds.models import Disbursement
from enlace.immigration.models import VisaRequest
from enlace.immigration.services import visa_valid_until
from enlace.justice.models import Participation, RestitutionOrder
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(cast: Cast, person: Person) -> Person:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    return person


def test_the_admission_form_shows_free_beds(cast: Cast, referred: Person) -> None:
    page = signed_in(cast.fernanda).get(f"/people/{referred.public_id}/stays/new/")
    assert "(30 of 30 beds free)" in page.content.decode()


def test_it_admits_and_discharges(cast: Cast, referred: Person) -> None:
    client = signed_in(cast.fernanda)
    shelter = Shelter.objects.get(code="REF-FEVIMTRA")
    client.post(
        f"/people/{referred.public_id}/stays/new/",
        {"shelter": shelter.pk, "admitted_on": "2017-06-02", "accompanying_children": 1},
    )
    stay = Stay.objects.get()
    assert stay.referral is not None and stay.accompanying_children == 1
    assert (
        "(28 of 30 beds free)"
        in client.get(f"/people/{referred.public_id}/stays/new/").content.decode()
    )

    early = client.post(
        f"/stays/{stay.pk}/discharge/", {"discharged_on": "2017-06-01", "reason": "reintegrated"}
    )
    assert 'id="id_discharged_on_error"' in early.content.decode()
    client.post(
        f"/stays/{stay.pk}/discharge/", {"discharged_on": "2017-09-01", "reason": "reintegrated"}
    )
    stay.refresh_from_db()
    assert stay.discharged_on == datetime.date(2017, 9, 1)


def test_a_full_shelter_refuses_beside_the_shelter_field(cast: Cast, referred: Person) -> None:
    Shelter.objects.filter(code="REF-FEVIMTRA").update(capacity=1)
    shelter = Shelter.objects.get(code="REF-FEVIMTRA")
    client = signed_in(cast.fernanda)
    other = person_register(actor=cast.fernanda, identity={}, sex="female")
    client.post(
        f"/people/{other.public_id}/stays/new/",
        {"shelter": shelter.pk, "admitted_on": "2017-06-02", "accompanying_children": 0},
    )

    response = client.post(
        f"/people/{referred.public_id}/stays/new/",
        {"shelter": shelter.pk, "admitted_on": "2017-06-03", "accompanying_children": 0},
    )

    page = response.content.decode()
    assert 'id="id_shelter_error"' in page and "The shelter is full: 0 of 1 beds free." in page
    assert 'value="2017-06-03"' in page
    assert Stay.objects.count() == 1


def test_the_visa_decision_shows_the_computed_end(cast: Cast) -> None:
    guatemala = Country.objects.get(iso2="GT")
    person = person_register(actor=cast.ines, identity={}, sex="female", nationality=guatemala)
    client = signed_in(cast.ines)
    client.post(f"/people/{person.public_id}/visas/new/", {"requested_on": "2017-03-01"})
    visa = VisaRequest.objects.get()
    assert person.public_id in client.get("/").content.decode()  # waiting for a decision

    # The validities offered are the profile's permits, its first the default.
    form = client.get(f"/visas/{visa.pk}/decide/").content.decode()
    assert '<option value="working_days_60" selected>60 working days</option>' in form
    assert '<option value="calendar_days_90">90 calendar days</option>' in form
    client.post(
        f"/visas/{visa.pk}/decide/",
        {"decided_on": "2017-03-10", "granted": "true", "validity": "working_days_60"},
    )

    end = visa_valid_until(start=datetime.date(2017, 3, 10), validity="working_days_60")
    page = client.get(f"/people/{person.public_id}/").content.decode()
    assert f"valid until {end.isoformat()} (60 working days)" in page


def test_a_granted_visa_is_extended_from_its_end(cast: Cast) -> None:
    person = person_register(
        actor=cast.ines, identity={}, sex="female", nationality=Country.objects.get(iso2="GT")
    )
    client = signed_in(cast.ines)
    client.post(f"/people/{person.public_id}/visas/new/", {"requested_on": "2017-03-01"})
    visa = VisaRequest.objects.get()
    # Only a granted visa can be extended: before the decision, the form says so.
    early = client.post(
        f"/visas/{visa.pk}/extend/", {"extended_on": "2017-03-05", "validity": "calendar_days_90"}
    )
    assert "Only a granted visa can be extended." in early.content.decode()
    client.post(
        f"/visas/{visa.pk}/decide/",
        {"decided_on": "2017-03-10", "granted": "true", "validity": "working_days_60"},
    )
    assert (
        f'href="/visas/{visa.pk}/extend/"'
        in client.get(f"/people/{person.public_id}/").content.decode()
    )

    client.post(
        f"/visas/{visa.pk}/extend/", {"extended_on": "2017-05-20", "validity": "calendar_days_90"}
    )

    first_end = visa_valid_until(start=datetime.date(2017, 3, 10), validity="working_days_60")
    end = visa_valid_until(start=first_end, validity="calendar_days_90")
    page = client.get(f"/people/{person.public_id}/").content.decode()
    assert f"extended until {end.isoformat()}" in page
    assert visa.extensions.get().valid_until == end
    # Another agency reads no visa of INM's; a caseworker elsewhere cannot extend one.
    assert signed_in(cast.alice).get(f"/visas/{visa.pk}/extend/").status_code == 404


def test_a_refusal_needs_a_reason(cast: Cast) -> None:
    person = person_register(
        actor=cast.ines, identity={}, nationality=Country.objects.get(iso2="HN")
    )
    client = signed_in(cast.ines)
    client.post(f"/people/{person.public_id}/visas/new/", {"requested_on": "2017-03-01"})
    visa = VisaRequest.objects.get()
    response = client.post(
        f"/visas/{visa.pk}/decide/",
        {"decided_on": "2017-03-10", "granted": "false", "validity": "working_days_60"},
    )
    assert 'id="id_refusal_reason_error"' in response.content.decode()
    assert signed_in(cast.alice).get(f"/visas/{visa.pk}/decide/").status_code == 404


def test_services_payments_and_proceedings(cast: Cast, person: Person) -> None:
    alice = signed_in(cast.alice)
    alice.post(
        f"/people/{person.public_id}/services/new/",
        {"category": "emergency", "kind": "medical", "started_on": "2017-06-02"},
    )
    alice.post(
        f"/people/{person.public_id}/proceedings/new/",
        {"role": "complainant", "started_on": "2017-06-03", "case_reference": "CI-PUE/12/2017"},
    )
    participation = Participation.objects.get()
    alice.post(
        f"/proceedings/{participation.pk}/restitution/",
        {"awarded_on": "2017-12-01", "amount": "25000.00"},
    )
    page = alice.get(f"/people/{person.public_id}/").content.decode()
    assert ServiceDelivery.objects.get().kind == "medical" and "Medical care" in page
    assert "CI-PUE/12/2017" in page and RestitutionOrder.objects.get().amount == 25000

    guest = person_register(actor=cast.cecilia, identity={}, sex="male")
    cecilia = signed_in(cast.cecilia)
    assert "Payment" in cecilia.get(f"/people/{guest.public_id}/").content.decode()
    fund = cecilia.get(f"/people/{guest.public_id}/payments/new/").context["form"].fields["fund"]
    emergency = fund.queryset.get(code="CEAV-EMERGENCIA")
    early = cecilia.post(
        f"/people/{guest.public_id}/payments/new/",
        {"fund": emergency.pk, "amount": "1500", "paid_on": "2017-03-01", "purpose": "food"},
    )
    assert 'id="id_paid_on_error"' in early.content.decode()
    cecilia.post(
        f"/people/{guest.public_id}/payments/new/",
        {"fund": emergency.pk, "amount": "1500", "paid_on": "2017-05-01", "purpose": "food"},
    )
    assert Disbursement.objects.get().amount == 1500


def test_a_repatriation_names_the_country_and_who_received_the_person(
    cast: Cast, foreigner: Person
) -> None:
    client = signed_in(cast.ines)
    url = f"/people/{foreigner.public_id}/repatriations/new/"
    guatemala = Country.objects.get(iso2="GT")
    nobody = client.post(url, {"repatriated_on": "2017-12-01", "country": guatemala.pk})
    assert 'id="id_receiving_agency_error"' in nobody.content.decode()
    assert not foreigner.repatriations.exists()

    client.post(
        url,
        {
            "repatriated_on": "2017-12-01",
            "country": guatemala.pk,
            "receiving_organisation": "Secretaría de Bienestar Social",
        },
    )

    repatriation = foreigner.repatriations.get()
    assert repatriation.agency == cast.agency("INM") and repatriation.country == guatemala
    page = client.get(f"/people/{foreigner.public_id}/").content.decode()
    assert "Repatriation · Guatemala" in page and "Secretaría de Bienestar Social" in page
    # Another agency's caseworker reaches neither the form nor the record.
    assert signed_in(cast.charlie).get(url).status_code == 404
