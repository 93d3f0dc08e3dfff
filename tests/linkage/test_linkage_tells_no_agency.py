"""Linkage never tells one agency about another's person (outside probe, W2).

DIF registers a person with only a CURP that FEVIMTRA already recorded.
Write-time matching joins the two records into one national person, but
DIF learns nothing that identifies FEVIMTRA's record: national ids are
drawn apart from public ids, an agency's exports and API leave them out,
and the match never rewrites FEVIMTRA's record.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User

from enlace.accounts.models import Role
from enlace.api.services import api_token_create
from enlace.exchange import exports
from enlace.exchange.services import agency_system_user
from enlace.linkage.normalise import curp_check_digit
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.api.conftest import Api
from tests.conftest import DAY, IDENTITY, Cast, _user


def _root() -> User:
    return User.objects.create_superuser("root", password="password")


@pytest.fixture
def fevimtras(cast: Cast) -> Person:
    person = person_register(actor=cast.fernanda, identity=IDENTITY, sex="female")
    identification_record(actor=cast.fernanda, person=person, identified_on=DAY, forms=[])
    return person


def _dif_registers_the_curp(cast: Cast) -> Person:
    dora = _user("dora", Role.CASEWORKER, "DIF")
    person = person_register(actor=dora, identity={"curp": IDENTITY["curp"]})
    identification_record(actor=dora, person=person, identified_on=DAY, forms=[])
    return person


def test_the_match_joins_them_at_the_national_level(cast: Cast, fevimtras: Person) -> None:
    dif = _dif_registers_the_curp(cast)
    fevimtras.refresh_from_db()
    assert dif.national_id == fevimtras.national_id


def test_the_match_never_rewrites_the_other_agencys_record(cast: Cast) -> None:
    dora = _user("dora", Role.CASEWORKER, "DIF")
    # Whichever way the ids sort, the record already stored keeps its national id.
    for n in range(6):
        first_17 = "HEZG990314MPLRRD0"[:16] + str(n)
        curp = first_17 + curp_check_digit(first_17)
        stored = person_register(actor=cast.fernanda, identity={**IDENTITY, "curp": curp})
        before = stored.national_id
        theirs = person_register(actor=dora, identity={"curp": curp})
        stored.refresh_from_db()
        assert stored.national_id == before == theirs.national_id


def test_no_id_of_the_other_record_reaches_the_agency(cast: Cast, fevimtras: Person) -> None:
    dif = _dif_registers_the_curp(cast)
    dora = dif.identifications.get().recorded_by
    assert fevimtras.public_id[2:] not in dif.national_id

    rows = list(exports.case_rows(dora))
    assert [r[0] for r in rows] == [dif.public_id]
    assert all(r[exports.CASE_COLUMNS.index("national_id")] == "" for r in rows)
    htcds = list(exports.htcds_rows(dora))
    assert all(r[exports.HTCDS_COLUMNS.index("enl_NationalId")] == "" for r in htcds)
    flat = io.StringIO()
    csv.writer(flat).writerows(rows + htcds)
    assert fevimtras.public_id not in flat.getvalue()
    assert fevimtras.national_id not in flat.getvalue()

    system = agency_system_user(agency=cast.agency("DIF"), purpose="api")
    api = Api(api_token_create(actor=_root(), user=system, name="DIF")[1])
    answer = api.get(f"/persons/{dif.public_id}")
    assert answer.status_code == 200
    assert answer.json()["national_id"] is None
    assert fevimtras.public_id not in answer.content.decode()


def test_the_national_analyst_still_sees_national_ids(cast: Cast, fevimtras: Person) -> None:
    rows = list(exports.case_rows(cast.ana))
    assert rows[0][exports.CASE_COLUMNS.index("national_id")] == fevimtras.national_id
