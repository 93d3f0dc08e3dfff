"""The demo world, built once for every module of this package and rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.conftest import _load_mx

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of this package reads the whole demo, loaded once through the services
    (minutes on each database): all of them run in `make test-slow`, none in `make test`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        _load_mx()
        out = StringIO()
        call_command("demo", "load", stdout=out)
        assert "3,672 persons" in out.getvalue()
        yield
        transaction.set_rollback(True)
