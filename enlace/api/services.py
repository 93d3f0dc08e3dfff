from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import case_agency
from enlace.api.models import ApiToken
from enlace.audit.services import audit_record, snapshot
from enlace.core.services import validate

PREFIX = "enl_"


def _token_values(token: ApiToken) -> dict[str, Any]:
    # An audit row holds no part of a key nor its hash: the token's id names it.
    values = snapshot(token)
    del values["key_hash"], values["prefix"]
    return values


def key_hash(key: str) -> str:
    # The key is 256 random bits: a plain SHA-256 is enough, no slow hash needed.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token acting as ``user``; returns it and the key, which is never stored.

    Only an administrator (a superuser) creates tokens, and only for an
    account of one agency: the token is scoped to that agency.
    """
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator creates API tokens."))
    if case_agency(user) is None:
        raise ValidationError({"user": _("A token acts as an account of one agency.")})
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, user=user, prefix=key[:10], key_hash=key_hash(key))
    validate(token)
    token.save()
    audit_record(actor=actor, action="api_token.create", obj=token, after=_token_values(token))
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator revokes API tokens."))
    if token.revoked_at is None:
        before = _token_values(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before=before,
            after=_token_values(token),
        )
    return token


def api_token_authenticate(key: str) -> Any | None:
    """The user a valid, unrevoked key acts as; None otherwise."""
    token = (
        ApiToken.objects.select_related("user", "user__membership", "user__membership__agency")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
