"""The chain's hash function, without a database."""

from __future__ import annotations

import datetime
from typing import Any

from enlace.audit.chain import GENESIS, link

AT = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)


def content(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "at": AT,
        "actor_id": 7,
        "actor_name": "alice",
        "agency_code": "FGE-PUE",
        "request_id": "r1",
        "action": "person.register",
        "object_type": "registry.person",
        "object_id": "V-7F3K9Q",
        "before": None,
        "after": {"sex": "female", "age": 31},
    }
    return {**base, **changes}


def test_every_content_field_and_the_previous_hash_count() -> None:
    reference = link(GENESIS, content())
    changed = [
        content(at=AT + datetime.timedelta(microseconds=1)),
        content(actor_id=8),
        content(actor_id=None),
        content(actor_name="bob"),
        content(agency_code="FGE-JAL"),
        content(request_id="r2"),
        content(action="person.view"),
        content(object_type="registry.identity"),
        content(object_id="V-7F3K9R"),
        content(before={}),
        content(after={"sex": "male", "age": 31}),
    ]
    hashes = {link(GENESIS, c) for c in changed}
    assert reference not in hashes and len(hashes) == len(changed)
    assert link("1" * 64, content()) != reference


def test_the_same_moment_in_another_zone_and_keys_in_another_order_hash_alike() -> None:
    mexico = datetime.timezone(datetime.timedelta(hours=-6))
    same = content(at=AT.astimezone(mexico), after={"age": 31, "sex": "female"})
    assert link(GENESIS, same) == link(GENESIS, content())


def test_integral_floats_hash_as_integers() -> None:
    assert link(GENESIS, content(after={"n": 1e20})) == link(
        GENESIS, content(after={"n": 100000000000000000000})
    )
    assert link(GENESIS, content(after={"n": 0.5})) != link(GENESIS, content(after={"n": 1}))
