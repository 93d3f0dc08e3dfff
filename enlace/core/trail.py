"""The audit trail, as the layers beneath ``audit`` write to it.

Every change is audited in the transaction that makes it (docs/audit.md). The
trail (``enlace.audit``) sits above ``accounts``: each row names the actor's
agency, which only ``accounts`` knows. ``core``, ``directory`` and
``accounts`` change things too (keys, retention, the country profile,
accounts and sign-ins), and record them through ``record``, which ``audit``
points at its writer when the apps are ready (``audit/hooks.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_writer: Callable[..., Any] | None = None


def trail_writer(writer: Callable[..., Any]) -> None:
    """Make ``writer`` (``audit.services.audit_record``) the one that ``record`` calls."""
    global _writer
    _writer = writer


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Any:
    """Write one audit row, as ``audit.services.audit_record`` does; never skipped."""
    if _writer is None:
        raise ImproperlyConfigured("No audit trail: enlace.audit is not installed, or not ready.")
    return _writer(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )
