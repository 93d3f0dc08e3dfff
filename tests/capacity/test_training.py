"""Training sessions of officials: a supervisor records their agency's, audited; the annual
figures move by one session and by its people when one is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.capacity.models import TrainingSession
from enlace.capacity.services import training_record
from enlace.reports.annual import annual_report
from enlace.reports.markdown import annual_report_markdown
from enlace.statistics.indicators import officials_trained
from tests.conftest import Cast

HELD = datetime.date(2017, 5, 10)


def test_a_supervisor_records_a_session_of_their_agency(cast: Cast) -> None:
    session = training_record(
        actor=cast.sam,
        held_on=HELD,
        topic="  State protocol for identification ",
        people_trained=25,
        trained_by=cast.agency("OIM"),
    )

    session.refresh_from_db()
    assert session.trained_by is not None and session.trained_by.code == "OIM"
    assert session.agency.code == "FGE-PUE"
    assert session.topic == "State protocol for identification" and session.people_trained == 25
    event = AuditEvent.objects.get(action="training.record")
    assert event.object_id == str(session.pk) and event.agency_code == "FGE-PUE"
    assert event.after is not None and event.after["people_trained"] == 25


@pytest.mark.parametrize("who", ["alice", "charlie", "ana", "audrey", "nobody"])
def test_only_a_supervisor_records_one(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        training_record(actor=getattr(cast, who), held_on=HELD, topic="x", people_trained=3)
    assert not TrainingSession.objects.exists()
    assert not AuditEvent.objects.filter(action="training.record").exists()


def test_a_session_trains_at_least_one_person(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        training_record(actor=cast.sam, held_on=HELD, topic="x", people_trained=0)
    assert "people_trained" in refused.value.message_dict
    assert not TrainingSession.objects.exists()


def test_the_figures_move_with_each_session(cast: Cast) -> None:
    assert officials_trained(2017) == {"sessions": 0, "people": 0}
    assert "capacity" not in annual_report(2017)

    training_record(actor=cast.sam, held_on=HELD, topic="a", people_trained=25)
    assert officials_trained(2017) == {"sessions": 1, "people": 25}
    second = training_record(actor=cast.sam, held_on=HELD, topic="b", people_trained=1)
    assert officials_trained(2017) == {"sessions": 2, "people": 26}
    # Another year's session is not this year's.
    training_record(
        actor=cast.sam, held_on=datetime.date(2016, 12, 31), topic="c", people_trained=9
    )
    assert officials_trained(2017) == {"sessions": 2, "people": 26}

    report = annual_report(2017)
    assert report["capacity"]["officials_trained"] == {"sessions": 2, "people": 26}
    assert "26 officials trained in 2017 in 2 sessions." in annual_report_markdown(report)
    assert "26 personas servidoras públicas capacitadas en 2017 en 2 sesiones." in (
        annual_report_markdown(report, lang="es")
    )

    second.delete()
    assert officials_trained(2017) == {"sessions": 1, "people": 25}
