"""The breakdowns as an invariant over random sequences of registrations and identifications.

A Hypothesis state machine registers people at three agencies (two of them
sharing a CURP now and then, so records link into one national person),
identifies them with random forms, ages and years, and deletes
identifications. It keeps its own model of the records and computes every
breakdown of the identified from the model alone, by the written counting
rules (docs/counting-rules.md). After every step the system's breakdowns
must equal the model's, and no cell may have moved by more than one person;
and a two-way table's grouped cells must equal one breakdown per row.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from enlace.directory.models import Country
from enlace.linkage.normalise import curp_check_digit
from enlace.registry.models import Identification, Person
from enlace.registry.services import identification_record, person_register
from enlace.statistics.breakdowns import AGE_BANDS, DIMENSIONS, NONE, breakdown
from enlace.statistics.crosstab import crosstab_counts
from tests.conftest import IDENTITY, Cast

DEEP = os.environ.get("ENLACE_DEEP") == "1"
AGENCIES = ("FGE-PUE", "FGE-JAL", "FEVIMTRA")
CURPS = tuple(s + curp_check_digit(s) for s in ("HEZG990314MPLRRD0", "LOPJ850101HDFRRN0"))
# Each CURP with names and a birth date of its own: no two of them may link by name.
IDENTITIES = {
    CURPS[0]: {**IDENTITY, "curp": CURPS[0]},
    CURPS[1]: {
        "given_names": "Juan",
        "paternal_surname": "López",
        "birth_date": datetime.date(1985, 1, 1),
        "curp": CURPS[1],
    },
}
FORMS = ("sex_trafficking", "forced_labour", "other")
YEAR = 2017


@dataclass
class Record:
    national: str  # the model's own key: the CURP, or the record's serial
    sex: str
    nationality: str | None
    indigenous: bool | None
    person_id: int
    # (pk, agency, year, forms, age) of each identification still there
    identifications: list[tuple[int, str, int, tuple[str, ...], int | None]] = field(
        default_factory=list
    )


def _band(age: int | None) -> str:
    if age is None:
        return NONE
    return next(
        k for k, (low, high) in AGE_BANDS.items() if age >= low and (high is None or age < high)
    )


class Breakdowns(RuleBasedStateMachine):
    def __init__(self, cast: Cast) -> None:
        super().__init__()
        self.worker = {"FGE-PUE": cast.alice, "FGE-JAL": cast.charlie, "FEVIMTRA": cast.fernanda}
        self.jurisdiction = {code: cast.agency(code).jurisdiction for code in AGENCIES}
        self.state = {code: j.code for code, j in self.jurisdiction.items() if j is not None}
        self.level = {code: cast.agency(code).level for code in AGENCIES}
        self.countries = {c.iso2: c for c in Country.objects.filter(iso2__in=("MX", "GT"))}
        self.records: list[Record] = []
        self.agency_of: dict[int, str] = {}
        self.serial = 0
        self.before: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(
        agency=st.sampled_from(AGENCIES),
        curp=st.sampled_from((None, *CURPS)),
        sex=st.sampled_from(("male", "female", "unspecified")),
        nationality=st.sampled_from((None, "MX", "GT")),
        indigenous=st.sampled_from((None, True, False)),
    )
    def register(
        self,
        agency: str,
        curp: str | None,
        sex: str,
        nationality: str | None,
        indigenous: bool | None,
    ) -> None:
        self.serial += 1
        identity = IDENTITIES[curp] if curp else {"given_names": f"P{self.serial}"}
        person = person_register(
            actor=self.worker[agency],
            identity=identity,
            sex=sex,
            nationality=self.countries.get(nationality or ""),
            indigenous=indigenous,
        )
        national = curp or f"#{self.serial}"
        self.records.append(Record(national, sex, nationality, indigenous, person.pk))
        self.agency_of[person.pk] = agency

    @precondition(lambda self: self.records)
    @rule(
        data=st.data(),
        year=st.sampled_from((2016, YEAR)),
        forms=st.sets(st.sampled_from(FORMS), min_size=1, max_size=2),
        age=st.sampled_from((None, 9, 16, 25, 40, 60)),
    )
    def identify(self, data: st.DataObject, year: int, forms: set[str], age: int | None) -> None:
        record = data.draw(st.sampled_from(self.records))
        agency = self.agency_of[record.person_id]
        identification = identification_record(
            actor=self.worker[agency],
            person=Person.objects.get(pk=record.person_id),
            identified_on=datetime.date(year, 5, 1),
            forms=sorted(forms),
            status="identified",
            jurisdiction=self.jurisdiction[agency],
            age_at_identification=age,
        )
        record.identifications.append((identification.pk, agency, year, tuple(sorted(forms)), age))

    @precondition(lambda self: any(r.identifications for r in self.records))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        record = data.draw(st.sampled_from([r for r in self.records if r.identifications]))
        one = data.draw(st.sampled_from(record.identifications))
        Identification.objects.filter(pk=one[0]).delete()
        record.identifications.remove(one)

    # --- the rules, from the model alone ---------------------------------------------------

    def expected(self) -> dict[str, dict[str, int]]:
        nationals: dict[str, list[Record]] = {}
        for r in self.records:
            nationals.setdefault(r.national, []).append(r)
        cells: dict[str, dict[str, set[str]]] = {d: {} for d in DIMENSIONS}

        def put(dimension: str, key: str, who: str) -> None:
            cells[dimension].setdefault(key, set()).add(who)

        for who, records in nationals.items():
            events = [i for r in records for i in r.identifications if i[2] == YEAR]
            if not events:
                continue
            for _pk, agency, _year, forms, _age in events:
                put("state", self.state[agency], who)
                put("agency", agency, who)
                put("level", self.level[agency], who)
                for form in forms:
                    put("form", form, who)
            sexes = {r.sex for r in records} - {"unspecified"}
            put("sex", sexes.pop() if len(sexes) == 1 else "unspecified", who)
            ages = [i[4] for r in records for i in r.identifications if i[4] is not None]
            put("age_band", _band(min(ages) if ages else None), who)
            given = {r.nationality for r in records} - {None}
            put("nationality", "foreign" if given - {"MX"} else "national" if given else NONE, who)
            for country in given:
                put("country", str(country), who)
            flags = {r.indigenous for r in records}
            put("indigenous", "yes" if True in flags else "no" if False in flags else NONE, who)
        return {d: {k: len(v) for k, v in c.items()} for d, c in cells.items()}

    @invariant()
    def every_breakdown_follows_the_rules_and_moves_by_one_at_most(self) -> None:
        expected = self.expected()
        for dimension in DIMENSIONS:
            table = breakdown("identified", dimension, YEAR)
            now = {k: n for k, n in table.counts.items() if n}
            assert now == expected[dimension], dimension
            before = self.before[dimension]
            for key in set(now) | set(before):
                assert abs(now.get(key, 0) - before.get(key, 0)) <= 1, (dimension, key)
            self.before[dimension] = now

    @invariant()
    def a_two_way_table_is_the_breakdown_of_each_row(self) -> None:
        # Records linked into one person across agencies and forms: the grouped query must
        # count them as the per-row breakdowns do, where and by whom crossed with who.
        for rows, columns in (("state", "sex"), ("age_band", "form"), ("nationality", "country")):
            expected = {
                (r, c): n
                for r in breakdown("identified", rows, YEAR).counts
                for c, n in breakdown("identified", columns, YEAR, {rows: r}).counts.items()
                if n
            }
            got = crosstab_counts("identified", rows, columns, YEAR)
            assert {k: n for k, n in got.items() if n} == expected, (rows, columns)


def _run(cast: Cast, examples: int, steps: int) -> None:
    run_state_machine_as_test(
        lambda: Breakdowns(cast),  # type: ignore[arg-type]  # a factory is documented
        settings=settings(
            max_examples=100 if DEEP else examples,
            stateful_step_count=30 if DEEP else steps,
            derandomize=not DEEP,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            print_blob=True,
        ),
    )


def test_the_breakdowns_hold_over_random_sequences(cast: Cast) -> None:
    _run(cast, examples=4, steps=10)


@pytest.mark.slow
def test_the_breakdowns_hold_over_more_random_sequences(cast: Cast) -> None:
    _run(cast, examples=16, steps=15)
