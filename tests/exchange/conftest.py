from __future__ import annotations

import datetime
from typing import Any

import pytest

from enlace.exchange.importer import ImportResult, submission_import
from enlace.exchange.template import COLUMN_NAMES

HEADER = ",".join(COLUMN_NAMES)


def row(**values: str) -> str:
    """A CSV line in template order; unnamed columns empty."""
    base = {"identified_on": "2017-06-01", "jurisdiction": "21", "sex": "female"}
    base.update(values)
    return ",".join(base.get(c, "") for c in COLUMN_NAMES)


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.fixture
def run(cast: Any) -> Any:
    """Import bytes as Alice (FGE-PUE) unless another actor is given."""

    def _run(data: bytes, actor: Any = None, **options: Any) -> ImportResult:
        return submission_import(actor=actor or cast.alice, data=data, **options)

    return _run


TODAY = datetime.date(2018, 1, 1)
