from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Model

from enlace.assistance.models import Shelter
from enlace.audit.models import AuditEvent
from enlace.directory.models import (
    Agency,
    Country,
    CountryProfile,
    ExchangeRate,
    IdentityDocument,
    Jurisdiction,
    Protocol,
    ProtocolIndicator,
)
from enlace.funds.models import Fund
from enlace.immigration.models import PermitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def blank() -> None:
    """Start from a database without the profile the test session loaded."""
    for model in (ProtocolIndicator, Protocol, Shelter, Fund, ExchangeRate, CountryProfile):
        model._default_manager.all().delete()
    Agency.objects.filter(parent__isnull=False).delete()
    Agency.objects.all().delete()
    Jurisdiction.objects.all().delete()
    Country.objects.all().delete()


SEED_AGENCIES = ["FEVIMTRA", "PGR", "INM", "SRE", "DIF", "CEAV", "CNS", "INDESOL"]


def _counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Agency,
        Country,
        Jurisdiction,
        Protocol,
        Shelter,
        Fund,
        ExchangeRate,
        AuditEvent,
    ]
    return {m.__name__: m._default_manager.count() for m in models}


def test_it_loads_mexico(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("profile_load", "MX")

    assert Jurisdiction.objects.count() == 32
    assert Jurisdiction.objects.get(code="21").name == "Puebla"
    assert Jurisdiction.objects.get(code="09").name == "Ciudad de México"
    for code in SEED_AGENCIES:
        assert Agency.objects.filter(code=code).exists(), code
    assert Agency.objects.get(code="FEVIMTRA").parent == Agency.objects.get(code="PGR")
    state_prosecutors = Agency.objects.filter(level="state", kind="prosecutor")
    assert state_prosecutors.values("jurisdiction").distinct().count() == 32
    assert Agency.objects.filter(level="consular", country__iso2="US").count() >= 1
    for code in ["ONG-PUE", "CJM-HGO", "CJM-GTO", "REF-MEX", "REF-CMX"]:
        assert Agency.objects.get(code=code).kind == "shelter_operator"
    assert Protocol.objects.count() == 4
    assert ExchangeRate.objects.get(year=2017).usd_per_unit == Decimal("0.05075")
    assert Country.objects.get(iso2="US").name_es == "Estados Unidos"
    fevimtra_shelter = Shelter.objects.get(operator__code="FEVIMTRA")
    assert fevimtra_shelter.kind == "high_security"
    assert fevimtra_shelter.accepts_children and not fevimtra_shelter.residents_may_leave_alone
    assert Fund.objects.get(code="CEAV-EMERGENCIA").endowment == Decimal("3000000")


def test_loading_twice_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("profile_load", "MX")
    before = _counts()
    agencies = list(Agency.objects.values().order_by("code"))
    capsys.readouterr()

    call_command("profile_load", "MX")

    assert "nothing changed" in capsys.readouterr().out
    assert _counts() == before
    assert list(Agency.objects.values().order_by("code")) == agencies


def test_it_updates_what_the_file_changed(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("profile_load", "MX")
    Agency.objects.filter(code="INM").update(name="Old name")

    call_command("profile_load", "MX")

    assert Agency.objects.get(code="INM").name == "Instituto Nacional de Migración"
    assert "1 agencies updated" in capsys.readouterr().out


def test_it_stores_the_identity_documents_and_the_permits() -> None:
    call_command("profile_load", "MX")
    curp = IdentityDocument.objects.get()
    assert (curp.code, curp.check_digit, curp.unique_for_linkage) == ("curp", "curp", True)
    assert curp.example == "PEGJ850315HPLRRN03"
    assert [(p.code, p.unit, p.length, p.decided_by) for p in PermitKind.objects.all()] == [
        ("working_days_60", "working_days", 60, "immigration"),
        ("calendar_days_90", "calendar_days", 90, "immigration"),
    ]
