"""Guatemala's profile, the second shipped: it validates, and loads like Mexico's."""

from __future__ import annotations

import datetime
from typing import Any

import pycountry
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Q
from django.utils import translation

from enlace.accounts.models import Role
from enlace.directory.calendar import add_working_days_in, public_holidays
from enlace.directory.check_digits import cui_valid
from enlace.directory.models import (
    Agency,
    Country,
    CountryProfile,
    ExchangeRate,
    IdentityDocument,
    Jurisdiction,
)
from enlace.directory.profile import Profile, profile_path, profile_read
from enlace.immigration.models import PermitKind
from enlace.immigration.services import visa_decide, visa_request
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.services import person_register
from tests.conftest import _user

D = datetime.date


@pytest.fixture(scope="module")
def gt() -> Profile:
    return profile_read(profile_path("GT"))


def test_the_22_departments_are_iso_s_with_ine_codes(gt: Profile) -> None:
    iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="GT")}
    assert len(gt.jurisdictions) == 22 == len(iso)
    for j in gt.jurisdictions:
        assert iso[f"GT-{j.code}"] == j.name
        assert f"GT-{j.code}" in j.aliases


def test_the_cui_is_the_national_id_and_its_example_passes(gt: Profile) -> None:
    cui = gt.identity_documents[0]
    assert (cui.code, cui.check_digit, cui.unique_for_linkage) == ("cui", "cui", True)
    assert cui.accepts("2718 28188 0101") and cui_valid(cui.example)
    # Department 23 does not exist, though the check digit is right.
    assert not cui.accepts("2718281882301")


def test_the_institutions_the_law_names_are_there(gt: Profile) -> None:
    agencies = {a.code: a for a in gt.agencies}
    assert agencies["SVET"].kind == "coordination"
    assert agencies["MP-FCTP"].parent == "MP" and agencies["MP-FCTP"].kind == "prosecutor"
    assert agencies["PGN-PNA"].kind == "child_services"
    assert agencies["IGM"].kind == "immigration"
    assert all(p.decided_by == "immigration" for p in gt.permits)


def test_guatemala_s_holidays_make_the_working_days() -> None:
    closed = public_holidays("GT", (2017,))
    # Independence Day and Revolution Day, and Holy Thursday and Good Friday 2017.
    assert {D(2017, 9, 15), D(2017, 10, 20), D(2017, 4, 13), D(2017, 4, 14)} <= closed
    # Thursday 14 September 2017 + 1 working day skips Friday the 15th.
    assert add_working_days_in("GT", D(2017, 9, 14), 1) == D(2017, 9, 18)


@pytest.mark.django_db
def test_it_loads_with_the_command_and_twice_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("profile_load", "GT")
    assert "country profiles created" in capsys.readouterr().out
    profile = CountryProfile.objects.get(code="GT")
    assert (profile.currency, profile.holidays_country) == ("GTQ", "GT")
    assert profile.currency_words["es"]["other"] == "quetzales"
    assert Jurisdiction.objects.get(code="09").name == "Quetzaltenango"
    assert "Xela" in Jurisdiction.objects.get(code="09").aliases
    assert Agency.objects.get(code="MP-FCTP").parent == Agency.objects.get(code="MP")
    assert Agency.objects.filter(Q(code="SVET") | Q(code="PGN") | Q(code="IGM")).count() == 3
    assert IdentityDocument.objects.filter(code="cui", check_digit="cui").exists()
    assert PermitKind.objects.get(code="humanitarian_12m").unit == "months"
    assert ExchangeRate.objects.filter(profile=profile).count() == 10

    call_command("profile_load", "GT")
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_igm_grants_a_humanitarian_stay_of_twelve_months(settings: Any) -> None:
    """On Guatemala's profile, the Fiscalía asks, the IGM decides, for the profile's term."""
    call_command("profile_load", "GT")
    settings.COUNTRY_PROFILE = "GT"
    fiscal = _user("fiscal", Role.CASEWORKER, "MP-FCTP")
    migracion = _user("migracion", Role.CASEWORKER, "IGM")
    mexican = person_register(
        actor=fiscal, identity={}, sex="female", nationality=Country.objects.get(iso2="MX")
    )
    referral = referral_send(
        actor=fiscal,
        person=mexican,
        to_agency=Agency.objects.get(code="IGM"),
        services=["legal"],
        consent=True,
    )
    referral_accept(actor=migracion, referral=referral)
    request = visa_request(actor=fiscal, person=mexican, requested_on=D(2017, 6, 1))

    visa = visa_decide(actor=migracion, request=request, decided_on=D(2017, 6, 15), granted=True)

    assert (visa.validity, visa.valid_until) == ("humanitarian_12m", D(2018, 6, 15))
    with translation.override("es-mx"):
        assert visa.validity_label == "Permanencia por razones humanitarias (un año)"
    # A Guatemalan is no foreign victim here.
    guatemalan = person_register(
        actor=fiscal, identity={}, sex="male", nationality=Country.objects.get(iso2="GT")
    )
    with pytest.raises(ValidationError):
        visa_request(actor=fiscal, person=guatemalan, requested_on=D(2017, 6, 1))
