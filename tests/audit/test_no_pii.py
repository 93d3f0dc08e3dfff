"""Audit rows of identity writes hold no name, CURP, birth date, passport or contact."""

from __future__ import annotations

import datetime
import json

from enlace.audit.models import AuditEvent
from enlace.exchange.generate import submission_generate
from enlace.exchange.importer import submission_import
from enlace.exchange.services import agency_system_user
from enlace.registry.models import Identity, Person
from enlace.registry.services import identity_update
from tests.conftest import IDENTITY, Cast

NEW_IDENTITY = {
    "given_names": "Rosa Elvira",
    "paternal_surname": "Quintanilla",
    "maternal_surname": "Berlanga",
    "birth_date": datetime.date(2001, 11, 23),
    "curp": "QUBR011123MPLNRS05",
    "passport_number": "G48213377",
    "contact": "Privada Los Olivos 8, Cholula",
}


def _clear_values(identity: dict[str, object]) -> list[str]:
    values = []
    for value in identity.values():
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        values.append(text)
        values.extend(part for part in text.split() if len(part) > 3)
    return values


def _row_text(row: AuditEvent) -> str:
    return json.dumps([row.object_id, row.before, row.after], ensure_ascii=False).lower()


def test_identity_writes_leave_no_identity_in_audit_rows(cast: Cast, person: Person) -> None:
    identity_update(actor=cast.alice, person=person, **NEW_IDENTITY)
    rows = list(AuditEvent.objects.filter(object_type="registry.identity"))
    assert {r.action for r in rows} == {"identity.create", "identity.update"}
    update = next(r for r in rows if r.action == "identity.update")
    # The snapshot says which fields hold a value, and nothing more.
    assert update.before is not None and update.after is not None
    assert update.before["curp"] == update.after["curp"] == "[encrypted]"
    assert update.after["passport_number"] == "[encrypted]"
    assert update.before["passport_number"] is None
    forbidden = _clear_values(IDENTITY) + _clear_values(NEW_IDENTITY)
    for row in AuditEvent.objects.all():
        text = _row_text(row)
        assert not [v for v in forbidden if v.lower() in text], row.action


def test_imported_identities_leave_none_either(cast: Cast) -> None:
    data, _bad = submission_generate(3, agency_code="FGE-PUE", seed=7)
    actor = agency_system_user(agency=cast.agency("FGE-PUE"))
    assert submission_import(actor=actor, data=data).stored == 3
    forbidden: list[str] = []
    for vault in Identity.objects.all():
        values = {f: getattr(vault, f) for f in NEW_IDENTITY if getattr(vault, f)}
        forbidden += _clear_values(values)
    assert len(forbidden) >= 9  # names and birth dates at least
    for row in AuditEvent.objects.all():
        text = _row_text(row)
        assert not [v for v in forbidden if v.lower() in text], row.action
