"""Who must pass a second factor, and what a session still owes.

The decision is taken at sign-in and kept in the session; a session that owes
nothing is checked again on every request against the user's role (no query:
the membership is loaded for the request anyway), so a role changed during
the session, or the setting turned on, asks for the second factor at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import Role
from enlace.accounts.permissions import MATRIX, Action, membership_of

# Values of the session key: the user must verify with their device, or enrol one.
SESSION_KEY = "enlace_second_factor"
VERIFY = "verify"
ENROL = "enrol"


def totp_required(user: Any) -> bool:
    """True if the setting requires TOTP and the user can see identities, or can
    change who can (administrators, staff: the admin edits memberships and erases),
    or reads the audit trail (break-glass reasons may describe a person)."""
    if not settings.TOTP_REQUIRED:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return membership is not None and (
        membership.role in MATRIX[Action.IDENTITY_VIEW]
        or membership.role in (Role.ADMIN, Role.AUDITOR)
    )


def second_factor_due(user: Any) -> str:
    """``VERIFY`` if the user has an authenticator, ``ENROL`` if they need one, else ``""``.

    Recovery codes are a way to pass the check, not a device of their own.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return ENROL if totp_required(user) else ""


@receiver(user_logged_in, dispatch_uid="enlace_second_factor")
def _remember_what_is_due(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = second_factor_due(user)
