from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.justice.models import Alert, DetentionEvent
from enlace.justice.services import detention_record
from enlace.linkage.models import MatchPair
from enlace.registry.models import Identification, Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import IDENTITY, Cast
from tests.justice.conftest import Refer

DAY = datetime.date(2017, 8, 3)


def _alerted(event: DetentionEvent) -> list[str]:
    return sorted(event.alerts.values_list("agency__code", flat=True))


def test_it_records_the_event_for_the_detaining_agency(
    cast: Cast, person: Person, refer: Refer
) -> None:
    refer(person, "INM")

    event = detention_record(
        actor=cast.ines, person=person, kind="transfer_to_immigration", occurred_on=DAY
    )

    event.refresh_from_db()
    assert event.person == person and event.agency.code == "INM"
    assert event.kind == "transfer_to_immigration" and event.occurred_on == DAY
    assert event.recorded_by == cast.ines


def test_detaining_a_known_victim_alerts_the_identifying_and_the_detaining_agency(
    cast: Cast, person: Person, refer: Refer
) -> None:
    refer(person, "INM")

    event = detention_record(actor=cast.ines, person=person, kind="detention", occurred_on=DAY)

    assert _alerted(event) == ["FGE-PUE", "INM"]
    for alert in event.alerts.all():
        assert alert.kind == Alert.Kind.NON_PUNISHMENT
        assert alert.person == person and alert.acknowledged_at is None


def test_every_identifying_agency_is_alerted_once(cast: Cast, person: Person, refer: Refer) -> None:
    refer(person, "FGE-JAL")
    refer(person, "INM")
    for day in (datetime.date(2017, 7, 1), datetime.date(2017, 7, 20)):
        identification_record(actor=cast.charlie, person=person, identified_on=day, forms=[])

    event = detention_record(actor=cast.ines, person=person, kind="deportation", occurred_on=DAY)

    assert _alerted(event) == ["FGE-JAL", "FGE-PUE", "INM"]


def test_the_identifying_agency_detaining_gets_one_alert(cast: Cast, person: Person) -> None:
    event = detention_record(actor=cast.alice, person=person, kind="detention", occurred_on=DAY)
    assert _alerted(event) == ["FGE-PUE"]


def test_it_writes_one_audit_row_and_one_per_alert(
    cast: Cast, person: Person, refer: Refer
) -> None:
    refer(person, "INM")

    event = detention_record(actor=cast.ines, person=person, kind="detention", occurred_on=DAY)

    recorded = AuditEvent.objects.get(action="detention.record")
    assert recorded.object_id == str(event.pk) and recorded.agency_code == "INM"
    raised = AuditEvent.objects.filter(action="alert.raise")
    assert sorted(raised.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in event.alerts.values_list("pk", flat=True)
    )
    assert raised.count() == 2


def test_a_person_found_not_to_be_a_victim_raises_no_alert(
    cast: Cast, unidentified: Person, refer: Refer
) -> None:
    identification_record(
        actor=cast.alice,
        person=unidentified,
        identified_on=datetime.date(2017, 6, 1),
        forms=[],
        status=Identification.Status.NOT_A_VICTIM,
    )
    refer(unidentified, "INM")

    detention_record(actor=cast.ines, person=unidentified, kind="detention", occurred_on=DAY)

    assert not Alert.objects.exists()
    assert AuditEvent.objects.filter(action="detention.record").count() == 1
    assert not AuditEvent.objects.filter(action="alert.raise").exists()


def test_a_person_never_identified_raises_no_alert(
    cast: Cast, unidentified: Person, refer: Refer
) -> None:
    refer(unidentified, "INM")
    detention_record(actor=cast.ines, person=unidentified, kind="detention", occurred_on=DAY)
    assert not Alert.objects.exists()


def test_only_the_agencies_that_still_see_a_victim_are_alerted(
    cast: Cast, unidentified: Person, refer: Refer
) -> None:
    identification_record(
        actor=cast.alice,
        person=unidentified,
        identified_on=datetime.date(2017, 6, 1),
        forms=[],
        status=Identification.Status.NOT_A_VICTIM,
    )
    refer(unidentified, "FGE-JAL")
    identification_record(
        actor=cast.charlie,
        person=unidentified,
        identified_on=datetime.date(2017, 7, 1),
        forms=["forced_criminality"],
    )
    refer(unidentified, "INM")

    event = detention_record(
        actor=cast.ines, person=unidentified, kind="detention", occurred_on=DAY
    )

    assert _alerted(event) == ["FGE-JAL", "INM"]


@pytest.mark.parametrize("who", ["charlie", "ines", "ana", "audrey", "nobody"])
def test_an_agency_that_does_not_hold_the_person_cannot_record(
    cast: Cast, person: Person, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        detention_record(actor=getattr(cast, who), person=person, kind="detention", occurred_on=DAY)

    assert not DetentionEvent.objects.exists() and not Alert.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["detention.record", "alert.raise"]).exists()


def test_an_unknown_kind_records_nothing(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as exc:
        detention_record(actor=cast.alice, person=person, kind="arrest", occurred_on=DAY)

    assert "kind" in exc.value.message_dict
    assert not DetentionEvent.objects.exists() and not Alert.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["detention.record", "alert.raise"]).exists()


def _in_review(person: Person, status: str = MatchPair.Status.PENDING) -> Person:
    """INM's own record of someone write-time matching put in review with ``person``."""
    detained = person_register(
        actor=User.objects.get(username="ines"),
        identity={**IDENTITY, "curp": "", "paternal_surname": "Hernandes"},
    )
    assert detained.national_id != person.national_id  # not linked: only likely the same
    a, b = sorted((person, detained), key=lambda p: p.pk)
    MatchPair.objects.create(left=a, right=b, probability=0.6, status=status, pattern={})
    return detained


def test_a_record_in_review_with_an_identified_victim_raises_the_alert(
    cast: Cast, person: Person
) -> None:
    detained = _in_review(person)

    event = detention_record(actor=cast.ines, person=detained, kind="deportation", occurred_on=DAY)

    assert _alerted(event) == ["FGE-PUE", "INM"]
    on = {a.agency.code: a.person for a in event.alerts.select_related("agency", "person")}
    assert on == {"FGE-PUE": person, "INM": detained}


def test_a_pair_found_to_be_two_people_raises_none(cast: Cast, person: Person) -> None:
    detained = _in_review(person, MatchPair.Status.SPLIT)

    detention_record(actor=cast.ines, person=detained, kind="deportation", occurred_on=DAY)

    assert not Alert.objects.exists()
