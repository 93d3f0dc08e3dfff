"""A national run over a registry too small or too sparse to train on still finishes."""

from __future__ import annotations

from enlace.linkage.services import linkage_run
from enlace.registry.services import person_register
from tests.conftest import Cast


def test_it_links_records_that_have_no_birth_dates(cast: Cast) -> None:
    # No two records share a birth date: the training pass blocked on it finds no pair.
    for surname in ("Abad", "Bravo", "Cruz"):
        person_register(
            actor=cast.alice, identity={"given_names": "Ana", "paternal_surname": surname}
        )

    run = linkage_run(actor=cast.ana)

    assert run.finished_at is not None
    assert run.records == 3


def test_it_links_two_records_of_one_person(cast: Cast) -> None:
    # Every pair matches on the CURP: Splink refuses to estimate a prior from that.
    for _ in range(2):
        person_register(actor=cast.alice, identity={"curp": "HEZG990314MPLRRD03"})

    run = linkage_run(actor=cast.ana)

    assert run.people == 1
