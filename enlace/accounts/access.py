"""Audit rows for refused attempts on records.

Reads of people are audited by ``registry.access.person_read_audit``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from django.apps import apps

from enlace.core import trail
from enlace.core.ids import ALPHABET

ACCESS_DENIED = "access.denied"
# The actor of a row about someone not signed in: named as what it is, not as the system.
ANONYMOUS = SimpleNamespace(username="anonymous", pk=None, is_authenticated=False)
# What a refused URL may name in the trail: a public id as ``core.ids`` makes them (with
# the ".N" of the benchmark copies), or a key that fits a 64-bit column; else this.
NOT_AN_ID = "[not an id]"
_PUBLIC_ID = re.compile(rf"[A-Z]-[{ALPHABET}]{{6}}(?:\.[0-9]{{1,3}})?")
_KEY = re.compile(r"[0-9]{1,18}")


def denied_label(*, param: str, value: Any) -> str:
    """What a refused URL asked for, as the trail may keep it.

    A public id (``V-7F3K9Q``) or a key (``812``) is kept, whether or not a
    record has it; anything else becomes ``NOT_AN_ID``: the path segment is
    whatever was typed, and a name typed into an address must not reach the trail.
    """
    text = str(value)
    if param == "public_id":
        return text if _PUBLIC_ID.fullmatch(text) else NOT_AN_ID
    if _KEY.fullmatch(text):
        return str(int(text))
    return NOT_AN_ID


def access_denied_audit(
    *, actor: Any, record: str, param: str, value: Any, route: str, status: int
) -> Any:
    """Audit a refused request that named a record of kind ``record`` by ``param``.

    One row for every refusal, whether or not a record has that id: the work
    is then the same either way, so the time of the answer cannot tell another
    agency which ids are real (docs/audit.md, "Refused requests"). Nothing is
    looked up; the row keeps the id asked for (or ``NOT_AN_ID``), the route
    and the answer given: what was asked for, never what a record holds.
    """
    return trail.record(
        actor=actor,
        action=ACCESS_DENIED,
        object_type=apps.get_model(record)._meta.label_lower,
        object_id=denied_label(param=param, value=value),
        after={"route": route, "status": status},
    )
