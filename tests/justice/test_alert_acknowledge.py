from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from enlace.audit.models import AuditEvent
from enlace.justice.models import Alert
from enlace.justice.services import (
    ALERT_DUE,
    alert_acknowledge,
    alert_take,
    alerts_escalate,
    detention_record,
)
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
    alert_acknowledge(actor=cast.alice, alert=alert, outcome="released")

    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by == cast.alice
    assert alert.outcome == "released" and alert.owner == cast.alice
    # INM's own alert about the same detention is still waiting.
    assert Alert.objects.get(agency__code="INM").acknowledged_at is None


def test_it_writes_one_audit_row(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.alice, alert=alert, outcome="released")

    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert event.object_id == str(alert.pk)
    assert event.actor_name == "alice" and event.agency_code == "FGE-PUE"
    assert event.before is not None and event.before["acknowledged_at"] is None
    assert event.after is not None and event.after["acknowledged_at"] is not None


def test_a_colleague_may_acknowledge(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.bob, alert=alert, outcome="referred")
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.bob


def test_the_first_acknowledgement_stands(cast: Cast, alert: Alert) -> None:
    alert_acknowledge(actor=cast.alice, alert=alert, outcome="released")
    alert.refresh_from_db()
    first = alert.acknowledged_at

    alert_acknowledge(actor=cast.bob, alert=alert, outcome="referred")

    alert.refresh_from_db()
    assert alert.acknowledged_at == first and alert.acknowledged_by == cast.alice
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


@pytest.mark.parametrize("who", ["ines", "charlie", "fernanda", "ana", "audrey", "nobody"])
def test_only_the_alerted_agency_acknowledges(cast: Cast, alert: Alert, who: str) -> None:
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=getattr(cast, who), alert=alert, outcome="released")

    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert not AuditEvent.objects.filter(action="alert.acknowledge").exists()


def test_an_outcome_is_required(cast: Cast, alert: Alert) -> None:
    with pytest.raises(ValidationError) as exc:
        alert_acknowledge(actor=cast.alice, alert=alert, outcome="")

    assert "outcome" in exc.value.message_dict
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_caseworker_takes_the_alert_and_a_colleague_closes_it(cast: Cast, alert: Alert) -> None:
    alert_take(actor=cast.bob, alert=alert)
    alert_acknowledge(actor=cast.alice, alert=alert, outcome="suspended")

    alert.refresh_from_db()
    assert alert.owner == cast.bob and alert.acknowledged_by == cast.alice
    assert AuditEvent.objects.filter(action="alert.take", actor_name="bob").count() == 1
    with pytest.raises(ValidationError):
        alert_take(actor=cast.alice, alert=alert)


def test_an_alert_has_a_deadline_and_escalates_only_past_it(cast: Cast, alert: Alert) -> None:
    assert alert.due_at is not None
    assert alert.due_at - alert.raised_at == pytest.approx(ALERT_DUE, abs=datetime.timedelta(1))
    inm = Alert.objects.get(agency__code="INM")
    alert_acknowledge(actor=cast.ines, alert=inm, outcome="released")

    assert alerts_escalate(at=alert.due_at - datetime.timedelta(minutes=1)) == 0
    assert alerts_escalate(at=alert.due_at + datetime.timedelta(minutes=1)) == 1
    assert alerts_escalate(at=alert.due_at + datetime.timedelta(hours=5)) == 0  # once

    alert.refresh_from_db()
    inm.refresh_from_db()
    assert alert.escalated_at is not None and inm.escalated_at is None
    row = AuditEvent.objects.get(action="alert.escalate")
    assert row.actor_name == "system" and row.object_id == str(alert.pk)


def _client(user: object) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_alert_page_takes_and_closes_it(cast: Cast, alert: Alert) -> None:
    alice = _client(cast.alice)
    page = alice.get(f"/alerts/{alert.pk}/").content.decode()
    assert "Nobody yet" in page and "Take the alert" in page

    alice.post(f"/alerts/{alert.pk}/take/")
    refused = alice.post(f"/alerts/{alert.pk}/acknowledge/", {"outcome": ""})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    done = alice.post(f"/alerts/{alert.pk}/acknowledge/", {"outcome": "referred"}, follow=True)

    text = done.content.decode()
    assert "Referred for victim assistance" in text and "alice" in text
    assert "Take the alert" not in text
    # Another agency's alert is not found, whoever asks.
    assert _client(cast.charlie).get(f"/alerts/{alert.pk}/").status_code == 404


def test_open_work_puts_escalated_alerts_first(cast: Cast, alert: Alert) -> None:
    assert alert.due_at is not None
    alerts_escalate(at=alert.due_at + datetime.timedelta(minutes=1))

    home = _client(cast.sam).get("/").content.decode()

    assert "overdue, escalated to the supervisor" in home
    assert f"/alerts/{alert.pk}/" in home
