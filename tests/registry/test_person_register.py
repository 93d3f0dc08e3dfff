from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enlace.audit.models import AuditEvent
from enlace.registry.models import Identity, Person
from enlace.registry.selectors import identity_get_for_user
from enlace.registry.services import person_register
from tests.conftest import IDENTITY, Cast


def test_it_registers_for_the_caseworkers_agency(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY, sex="female")

    assert person.registered_by.code == "FGE-PUE"
    assert person.public_id.startswith("V-") and len(person.public_id) == 8
    identity = identity_get_for_user(user=cast.alice, person=person)
    assert identity.given_names == "María Guadalupe"
    assert identity.birth_date == datetime.date(1999, 3, 14)


def test_it_writes_audit_rows_without_pii(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)

    events = AuditEvent.objects.filter(object_id=person.public_id)
    assert [e.action for e in events.order_by("id")] == ["person.register"]
    vault = AuditEvent.objects.get(action="identity.create")
    assert vault.actor_name == "alice" and vault.agency_code == "FGE-PUE"
    text = str([(e.before, e.after) for e in AuditEvent.objects.all()])
    for value in ("María", "Hernández", "Zárate", "HEZG990314", "1999-03-14", "Reforma"):
        assert value not in text


@pytest.mark.parametrize("who", ["ana", "audrey", "nobody"])
def test_it_rejects_roles_that_do_not_work_cases(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        person_register(actor=getattr(cast, who), identity=IDENTITY)
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.register").exists()


def test_it_rejects_unknown_identity_fields(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        person_register(actor=cast.alice, identity={"nickname": "La Güera"})
    assert "nickname" in exc.value.message_dict
    assert not Person.objects.exists() and not Identity.objects.exists()


def test_it_normalises_the_curp(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity={"curp": " hezg990314mplrrd03 "})
    assert identity_get_for_user(user=cast.alice, person=person).curp == "HEZG990314MPLRRD03"


def test_it_draws_again_when_an_id_is_taken(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    first = person_register(actor=cast.alice, identity=IDENTITY)
    draws = {
        "V": iter([first.public_id, "V-NEW000"]),
        "N": iter([first.national_id, "N-NEW000"]),
    }
    monkeypatch.setattr("enlace.registry.services.public_id", lambda prefix: next(draws[prefix]))

    second = person_register(actor=cast.alice, identity={"given_names": "Otra"})

    assert second.public_id == "V-NEW000"
    assert second.national_id == "N-NEW000"


def test_a_new_person_is_their_own_national_person(cast: Cast) -> None:
    one = person_register(actor=cast.alice, identity={"given_names": "Una"})
    other = person_register(actor=cast.alice, identity={"given_names": "Otra"})
    assert one.national_id != other.national_id


def test_the_national_id_does_not_reveal_the_public_id(cast: Cast) -> None:
    people = [person_register(actor=cast.alice, identity={}) for _ in range(5)]
    assert all(p.national_id.startswith("N-") for p in people)
    assert {p.national_id[2:] for p in people}.isdisjoint({p.public_id[2:] for p in people})
