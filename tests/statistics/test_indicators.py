"""Indicators count national people from records, by the rules in docs/counting-rules.md."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from enlace.accounts.models import Membership, Role
from enlace.directory.models import Country
from enlace.registry.models import Identification, Person
from enlace.registry.services import identification_record, person_register
from enlace.statistics import indicators as ind
from tests.conftest import IDENTITY, Cast

D = datetime.date(2017, 5, 10)


def _identify(actor: User, identity: dict[str, Any], **kwargs: Any) -> Person:
    person = person_register(actor=actor, identity=identity, sex=kwargs.pop("sex", "female"))
    identification_record(
        actor=actor,
        person=person,
        identified_on=kwargs.pop("identified_on", D),
        forms=kwargs.pop("forms", ["sex_trafficking"]),
        status=kwargs.pop("status", Identification.Status.IDENTIFIED),
        **kwargs,
    )
    return person


@pytest.fixture
def consul(cast: Cast) -> User:
    user = User.objects.create_user("consul")
    Membership.objects.create(user=user, role=Role.CASEWORKER, agency=cast.agency("CONS-LA"))
    return user


def test_one_person_identified_by_two_levels_counts_once(cast: Cast) -> None:
    _identify(cast.alice, IDENTITY)
    # FEVIMTRA writes her differently: no accents, other case and order, no CURP.
    _identify(
        cast.fernanda,
        {
            "given_names": "guadalupe  maria",
            "paternal_surname": "HERNANDEZ",
            "maternal_surname": "Zarate",
            "birth_date": IDENTITY["birth_date"],
        },
    )

    assert ind.identified_total(2017) == 1
    assert ind.identified_by_level(2017) == {"federal": 1, "state": 1}
    assert ind.identified_by_form(2017) == {"sex_trafficking": 1}


def test_different_people_count_apart(cast: Cast) -> None:
    _identify(cast.alice, IDENTITY)
    _identify(cast.alice, {**IDENTITY, "curp": "", "birth_date": datetime.date(2000, 1, 1)})
    assert ind.identified_total(2017) == 2


def test_potential_and_not_a_victim_do_not_count(cast: Cast) -> None:
    _identify(cast.alice, {"given_names": "Ana"}, status=Identification.Status.POTENTIAL)
    _identify(
        cast.alice, {"given_names": "Eva"}, status=Identification.Status.NOT_A_VICTIM, forms=[]
    )
    assert ind.identified_total(2017) == 0


def test_a_person_counts_in_each_year_they_were_identified(cast: Cast) -> None:
    person = _identify(cast.alice, IDENTITY, identified_on=datetime.date(2016, 3, 1))
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=D,
        forms=["forced_labour"],
        status="identified",
    )
    assert (ind.identified_total(2016), ind.identified_total(2017)) == (1, 1)
    assert ind.identified_by_form(2017) == {"forced_labour": 1}


def test_several_forms_count_once_each(cast: Cast) -> None:
    _identify(cast.alice, IDENTITY, forms=["sex_trafficking", "forced_labour"])
    assert ind.identified_total(2017) == 1
    assert ind.identified_by_form(2017) == {"forced_labour": 1, "sex_trafficking": 1}


def test_sex_is_unspecified_when_records_disagree(cast: Cast) -> None:
    _identify(cast.alice, IDENTITY, sex="female")
    _identify(cast.fernanda, IDENTITY, sex="male")
    _identify(cast.alice, {"given_names": "Luis", "curp": ""}, sex="male")
    assert ind.identified_by_sex(2017) == {"male": 1, "female": 0, "unspecified": 1}


def test_identifications_abroad_are_counted_apart(cast: Cast, consul: User) -> None:
    _identify(
        consul,
        {"given_names": "Juan"},
        forms=["forced_labour"],
        country_abroad=Country.objects.get(iso2="US"),
    )
    assert ind.identified_total(2017) == 0
    assert ind.identified_abroad_total(2017) == 1
    assert ind.identified_abroad_by_country(2017) == {"US": 1}
    assert ind.years_with_data("abroad", [2016, 2017]) == [2017]


def test_deleting_an_identification_changes_the_figures_by_one(cast: Cast) -> None:
    for i in range(3):
        _identify(cast.alice, {"given_names": f"Persona {i}", "curp": ""})
    assert (ind.identified_total(2017), ind.identified_by_form(2017)["sex_trafficking"]) == (3, 3)

    Identification.objects.filter(forms__form="sex_trafficking").first().delete()  # type: ignore[union-attr]

    assert (ind.identified_total(2017), ind.identified_by_form(2017)["sex_trafficking"]) == (2, 2)
