"""Breakdowns of the people counts move by one person when one record comes or goes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from enlace.accounts.permissions import membership_of
from enlace.assistance.models import Shelter
from enlace.assistance.services import service_record, stay_admit
from enlace.directory.models import Country
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Identification, Person
from enlace.registry.services import identification_record, person_register
from enlace.statistics.breakdowns import DIMENSIONS, breakdown, disclosed
from enlace.statistics.crosstab import crosstab, crosstab_counts
from enlace.statistics.indicators import REGISTRY
from tests.conftest import DAY, IDENTITY, Cast

Counts = dict[str, dict[str, int]]


def _all(measure: str, filters: dict[str, str] | None = None) -> Counts:
    result: Counts = {}
    for dimension in DIMENSIONS:
        table = breakdown(measure, dimension, 2017, filters)
        result[dimension] = {k: v for k, v in table.counts.items() if v}
        result[dimension]["TOTAL"] = table.total
    return result


def _moved(before: Counts, after: Counts) -> dict[str, dict[str, int]]:
    """Per dimension, the cells that changed, and by how much."""
    moved = {}
    for dimension in before:
        keys = set(before[dimension]) | set(after[dimension])
        diff = {
            k: after[dimension].get(k, 0) - before[dimension].get(k, 0)
            for k in keys
            if after[dimension].get(k, 0) != before[dimension].get(k, 0)
        }
        moved[dimension] = diff
    return moved


def _identify(
    actor: User, person: Person, *, forms: list[str], age: int | None, day: datetime.date = DAY
) -> Identification:
    membership = membership_of(actor)
    assert membership is not None and membership.agency is not None
    return identification_record(
        actor=actor,
        person=person,
        identified_on=day,
        forms=forms,
        status="identified",
        jurisdiction=membership.agency.jurisdiction,
        age_at_identification=age,
    )


NAMES = iter(f"Persona {i}" for i in range(1000))


def _register(actor: User, curp: str, **fields: Any) -> Person:
    """The person of ``IDENTITY`` with a CURP; without one, somebody else each time."""
    identity = {**IDENTITY, "curp": curp} if curp else {"given_names": next(NAMES)}
    return person_register(actor=actor, identity=identity, **fields)


def _woman(cast: Cast) -> Person:
    """A Mexican girl of 16 Alice's agency identified in Puebla for sex trafficking."""
    person = _register(
        cast.alice,
        "HEZG990314MPLRRD03",
        sex="female",
        nationality=Country.objects.get(iso2="MX"),
        indigenous=False,
    )
    _identify(cast.alice, person, forms=["sex_trafficking"], age=16)
    return person


def test_each_cell_moves_by_one_when_an_identification_comes_and_goes(cast: Cast) -> None:
    _woman(cast)
    before = _all("identified")
    puebla = cast.agency("FGE-PUE").jurisdiction
    assert puebla is not None

    man = _register(
        cast.alice,
        "",
        sex="male",
        nationality=Country.objects.get(iso2="GT"),
        indigenous=True,
    )
    identification = _identify(cast.alice, man, forms=["forced_labour"], age=34)
    one = {
        "state": {puebla.code: 1},
        "agency": {"FGE-PUE": 1},
        "level": {"state": 1},
        "sex": {"male": 1},
        "age_band": {"30_49": 1},
        "nationality": {"foreign": 1},
        "country": {"GT": 1},
        "indigenous": {"yes": 1},
        "form": {"forced_labour": 1},
    }
    assert _moved(before, _all("identified")) == {d: {**c, "TOTAL": 1} for d, c in one.items()}

    identification.delete()
    assert _all("identified") == before


