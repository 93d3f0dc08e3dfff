"""The path's indicators move by one record, by its duration or by its amount."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from enlace.assistance.models import Shelter
from enlace.assistance.services import service_record, stay_admit, stay_discharge
from enlace.funds.money import to_usd
from enlace.immigration.services import visa_decide, visa_request
from enlace.justice.services import (
    participation_record,
    restitution_order_record,
    restitution_payment_record,
)
from enlace.referrals.models import Referral
from enlace.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_expire,
)
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from enlace.statistics import path
from enlace.statistics.indicators import REGISTRY
from tests.conftest import DAY, IDENTITY, Cast
from tests.web.conftest import signed_in

OTHER = {**IDENTITY, "curp": "", "given_names": "Lucía", "birth_date": datetime.date(2001, 2, 3)}


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _send(cast: Cast, person: Person, day: datetime.date = DAY, hour: int = 9) -> Referral:
    return referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=_at(day, hour),
    )


def _confirm(actor: User, person: Person, day: datetime.date = DAY) -> Person:
    """Identify as a victim: the fixtures' people are potential victims only."""
    identification_record(
        actor=actor, person=person, identified_on=day, forms=["forced_labour"], status="identified"
    )
    return person


def _identify(actor: User, identity: dict[str, Any], day: datetime.date = DAY) -> Person:
    return _confirm(actor, person_register(actor=actor, identity=identity, sex="female"), day)


def test_the_path_indicators_are_in_the_registry() -> None:
    for name in (
        "referrals_total",
        "referrals_by_sender",
        "referrals_by_receiver",
        "referral_acceptance_days",
        "path_funnel",
        "shelter_stay_days",
        "visa_wait_days",
        "foreign_without_visa_request",
        "restitution_ordered",
        "restitution_paid",
    ):
        assert REGISTRY[name].compute is getattr(path, name)


def test_each_referral_counts_once_in_its_outcome(cast: Cast, person: Person) -> None:
    zero = {"sent": 0, "accepted": 0, "declined": 0, "expired": 0, "completed": 0, "revoked": 0}
    assert path.referrals_total(2017) == zero

    accepted = _send(cast, person)
    assert path.referrals_total(2017) == {**zero, "sent": 1}
    referral_accept(actor=cast.fernanda, referral=accepted, at=_at(DAY, 15))
    assert path.referrals_total(2017) == {**zero, "sent": 1, "accepted": 1}
    # Completed is still accepted: it was accepted first.
    referral_complete(actor=cast.fernanda, referral=accepted, at=_at(DAY + datetime.timedelta(9)))
    assert path.referrals_total(2017) == {**zero, "sent": 1, "accepted": 1, "completed": 1}

    # The same person referred again counts again: the unit is the referral.
    declined = _send(cast, person, DAY + datetime.timedelta(20))
    referral_decline(actor=cast.fernanda, referral=declined, reason="Sin cupo")
    expiring = _send(cast, person, DAY + datetime.timedelta(40))
    referrals_expire(unanswered_for=datetime.timedelta(days=15))
    expiring.refresh_from_db()
    assert expiring.status == Referral.Status.EXPIRED
    assert path.referrals_total(2017) == {
        **zero,
        "sent": 3,
        "accepted": 1,
        "completed": 1,
        "declined": 1,
        "expired": 1,
    }
    # A referral counts in the year it was sent, not the year it was answered.
    assert path.referrals_total(2016)["sent"] == 0
    _send(cast, person, datetime.date(2016, 12, 31), hour=23)
    assert path.referrals_total(2016)["sent"] == 1
    assert path.referrals_total(2017)["sent"] == 3


def test_referrals_by_sending_and_receiving_agency(cast: Cast, person: Person) -> None:
    referral_accept(actor=cast.fernanda, referral=_send(cast, person))
    by_sender = path.referrals_by_sender(2017)
    by_receiver = path.referrals_by_receiver(2017)
    assert list(by_sender) == ["FGE-PUE"] and list(by_receiver) == ["FEVIMTRA"]
    assert by_sender["FGE-PUE"]["sent"] == by_receiver["FEVIMTRA"]["accepted"] == 1

    referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("INM"),
        services=["legal"],
        consent=True,
        at=_at(DAY),
    )
    assert path.referrals_by_sender(2017)["FGE-PUE"]["sent"] == 2
    assert path.referrals_by_receiver(2017)["INM"] == {
        "sent": 1,
        "accepted": 0,
        "declined": 0,
        "expired": 0,
        "completed": 0,
        "revoked": 0,
    }


