"""The id of the request (or command run) that an audit row belongs to."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("enlace_request_id", default=None)


def current_request_id() -> str:
    value = _request_id.get()
    if value is None:
        # Outside a request (a command, a task): one id for the whole run.
        value = uuid.uuid4().hex
        _request_id.set(value)
    return value


def set_request_id(value: str) -> None:
    _request_id.set(value)