def test_a_person_counts_once_in_each_cell_their_records_put_them_in(cast: Cast) -> None:
    # The same girl, registered and identified again in Jalisco: one national person.
    woman = _woman(cast)
    again = _register(cast.charlie, "HEZG990314MPLRRD03", sex="male")
    assert again.national_id == woman.national_id
    _identify(cast.charlie, again, forms=["forced_labour", "sex_trafficking"], age=17)
    jalisco = cast.agency("FGE-JAL").jurisdiction
    puebla = cast.agency("FGE-PUE").jurisdiction
    assert jalisco is not None and puebla is not None

    counts = _all("identified")
    assert counts["state"] == {puebla.code: 1, jalisco.code: 1, "TOTAL": 1}
    assert counts["agency"] == {"FGE-PUE": 1, "FGE-JAL": 1, "TOTAL": 1}
    assert counts["level"] == {"state": 1, "TOTAL": 1}
    assert counts["form"] == {"sex_trafficking": 1, "forced_labour": 1, "TOTAL": 1}
    # Partitions: her records disagree on sex, so it is unspecified; the youngest age counts;
    # a record without nationality or indigenous status does not outweigh one that has it.
    assert counts["sex"] == {"unspecified": 1, "TOTAL": 1}
    assert counts["age_band"] == {"12_17": 1, "TOTAL": 1}
    assert counts["nationality"] == {"national": 1, "TOTAL": 1}
    assert counts["indigenous"] == {"no": 1, "TOTAL": 1}


def test_filters_apply_to_every_breakdown(cast: Cast) -> None:
    _woman(cast)
    man = _register(cast.charlie, "", sex="male")
    _identify(cast.charlie, man, forms=["forced_labour"], age=None)
    puebla = cast.agency("FGE-PUE").jurisdiction
    assert puebla is not None

    # Drill from the state of Puebla to its agencies: the Jalisco prosecutor is not there.
    assert breakdown("identified", "agency", 2017, {"state": puebla.code}).counts == {"FGE-PUE": 1}
    assert breakdown("identified", "sex", 2017, {"agency": "FGE-JAL"}).counts == {
        "male": 1,
        "female": 0,
        "unspecified": 0,
    }
    assert breakdown("identified", "state", 2017, {"sex": "female"}).total == 1
    assert breakdown("identified", "form", 2017, {"age_band": "none"}).counts == {
        "forced_labour": 1
    }
    assert breakdown("identified", "agency", 2017, {"age_band": "12_17"}).counts == {"FGE-PUE": 1}
    assert breakdown("identified", "sex", 2017, {"form": "forced_labour"}).total == 1
    assert (
        breakdown("identified", "sex", 2017, {"form": "forced_labour", "sex": "female"}).total == 0
    )


def test_referred_assisted_and_sheltered_move_by_one(cast: Cast) -> None:
    woman = _woman(cast)
    empty = {m: _all(m) for m in ("referred", "assisted", "sheltered")}
    assert all(counts["sex"]["TOTAL"] == 0 for counts in empty.values())

    referral = referral_send(
        actor=cast.alice,
        person=woman,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        at=timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(9))),
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    referred = _moved(empty["referred"], _all("referred"))
    assert referred["agency"] == {"FGE-PUE": 1, "TOTAL": 1}
    assert referred["sex"] == {"female": 1, "TOTAL": 1}
    # The form of a referred person is what their identifications name.
    assert referred["form"] == {"sex_trafficking": 1, "TOTAL": 1}

    service_record(
        actor=cast.fernanda, person=woman, category="emergency", kind="medical", started_on=DAY
    )
    assisted = _moved(empty["assisted"], _all("assisted"))
    assert assisted["agency"] == {"FEVIMTRA": 1, "TOTAL": 1}
    assert assisted["age_band"] == {"12_17": 1, "TOTAL": 1}
    # A service is where the agency that gave it is: FEVIMTRA's seat is Mexico City.
    assert assisted["state"] == {"09": 1, "TOTAL": 1}

    shelter = Shelter.objects.get(code="REF-FEVIMTRA")
    stay_admit(actor=cast.fernanda, person=woman, shelter=shelter, admitted_on=DAY)
    sheltered = _moved(empty["sheltered"], _all("sheltered"))
    assert sheltered["state"] == {shelter.jurisdiction.code: 1, "TOTAL": 1}
    assert sheltered["nationality"] == {"national": 1, "TOTAL": 1}


def test_small_cells_are_hidden_with_their_complements(cast: Cast) -> None:
    for i in range(6):
        _identify(cast.alice, _register(cast.alice, "", sex="female"), forms=["other"], age=20 + i)
    _identify(cast.charlie, _register(cast.charlie, "", sex="male"), forms=["other"], age=40)
    table = breakdown("identified", "sex", 2017)
    assert table.counts == {"male": 1, "female": 6, "unspecified": 0}

    cells, total = disclosed(table, threshold=5)
    # One man is too few to show; the women would give him away, so they are hidden too.
    assert cells["male"].shown is None and cells["female"].shown is None
    assert cells["unspecified"].shown == 0
    assert total.shown == 7

    two_way = crosstab("identified", "sex", "age_band", 2017, threshold=5)
    assert two_way.rows == ["male", "female", "unspecified"]
    assert two_way.margins_are_people
    male = two_way.rows.index("male")
    thirty = two_way.columns.index("30_49")
    assert two_way.table.cells[male][thirty].count == 1
    assert two_way.table.cells[male][thirty].hidden
    assert two_way.table.total.shown == 7


