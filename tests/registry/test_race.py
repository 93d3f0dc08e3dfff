"""One agency admits a person to a shelter while another registers a duplicate of that
person, which exact-match linkage joins to them: on PostgreSQL, with two real
connections at once, neither sees an error, and the audit chain verifies after.

The admission locks the shelter, then the person; the registration joins the
person's national group, locking its members in key order. Before the audit
trail was sealed after commit, the admission then waited for the audit chain
head that the registration held, while the registration waited for the person:
PostgreSQL aborted one of them, and the user saw a server error.

SQLite runs one writer at a time: there the two run one after the other, and
the same results are checked.
"""

from __future__ import annotations

import datetime
import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import translation

from enlace.assistance.models import Shelter, Stay
from enlace.assistance.services import stay_admit
from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal
from enlace.registry.models import Person
from enlace.registry.services import person_register
from tests.conftest import DAY, Cast

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """Both, each in its own thread with its own connection, started together."""
    if connection.vendor != "postgresql":
        return [first(), second()]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]
    errors: list[BaseException] = []

    def run(n: int, work: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = work()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, w)) for n, w in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _race(cast: Cast, shelter: Shelter, i: int) -> None:
    # Names and birth date in common: the records are one person before any
    # linkage run. A new birth date each time keeps the rounds apart.
    identity = {
        "given_names": "Lucía",
        "paternal_surname": "Pérez",
        "maternal_surname": "Soto",
        "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=i),
    }
    held = person_register(actor=cast.fernanda, identity=identity, sex="female")

    def admit() -> Stay:
        return stay_admit(
            actor=cast.fernanda,
            person=Person.objects.get(pk=held.pk),
            shelter=shelter,
            admitted_on=DAY,
        )

    def register_duplicate() -> Person:
        return person_register(actor=cast.charlie, identity=identity, sex="female")

    stay, duplicate = _at_once(admit, register_duplicate)
    held.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.national_id == held.national_id  # linkage joined them
    assert list(Stay.objects.filter(person=held, discharged_on=None)) == [stay]


def _verified() -> str:
    seal()
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit_verify", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _rounds(cast: Cast, n: int, settings: Any) -> None:
    # Every commit seals (not only once a row is 2 s old), as the assertion below needs.
    settings.AUDIT_SEAL_ON_COMMIT_AFTER = 0
    shelter = Shelter.objects.get(code="REF-FEVIMTRA")
    Shelter.objects.filter(pk=shelter.pk).update(capacity=1000)
    shelter.refresh_from_db()
    for i in range(n):
        _race(cast, shelter, i)
    assert AuditEvent.objects.filter(action="stay.admit").count() == n
    # Sealed after each commit: no row waits for the next seal.
    assert not AuditEvent.objects.filter(seq=None).exists()
    assert "The chain is intact" in _verified()


def test_admission_and_a_linked_registration_at_once_both_succeed(
    cast: Cast, settings: Any
) -> None:
    _rounds(cast, 5, settings)


@pytest.mark.slow
def test_fifty_times_in_a_row(cast: Cast, settings: Any) -> None:
    _rounds(cast, 50, settings)
