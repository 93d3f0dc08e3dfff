"""Guatemala's demo on a database holding Guatemala's profile only, built once for the
package and rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from enlace.assistance.models import Shelter
from enlace.directory.models import (
    Agency,
    CountryProfile,
    IdentityDocument,
    Jurisdiction,
    Protocol,
)
from enlace.funds.models import Fund
from enlace.immigration.models import PermitKind


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Loading the demo through the services takes 10 s on SQLite, 20 s on PostgreSQL:
    the tests that read it run in `make test-slow`."""
    for item in items:
        if "gt_demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.django_db)


def only_guatemala() -> None:
    """Empty the directory the session loaded (Mexico's profile): what is left is a fresh
    database's, the countries of the world aside, and Guatemala's profile loads onto it."""
    Shelter.objects.all().delete()
    Fund.objects.all().delete()
    PermitKind.objects.all().delete()
    IdentityDocument.objects.all().delete()
    Protocol.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    Jurisdiction.objects.all().delete()
    CountryProfile.objects.all().delete()


@pytest.fixture(scope="package")
def gt_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """What `make run PROFILE=GT` does: Guatemala's profile, its accounts and its demo."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(COUNTRY_PROFILE="GT"),
    ):
        only_guatemala()
        call_command("profile_load", "GT", stdout=StringIO())
        call_command("demo", "accounts", "--profile", "GT", stdout=StringIO())
        out = StringIO()
        call_command("demo", "load", "--profile", "GT", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
