"""Public outputs pass through disclosure control; private releases are recorded in the ledger."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from enlace.audit.models import AuditEvent
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from enlace.statistics.models import PrivateRelease
from enlace.statistics.services import PRIVATE_TABLES, open_data_release, privacy_budget_spent
from tests.api.conftest import Api, _token
from tests.conftest import DAY, Cast


def _identify(cast: Cast, *, women: int, men: int) -> None:
    for n, sex in [(women, "female"), (men, "male")]:
        for i in range(n):
            person = person_register(
                actor=cast.alice, identity={"given_names": f"P{sex}{i}"}, sex=sex
            )
            identification_record(
                actor=cast.alice,
                person=person,
                identified_on=DAY + datetime.timedelta(days=i),
                forms=["sex_trafficking"],
                status="identified",
            )


def test_the_public_open_data_hides_a_small_cell_and_its_complement(cast: Cast) -> None:
    _identify(cast, women=12, men=2)
    response = Client().get("/exchange/open-data/2017.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_sex = {r["category"]: r for r in rows if r["indicator"] == "identified_by_sex"}
    # 14 people, 2 men: showing the women (12) beside the total (14) would give the men away.
    assert by_sex["male"]["people"] == "" and by_sex["male"]["suppressed"] == "true"
    assert by_sex["female"]["people"] == "" and by_sex["female"]["suppressed"] == "true"
    assert by_sex["unspecified"]["people"] == "0"
    total = next(r for r in rows if r["indicator"] == "identified_total")
    assert total["people"] == "14"


def test_the_statistics_endpoint_shows_no_small_count(cast: Cast) -> None:
    _identify(cast, women=12, men=2)
    admin = User.objects.create_superuser("root", password="password")
    figures = Api(_token(admin, cast, "FGE-JAL")).get("/statistics/2017").json()
    by_sex = {f["category"]: f for f in figures if f["indicator"] == "identified_by_sex"}
    assert by_sex["male"] == {
        "indicator": "identified_by_sex",
        "category": "male",
        "people": None,
        "suppressed": True,
    }
    assert by_sex["female"]["people"] is None
    assert all(f["people"] is None or f["people"] == 0 or f["people"] >= 5 for f in figures)


def test_an_analyst_releases_every_private_table_and_the_ledger_records_the_budget(
    cast: Cast,
) -> None:
    _identify(cast, women=12, men=2)
    first = open_data_release(actor=cast.ana, year=2017, epsilon=0.5, mechanism="laplace")
    assert [r.table for r in first] == list(PRIVATE_TABLES)
    assert len({r.batch for r in first}) == 1
    forms = next(r for r in first if r.table == "identified_by_form")
    assert (forms.epsilon, forms.sensitivity, forms.scale) == (0.5, 6, 12.0)
    assert set(forms.counts) == {
        "sex_trafficking",
        "forced_labour",
        "forced_begging",
        "forced_criminality",
        "other",
        "unspecified",
    }
    assert all(r.released_by == cast.ana for r in first)
    open_data_release(actor=cast.ana, year=2017, tables=["identified_total"])  # epsilon 1.0
    assert privacy_budget_spent(2017) == pytest.approx(0.5 * len(PRIVATE_TABLES) + 1.0)
    assert privacy_budget_spent(2016) == 0
    audited = AuditEvent.objects.filter(action="statistics.release")
    assert audited.count() == len(PRIVATE_TABLES) + 1
    assert all(e.actor_name == "ana" for e in audited)
    # 4.0 spent of the year's 6.0: three more tables at 1.0 would pass it.
    with pytest.raises(ValidationError) as error:
        open_data_release(actor=cast.ana, year=2017, tables=list(PRIVATE_TABLES)[:3])
    assert "epsilon" in error.value.message_dict
    assert privacy_budget_spent(2017) == pytest.approx(4.0)
    open_data_release(actor=cast.ana, year=2017, tables=list(PRIVATE_TABLES)[:2])
    assert privacy_budget_spent(2017) == pytest.approx(6.0)
    out = io.StringIO()
    call_command("privacy_budget", stdout=out)
    assert out.getvalue().splitlines()[1:] == ["2017\t3\t9\t6\t6"]


def test_only_an_analyst_spends_the_budget_and_bad_input_writes_nothing(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        open_data_release(actor=cast.alice, year=2017)
    with pytest.raises(ValidationError) as error:
        open_data_release(actor=cast.ana, year=2017, mechanism="gaussian")
    assert "mechanism" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        open_data_release(
            actor=cast.ana, year=2017, tables=["identified_total", "assisted_by_agency"]
        )
    assert "tables" in error.value.message_dict
    assert not PrivateRelease.objects.exists()


def test_the_command_writes_the_private_release_with_its_scale(
    cast: Cast, person: Person, tmp_path: Any, settings: Any
) -> None:
    settings.DP_EPSILON = 2.0
    settings.DP_YEAR_BUDGET = 12.0
    settings.DP_MECHANISM = "geometric"
    out = tmp_path / "open.csv"
    call_command("export", "open-data", year=2017, dp=True, user="ana", output=out)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    sex = [r for r in rows if r["indicator"] == "identified_by_sex"]
    assert [r["category"] for r in sex] == ["male", "female", "unspecified"]
    assert {(r["mechanism"], r["epsilon"], r["noise_scale"]) for r in sex} == {
        ("geometric", "2.0", "0.5")
    }
    assert all(int(r["people"]) >= 0 for r in rows)
    assert PrivateRelease.objects.filter(year=2017).count() == len(PRIVATE_TABLES)
    # The public file is the recorded release, not a new draw: the same however often asked.
    for _ in range(2):
        served = Client().get("/exchange/open-data/2017-private.csv")
        assert served.status_code == 200
        assert list(csv.DictReader(io.StringIO(served.content.decode()))) == rows
    assert Client().get("/exchange/open-data/2016-private.csv").status_code == 404
