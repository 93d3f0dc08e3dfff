from __future__ import annotations

import datetime

from enlace.linkage.models import Encoding
from enlace.registry.models import Person
from enlace.registry.services import identity_update, person_register
from tests.conftest import IDENTITY, Cast

NO_CURP = {k: v for k, v in IDENTITY.items() if k != "curp"}


def test_before_any_linkage_run_records_sharing_identifiers_become_one_national_person(
    cast: Cast,
) -> None:
    state = person_register(actor=cast.alice, identity=IDENTITY)
    federal = person_register(
        actor=cast.fernanda, identity={**NO_CURP, "given_names": "GUADALUPE maria"}
    )
    state.refresh_from_db()
    assert federal.national_id == state.national_id
    assert Encoding.objects.get(person=state).curp is not None
    assert Encoding.objects.get(person=federal).curp is None


def test_a_link_found_later_joins_two_national_people(cast: Cast) -> None:
    by_curp = person_register(actor=cast.alice, identity={"curp": IDENTITY["curp"]})
    by_name = person_register(actor=cast.fernanda, identity=NO_CURP)
    assert by_curp.national_id != by_name.national_id

    # A third record carries both the CURP and the names: the three are one person.
    person_register(actor=cast.ines, identity=IDENTITY)

    assert Person.objects.values("national_id").distinct().count() == 1


def test_an_identity_update_links_again(cast: Cast) -> None:
    first = person_register(actor=cast.alice, identity=NO_CURP)
    second = person_register(
        actor=cast.fernanda, identity={**NO_CURP, "birth_date": datetime.date(1999, 4, 13)}
    )
    assert first.national_id != second.national_id

    identity_update(actor=cast.fernanda, person=second, birth_date=IDENTITY["birth_date"])

    first.refresh_from_db()
    assert first.national_id == second.national_id
