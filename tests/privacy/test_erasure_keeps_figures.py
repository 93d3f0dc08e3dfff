"""Erasing identities changes no published figure, before or after the next linkage run.

The demo data are loaded once for the module (tens of seconds) and rolled
back after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from enlace.accounts.models import Role
from enlace.linkage.models import Encoding
from enlace.linkage.services import linkage_run
from enlace.registry.models import Identity, Person
from enlace.registry.services import person_erase
from enlace.statistics.indicators import domestic_identifications
from tests.conftest import _load_mx, _user


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        _load_mx()
        call_command("demo", "load", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _report(year: int) -> str:
    out = StringIO()
    call_command("report", "--year", str(year), "--format", "json", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_erasing_people_changes_no_figure_of_the_report(demo: None) -> None:
    before = {year: _report(year) for year in (2016, 2017)}
    identified = domestic_identifications(2017).values("person__national_id")
    # The demo's people registered by a federal and a state agency were identified in 2016.
    shared = (
        Person.objects.filter(
            national_id__in=domestic_identifications(2016).values("person__national_id")
        )
        .values("national_id")
        .annotate(records=Count("pk"))
        .filter(records__gt=1)
        .values_list("national_id", flat=True)
    )
    # Records of people two agencies hold (one of each pair), and of people of 2017.
    linked = [
        Person.objects.filter(national_id=n).order_by("pk").first() for n in list(shared[:10])
    ]
    alone = list(
        Person.objects.filter(national_id__in=identified).exclude(national_id__in=shared)[:10]
    )
    erased = [p for p in linked + alone if p is not None]
    assert len(erased) == 20
    national_ids = {p.pk: p.national_id for p in erased}
    officer = _user("data-protection-admin", Role.ADMIN, None)

    for person in erased:
        person_erase(actor=officer, person=person, legal_reference="Oficio INAI 7/2018")

    assert Identity.objects.filter(erased_at__isnull=False).count() == 20
    assert not Encoding.objects.filter(person__in=erased).exists()
    assert {year: _report(year) for year in (2016, 2017)} == before
    linkage_run(actor=_user("erasure-analyst", Role.NATIONAL_ANALYST, "CIT"))
    assert {year: _report(year) for year in (2016, 2017)} == before
    assert dict(Person.objects.filter(pk__in=national_ids).values_list("pk", "national_id")) == (
        national_ids
    )