def test_time_to_acceptance_median_and_p90(cast: Cast, person: Person) -> None:
    empty = {"referrals": 0, "median_days": None, "p90_days": None}
    assert path.referral_acceptance_days(2017)["all"] == empty

    # Two days exactly, then four and a half: hours count, weekends too.
    first = _send(cast, person)
    referral_accept(actor=cast.fernanda, referral=first, at=_at(DAY + datetime.timedelta(2)))
    assert path.referral_acceptance_days(2017)["all"] == {
        "referrals": 1,
        "median_days": 2.0,
        "p90_days": 2.0,
    }
    second = _send(cast, person, hour=8)
    referral_accept(
        actor=cast.fernanda, referral=second, at=_at(DAY + datetime.timedelta(4), hour=20)
    )
    times = path.referral_acceptance_days(2017)
    # The median, 3.25 days, rounds half up.
    assert times["all"] == {"referrals": 2, "median_days": 3.3, "p90_days": 4.5}
    assert times["by_sender"] == {"FGE-PUE": times["all"]}
    assert times["by_receiver"] == {"FEVIMTRA": times["all"]}

    # An unanswered referral has no time; one to another receiver is measured apart.
    _send(cast, person)
    third = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("INM"),
        services=["legal"],
        consent=True,
        at=_at(DAY),
    )
    referral_accept(actor=cast.ines, referral=third, at=_at(DAY + datetime.timedelta(30)))
    times = path.referral_acceptance_days(2017)
    assert times["all"] == {"referrals": 3, "median_days": 4.5, "p90_days": 30.0}
    assert times["by_receiver"]["INM"] == {"referrals": 1, "median_days": 30.0, "p90_days": 30.0}
    assert times["by_receiver"]["FEVIMTRA"]["referrals"] == 2


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert path.percentile(values, 0.9) == 9.0
    assert path.percentile([*values, 11.0], 0.9) == 10.0
    assert path.percentile([5.0], 0.9) == 5.0


