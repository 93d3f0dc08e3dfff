from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from enlace.accounts.permissions import membership_of


def membership(request: HttpRequest) -> dict[str, Any]:
    return {"membership": membership_of(getattr(request, "user", None))}
