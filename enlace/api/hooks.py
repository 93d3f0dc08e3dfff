"""api's hooks: how long revoked tokens are kept."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from enlace.api.models import ApiToken
from enlace.core.retention import Rule, retention_rule


def _api_tokens(cutoff: datetime.datetime) -> QuerySet[Any]:
    return ApiToken.objects.filter(revoked_at__lt=cutoff)


retention_rule(
    Rule(
        "api_tokens",
        "API tokens revoked long ago",
        _api_tokens,
        lambda qs: [f"{name} ({prefix}…)" for name, prefix in qs.values_list("name", "prefix")],
    )
)