def _people(funnel: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {step: values["people"] for step, values in funnel.items()}


def test_the_funnel_follows_the_years_identified_people(cast: Cast, foreigner: Person) -> None:
    # The fixture referred her to INM, which accepted.
    assert path.path_funnel(2017)["identified"] == {
        "people": 0,
        "kept_percent": None,
        "of_identified_percent": None,
    }
    _confirm(cast.alice, foreigner)
    funnel = path.path_funnel(2017)
    assert list(funnel) == list(path.FUNNEL_STEPS)
    assert _people(funnel) == {
        "identified": 1,
        "referred": 1,
        "accepted": 1,
        "assisted": 0,
        "sheltered": 0,
        "visa_requested": 0,
        "visa_granted": 0,
        "in_proceedings": 0,
        "restitution_ordered": 0,
        "restitution_paid": 0,
    }
    assert funnel["identified"] == {
        "people": 1,
        "kept_percent": None,
        "of_identified_percent": 100.0,
    }
    assert funnel["referred"]["kept_percent"] == 100.0
    assert funnel["assisted"]["kept_percent"] == 0.0
    assert funnel["sheltered"]["kept_percent"] is None  # nobody to keep

    expected = _people(funnel)
    service_record(
        actor=cast.ines, person=foreigner, category="emergency", kind="legal", started_on=DAY
    )
    expected["assisted"] += 1
    assert _people(path.path_funnel(2017)) == expected

    referral = referral_send(
        actor=cast.alice,
        person=foreigner,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    # A second referral of the same person: still one person referred.
    assert _people(path.path_funnel(2017)) == expected
    stay_admit(
        actor=cast.fernanda,
        person=foreigner,
        shelter=Shelter.objects.get(code="REF-FEVIMTRA"),
        admitted_on=datetime.date(2018, 1, 5),
    )
    # Any date: a stay the next year still shows the 2017 cohort was sheltered.
    expected["sheltered"] += 1
    assert _people(path.path_funnel(2017)) == expected

    request = visa_request(actor=cast.ines, person=foreigner, requested_on=DAY)
    expected["visa_requested"] += 1
    assert _people(path.path_funnel(2017)) == expected
    visa_decide(actor=cast.ines, request=request, decided_on=DAY, granted=True)
    expected["visa_granted"] += 1
    assert _people(path.path_funnel(2017)) == expected

    participation = participation_record(
        actor=cast.alice, person=foreigner, role="complainant", started_on=DAY
    )
    expected["in_proceedings"] += 1
    assert _people(path.path_funnel(2017)) == expected
    order = restitution_order_record(
        actor=cast.alice, participation=participation, awarded_on=DAY, amount=Decimal("5000")
    )
    expected["restitution_ordered"] += 1
    assert _people(path.path_funnel(2017)) == expected
    restitution_payment_record(actor=cast.alice, order=order, paid_on=DAY, amount=Decimal("100"))
    expected["restitution_paid"] += 1
    funnel = path.path_funnel(2017)
    assert _people(funnel) == expected
    assert funnel["restitution_paid"]["kept_percent"] == 100.0

    # Another person identified in 2017 joins the cohort; one identified in 2016 does not.
    _identify(cast.alice, IDENTITY)
    _identify(cast.alice, OTHER, datetime.date(2016, 4, 1))
    expected["identified"] += 1
    funnel = path.path_funnel(2017)
    assert _people(funnel) == expected
    assert funnel["referred"]["kept_percent"] == funnel["referred"]["of_identified_percent"] == 50.0
    assert funnel["restitution_paid"]["of_identified_percent"] == 50.0


def test_a_stays_length_counts_when_it_ends(cast: Cast, person: Person) -> None:
    shelter = Shelter.objects.get(code="REF-FEVIMTRA")
    referral_accept(actor=cast.fernanda, referral=_send(cast, person))
    empty = {"stays": 0, "median_days": None, "p90_days": None, "people": 0}
    assert path.shelter_stay_days(2017) == empty

    stay = stay_admit(
        actor=cast.fernanda, person=person, shelter=shelter, admitted_on=datetime.date(2017, 6, 2)
    )
    assert path.shelter_stay_days(2017) == empty  # still open: not measured
    stay_discharge(
        actor=cast.fernanda,
        stay=stay,
        discharged_on=datetime.date(2017, 7, 2),
        reason="reintegrated",
    )
    assert path.shelter_stay_days(2017) == {
        "stays": 1,
        "median_days": 30.0,
        "p90_days": 30.0,
        "people": 1,
    }

    # The same person again, ten days: two stays, one person.
    again = stay_admit(
        actor=cast.fernanda, person=person, shelter=shelter, admitted_on=datetime.date(2017, 8, 1)
    )
    stay_discharge(
        actor=cast.fernanda,
        stay=again,
        discharged_on=datetime.date(2017, 8, 11),
        reason="left_voluntarily",
    )
    assert path.shelter_stay_days(2017) == {
        "stays": 2,
        "median_days": 20.0,
        "p90_days": 30.0,
        "people": 1,
    }
    # A stay that ends in 2018 counts in 2018.
    late = stay_admit(
        actor=cast.fernanda, person=person, shelter=shelter, admitted_on=datetime.date(2017, 12, 1)
    )
    stay_discharge(
        actor=cast.fernanda,
        stay=late,
        discharged_on=datetime.date(2018, 1, 1),
        reason="left_voluntarily",
    )
    assert path.shelter_stay_days(2017)["stays"] == 2
    assert path.shelter_stay_days(2018)["median_days"] == 31.0


def test_visa_waits_and_foreign_victims_without_a_request(cast: Cast, foreigner: Person) -> None:
    _confirm(cast.alice, foreigner)
    # A victim with no nationality recorded is not foreign.
    _identify(cast.alice, IDENTITY)
    assert path.foreign_without_visa_request(2017) == {
        "foreign_identified": 1,
        "without_request": 1,
    }
    assert path.visa_wait_days(2017) == {"requests": 0, "median_days": None, "p90_days": None}

    requested = datetime.date(2017, 11, 21)
    request = visa_request(actor=cast.ines, person=foreigner, requested_on=requested)
    assert path.foreign_without_visa_request(2017) == {
        "foreign_identified": 1,
        "without_request": 0,
    }
    assert path.visa_wait_days(2017)["requests"] == 0  # pending: not measured
    visa_decide(
        actor=cast.ines,
        request=request,
        decided_on=requested + datetime.timedelta(days=12),
        granted=False,
        refusal_reason="Sin documentos",
    )
    assert path.visa_wait_days(2017) == {"requests": 1, "median_days": 12.0, "p90_days": 12.0}

    # Another foreign victim, identified in 2017, who never asked.
    other = person_register(
        actor=cast.alice,
        identity={"given_names": "Ana", "passport_number": "H7654321"},
        sex="female",
        nationality=foreigner.nationality,
    )
    _confirm(cast.alice, other)
    assert path.foreign_without_visa_request(2017) == {
        "foreign_identified": 2,
        "without_request": 1,
    }


def test_restitution_ordered_and_paid_in_pesos_and_dollars(cast: Cast, person: Person) -> None:
    rate = Decimal("0.05075")  # the MX profile's rate for 2017
    assert path.restitution_ordered(2017) == {
        "orders": 0,
        "people": 0,
        "amount_mxn": Decimal("0.00"),
        "amount_usd": Decimal("0"),
    }
    participation = participation_record(
        actor=cast.alice, person=person, role="victim_party", started_on=DAY
    )
    order = restitution_order_record(
        actor=cast.alice, participation=participation, awarded_on=DAY, amount=Decimal("598500")
    )
    assert path.restitution_ordered(2017) == {
        "orders": 1,
        "people": 1,
        "amount_mxn": Decimal("598500.00"),
        "amount_usd": Decimal("30370"),
    }
    restitution_order_record(
        actor=cast.alice, participation=participation, awarded_on=DAY, amount=Decimal("1000.50")
    )
    ordered = path.restitution_ordered(2017)
    assert (ordered["orders"], ordered["people"]) == (2, 1)
    assert ordered["amount_mxn"] == Decimal("599500.50")
    assert ordered["amount_usd"] == to_usd(Decimal("599500.50"), rate)

    restitution_payment_record(
        actor=cast.alice, order=order, paid_on=datetime.date(2018, 2, 1), amount=Decimal("200000")
    )
    assert path.restitution_paid(2017)["payments"] == 0
    paid = path.restitution_paid(2018)
    assert (paid["payments"], paid["people"], paid["amount_mxn"]) == (1, 1, Decimal("200000.00"))
    # No exchange rate for 2018 in the profile: no dollars, rather than wrong ones.
    assert paid["amount_usd"] is None


def test_the_analyst_reads_the_path_on_the_figures_page(cast: Cast, foreigner: Person) -> None:
    _confirm(cast.alice, foreigner)
    page = signed_in(cast.ana).get("/figures/?year=2017").content.decode()
    assert "Referrals sent" in page and "From identification to restitution" in page
    # One referral of the fixture's, accepted: the funnel keeps all of it.
    cells = '<td class="num">1</td><td class="num">100.0</td><td class="num">100.0</td>'
    assert f"<td>Referral accepted</td>{cells}" in page
    nobody = '<td class="num">0</td><td class="num">0.0</td><td class="num">0.0</td>'
    assert f"<td>Assisted</td>{nobody}" in page
    # Nobody assisted, so nobody to keep when it comes to shelter: a dash, not 0.
    assert '<td>Sheltered</td><td class="num">0</td><td class="num">–</td>' in page
    assert foreigner.public_id not in page and "Rosa" not in page

    page = signed_in(cast.ana, "es-mx").get("/figures/?year=2017").content.decode()
    assert "De la identificación a la reparación" in page and "Canalizaciones enviadas" in page