def test_the_national_breakdowns_agree_with_the_registry(cast: Cast) -> None:
    woman = _woman(cast)
    _identify(cast.charlie, _register(cast.charlie, "HEZG990314MPLRRD03"), forms=["other"], age=16)
    _identify(cast.charlie, _register(cast.charlie, "", sex="male"), forms=["other"], age=None)
    service_record(
        actor=cast.alice, person=woman, category="emergency", kind="medical", started_on=DAY
    )
    people = {dimension: breakdown("identified", dimension, 2017) for dimension in DIMENSIONS}
    assert people["sex"].total == REGISTRY["identified_total"].compute(2017) == 2
    assert people["sex"].counts == REGISTRY["identified_by_sex"].compute(2017)
    assert {k: n for k, n in people["form"].counts.items() if n} == REGISTRY[
        "identified_by_form"
    ].compute(2017)
    assert {k: n for k, n in people["level"].counts.items() if n} == REGISTRY[
        "identified_by_level"
    ].compute(2017)
    assert breakdown("assisted", "agency", 2017).counts == REGISTRY["assisted_by_agency"].compute(
        2017
    )


def _per_row(
    measure: str, rows: str, columns: str, filters: dict[str, str]
) -> dict[tuple[str, str], int]:
    """The two-way table as its definition reads: one breakdown by column per row category."""
    outer = breakdown(measure, rows, 2017, filters)
    return {
        (r, c): n
        for r in outer.counts
        for c, n in breakdown(measure, columns, 2017, {**filters, rows: r}).counts.items()
        if n
    }


@pytest.mark.parametrize(
    ("measure", "filters"),
    [
        ("identified", {}),
        ("identified", {"state": "21"}),
        ("identified", {"sex": "female"}),
        ("assisted", {}),
    ],
)
def test_the_grouped_two_way_table_equals_one_breakdown_per_row(
    cast: Cast, measure: str, filters: dict[str, str]
) -> None:
    # People of several states, agencies, sexes, ages, nationalities and forms; one girl
    # identified twice (Puebla and Jalisco, her records disagreeing on sex), one man with
    # no age and no nationality, and a service so that a second measure has people.
    woman = _woman(cast)
    again = _register(cast.charlie, "HEZG990314MPLRRD03", sex="male")
    _identify(cast.charlie, again, forms=["forced_labour", "sex_trafficking"], age=17)
    guatemala = Country.objects.get(iso2="GT")
    for i, (actor, sex, forms, age) in enumerate(
        [
            (cast.alice, "male", ["forced_labour"], 34),
            (cast.alice, "female", ["sex_trafficking", "forced_begging"], 9),
            (cast.charlie, "female", [], 52),
            (cast.charlie, "male", ["forced_labour"], None),
        ]
    ):
        person = _register(
            actor,
            "",
            sex=sex,
            nationality=guatemala if i % 2 else None,
            indigenous=True if i == 1 else None,
        )
        _identify(actor, person, forms=forms, age=age)
    service_record(
        actor=cast.alice, person=woman, category="emergency", kind="medical", started_on=DAY
    )
    puebla = cast.agency("FGE-PUE").jurisdiction
    assert puebla is not None and puebla.code == "21"

    compared = 0
    for rows in DIMENSIONS:
        for columns in DIMENSIONS:
            if rows == columns or columns in filters:
                continue
            expected = _per_row(measure, rows, columns, filters)
            got = crosstab_counts(measure, rows, columns, 2017, filters)
            # Only the rows the one-way table shows are drawn (a person's tag without a
            # category, such as no nationality, is not a row of its own).
            shown = set(breakdown(measure, rows, 2017, filters).counts)
            assert {k: n for k, n in got.items() if n and k[0] in shown} == expected, (
                rows,
                columns,
            )
            compared += len(expected)
    assert compared > 50
