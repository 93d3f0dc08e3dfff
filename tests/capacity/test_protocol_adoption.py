"""Protocol adoption by jurisdiction: recorded by the national coordination, audited, once per
jurisdiction and protocol; the report counts the jurisdictions with one by the year's end."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.accounts.models import Role
from enlace.audit.models import AuditEvent
from enlace.capacity.models import ProtocolAdoption
from enlace.capacity.services import protocol_adoption_record
from enlace.directory.models import Jurisdiction, Protocol
from enlace.reports.annual import annual_report
from enlace.reports.markdown import annual_report_markdown
from enlace.statistics.indicators import jurisdictions_with_protocol
from tests.conftest import Cast, _user

ADOPTED = datetime.date(2017, 3, 1)


def _adopt(
    cast: Cast, code: str, on: datetime.date = ADOPTED, protocol: str = "OIM-ESTATAL"
) -> ProtocolAdoption:
    return protocol_adoption_record(
        actor=cast.ana,
        jurisdiction=Jurisdiction.objects.get(code=code),
        protocol=Protocol.objects.get(code=protocol),
        adopted_on=on,
    )


def test_the_national_coordination_records_an_adoption(cast: Cast) -> None:
    adoption = _adopt(cast, "21")

    assert adoption.jurisdiction.name == "Puebla" and adoption.recorded_by == cast.ana
    event = AuditEvent.objects.get(action="protocol_adoption.record")
    assert event.object_id == str(adoption.pk) and event.agency_code == "CIT"


@pytest.mark.parametrize("who", ["alice", "sam", "audrey", "nobody", "analyst_elsewhere"])
def test_no_one_else_records_one(cast: Cast, who: str) -> None:
    # A national analyst outside a coordination agency is refused too.
    user = (
        _user("nadia", Role.NATIONAL_ANALYST, "FEVIMTRA")
        if who == "analyst_elsewhere"
        else getattr(cast, who)
    )
    with pytest.raises(PermissionDenied):
        protocol_adoption_record(
            actor=user,
            jurisdiction=Jurisdiction.objects.get(code="21"),
            protocol=Protocol.objects.get(code="OIM-ESTATAL"),
            adopted_on=ADOPTED,
        )
    assert not ProtocolAdoption.objects.exists()
    assert not AuditEvent.objects.filter(action="protocol_adoption.record").exists()


def test_a_jurisdiction_adopts_a_protocol_once(cast: Cast) -> None:
    _adopt(cast, "21")
    with pytest.raises(ValidationError) as refused:
        _adopt(cast, "21", on=datetime.date(2017, 6, 1))
    assert "protocol" in refused.value.message_dict
    assert ProtocolAdoption.objects.count() == 1


def test_the_count_moves_by_one_jurisdiction(cast: Cast) -> None:
    total = Jurisdiction.objects.count() - 1  # Mexico City is not a state
    assert jurisdictions_with_protocol(2017)["adopted"] == 0
    assert "capacity" not in annual_report(2017)

    _adopt(cast, "21")
    assert jurisdictions_with_protocol(2017)["adopted"] == 1
    # A second protocol of the same state: one more by protocol, not one more state.
    _adopt(cast, "21", protocol="FED-RESCATE")
    figures = jurisdictions_with_protocol(2017)
    assert figures["adopted"] == 1 and figures["jurisdictions"] == total == 31
    assert figures["by_protocol"] == {"FED-RESCATE": 1, "OIM-ESTATAL": 1}
    jalisco = _adopt(cast, "14")
    assert jurisdictions_with_protocol(2017)["adopted"] == 2
    # Mexico City adopts too: it is not one of the states counted.
    _adopt(cast, "09")
    assert jurisdictions_with_protocol(2017)["adopted"] == 2
    # Adopted after the year's end: not counted in that year, counted in the next.
    _adopt(cast, "07", on=datetime.date(2018, 1, 2))
    assert jurisdictions_with_protocol(2017)["adopted"] == 2
    assert jurisdictions_with_protocol(2018)["adopted"] == 3

    report = annual_report(2017)
    assert report["capacity"]["protocol_adoption"]["adopted"] == 2
    markdown = annual_report_markdown(report)
    assert "2 of 31 states had adopted an identification protocol by the end of 2017." in markdown
    jalisco.delete()
    assert jurisdictions_with_protocol(2017)["adopted"] == 1
