"""Sign-ins, sign-outs, failed attempts and lockouts, in the audit trail.

axes keeps attempts in its own tables, which retention prunes; these rows put
them in the one hash-chained trail the auditor reads, beside what each
session then did. A failed attempt or a lockout names the account only if it
exists: what was typed as a user name is never stored, because it may be
anything, a person's name included.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from enlace.accounts.access import ANONYMOUS
from enlace.core import trail


def _account(username: Any) -> Any:
    if not isinstance(username, str) or not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _record(actor: Any, action: str, account: Any, after: dict[str, Any] | None = None) -> None:
    with transaction.atomic():
        if account is None:
            trail.record(actor=actor, action=action, object_type="auth.user", after=after)
        else:
            trail.record(actor=actor, action=action, obj=account, after=after)


@receiver(user_logged_in, dispatch_uid="enlace_audit_sign_in")
def _signed_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    _record(user, "auth.sign_in", user)


@receiver(user_logged_out, dispatch_uid="enlace_audit_sign_out")
def _signed_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None and user.is_authenticated:
        _record(user, "auth.sign_out", user)


@receiver(user_login_failed, dispatch_uid="enlace_audit_sign_in_failed")
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **_: Any) -> None:
    account = _account(credentials.get("username"))
    _record(ANONYMOUS, "auth.sign_in_failed", account, {"known_account": account is not None})


@receiver(user_locked_out, dispatch_uid="enlace_audit_locked_out")
def _locked_out(sender: Any, username: Any = None, **_: Any) -> None:
    account = _account(username)
    _record(ANONYMOUS, "auth.locked_out", account, {"known_account": account is not None})
