from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from enlace.audit.models import AuditEvent
from enlace.justice.models import Alert
from enlace.justice.services import alert_acknowledge, detention_record
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.justice.conftest import Refer


@pytest.fixture
def alert(cast: Cast, person: Person, refer: Refer) -> Alert:
    """The alert FGE-PUE got when INM detained the person it identified."""
    refer(person, "INM")
    event = detention_record(
        actor=cast.ines, person=person, kind="detention", occurred_on=datetime.date(2017, 8, 3)
    )
    return event.alerts.get(agency__code="FGE-PUE")


def test_the_alerted_agency_acknowledges(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.alice, alert=alert)

    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by == cast.alice
    # INM's own alert about the same detention is still waiting.
    assert Alert.objects.get(agency__code="INM").acknowledged_at is None


def test_it_writes_one_audit_row(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.alice, alert=alert)

    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert event.object_id == str(alert.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"
    assert event.before is not None and event.before["acknowledged_at"] is None
    assert event.after is not None and event.after["acknowledged_at"] is not None


def test_a_colleague_may_acknowledge(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.bob, alert=alert)
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.bob


def test_the_first_acknowledgement_stands(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.alice, alert=alert)
    alert.refresh_from_db()
    first = alert.acknowledged_at

    alert_acknowledge(actor=cast.bob, alert=alert)

    alert.refresh_from_db()
    assert alert.acknowledged_at == first and alert.acknowledged_by == cast.alice
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


@pytest.mark.parametrize("who", ["ines", "charlie", "fernanda", "ana", "audrey", "nobody"])
def test_only_the_alerted_agency_acknowledges(cast: Cast, alert: Alert, who: str) -> None:
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=getattr(cast, who), alert=alert)

    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert not AuditEvent.objects.filter(action="alert.acknowledge").exists()
