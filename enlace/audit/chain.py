"""The hash chain over audit rows: pure functions, the same for writing and verifying.

Each row's hash is SHA-256 over the previous row's hash and a canonical JSON
serialisation of the row's content. Changing, inserting or deleting a row in
the database breaks the link to every later row, so ``enlace audit_verify``
finds the first row that no longer fits.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

GENESIS = "0" * 64

# The fields a row's hash covers, in this order. ``actor_id`` is covered too:
# a user who acted can only be deactivated, never deleted (the foreign key protects it).
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "agency_code",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
)


def _stable(value: Any) -> Any:
    """JSON values as any database gives them back.

    PostgreSQL's jsonb writes an integral float such as 1e20 as an integer, so
    integral floats are hashed as integers whichever database stored them.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    return value


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: dict[str, Any]) -> bytes:
    """The bytes a row's hash is computed over (without the previous hash)."""
    values = [
        _moment(content["at"]),
        *(content[name] for name in CONTENT_FIELDS[1:8]),
        _stable(content["before"]),
        _stable(content["after"]),
    ]
    return json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def link(previous: str, content: dict[str, Any]) -> str:
    """The hash of a row with ``content`` whose predecessor hashed to ``previous``."""
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(content))
    return digest.hexdigest()
