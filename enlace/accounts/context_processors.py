from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from enlace.accounts.permissions import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    own = getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    return {
        "membership": membership_of(user),
        # An administrator's change waiting for a supervisor: the page says so.
        "membership_waiting": own is not None and own.pending,
    }
