"""Rules of the matrix itself, in ``enlace/accounts/permissions.py``."""

from __future__ import annotations

import pytest

from enlace.accounts.models import Role
from enlace.accounts.permissions import MATRIX, Action, Relation, allows, can
from tests.conftest import Cast

READS = {Action.PERSON_VIEW, Action.IDENTITY_VIEW}


def test_every_action_has_a_row() -> None:
    assert set(MATRIX) == set(Action)


def test_break_glass_only_reads_and_only_for_supervisors() -> None:
    through_glass = {
        (action, role)
        for action, roles in MATRIX.items()
        for role, relations in roles.items()
        if Relation.BREAK_GLASS in relations
    }
    assert through_glass == {(a, Role.SUPERVISOR) for a in READS}


def test_the_national_level_never_reads_an_identity() -> None:
    assert all(Relation.NATIONAL not in r for r in MATRIX[Action.IDENTITY_VIEW].values())
    assert Role.NATIONAL_ANALYST not in MATRIX[Action.IDENTITY_VIEW]


@pytest.mark.django_db
def test_allows_answers_for_one_relation(cast: Cast) -> None:
    assert allows(cast.sam, Action.PERSON_VIEW, Relation.BREAK_GLASS)
    assert not allows(cast.alice, Action.PERSON_VIEW, Relation.BREAK_GLASS)
    assert allows(cast.alice, Action.IDENTITY_VIEW, Relation.REFERRED)
    assert not allows(cast.sam, Action.IDENTIFICATION_CONFIRM, Relation.REFERRED)
    assert allows(cast.ana, Action.PERSON_VIEW, Relation.NATIONAL)
    assert not allows(cast.ana, Action.IDENTITY_VIEW, Relation.NATIONAL)
    assert not allows(cast.nobody, Action.PERSON_VIEW, Relation.OWN)
    assert can(cast.ana, Action.PERSON_VIEW) and not can(cast.audrey, Action.PERSON_VIEW)
