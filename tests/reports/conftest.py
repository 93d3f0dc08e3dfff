from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from enlace.exchange.importer import submission_import
from enlace.reports.models import Release
from enlace.reports.releases import release_publish
from tests.conftest import Cast
from tests.exchange.conftest import csv_file, row

# Six women and a man identified in Puebla in 2017, as the state prosecutor submits them.
PEOPLE = [
    ("R1", "Lucía", "Ramírez", "female", "1990-01-02"),
    ("R2", "Elena", "Torres", "female", "1991-02-03"),
    ("R3", "Marta", "Flores", "female", "1992-03-04"),
    ("R4", "Sofía", "Vargas", "female", "1993-04-05"),
    ("R5", "Paula", "Mendoza", "female", "1994-05-06"),
    ("R6", "Irene", "Castillo", "female", "1995-06-07"),
    ("R7", "Tomás", "Aguilar", "male", "1996-07-08"),
]
LATE = ("R8", "Julia", "Navarro", "female", "1997-08-09")
NAMES = [p[1] for p in [*PEOPLE, LATE]] + [p[2] for p in [*PEOPLE, LATE]]


def submission(*people: tuple[str, str, str, str, str], on: str = "2017-06-01") -> bytes:
    return csv_file(
        *(
            row(
                agency_record_id=rid,
                identified_on=on,
                identification_status="identified",
                given_names=given,
                paternal_surname=surname,
                sex=sex,
                birth_date=born,
                exploitation_forms="sex_trafficking",
            )
            for rid, given, surname, sex, born in people
        )
    )


@pytest.fixture
def identified(cast: Cast) -> None:
    result = submission_import(actor=cast.alice, data=submission(*PEOPLE))
    assert result.summary() == "7 stored, 0 updated, 0 unchanged, 0 rejected"


@pytest.fixture
def published(cast: Cast, identified: None) -> Release:
    return release_publish(actor=cast.ana, year=2017)


def import_late(actor: Any) -> None:
    """A late identification dated 2017, through the import as an agency sends it."""
    result = submission_import(actor=actor, data=submission(LATE, on="2017-12-20"))
    assert result.summary() == "1 stored, 0 updated, 0 unchanged, 0 rejected"


def visitor(language: str = "en") -> Client:
    """Someone on the internet, not signed in."""
    return Client(headers={"accept-language": language})
