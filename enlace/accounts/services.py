"""Writes about access: accounts, roles and memberships, and
second-factor devices (enrolment, verification, recovery codes and an administrator's reset).

Every change of an account is audited here, whoever makes it (the Django admin,
a command, the user themself): rows name the account, who changed it and what
changed, never a password, a hash or a device's secret.

The two-person rule: a case role (caseworker, supervisor) given or changed by an
administrator, and an account whose password or second factor an administrator
set or reset, waits for a supervisor of the agency to confirm it; until then it
grants nothing (``permissions.membership_of``). Otherwise the administrator, who
may not read identities, could make an account that does, or take one over.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import AGENCY_ROLES, Membership
from enlace.accounts.permissions import Action, require
from enlace.core import trail
from enlace.core.services import lock, validate
from enlace.directory.models import Agency

# Opened by the layer that holds people; imported from here by tests/security, which
# stays untouched (pyproject.toml's import contract names this one exception).
from enlace.registry.access import break_glass_open  # noqa: F401

RECOVERY_CODES = 10
# django-otp's static tokens: 8 characters of lower-case base32. A TOTP code is 6 digits.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
RECOVERY_DEVICE = "recovery"


def _wrong_code() -> ValidationError:
    return ValidationError({"token": _("That code is not right, or it has expired.")})


def _check(device: Device | None, token: str) -> bool:
    """Whether the device accepts the code; ValidationError while it is throttled.

    django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s...), so six
    digits cannot be guessed. Verifying saves the device's throttle and last
    code outside any transaction: a rolled-back failure would be a free guess.
    """
    if device is None:
        return False
    if not device.verify_is_allowed()[0]:
        raise ValidationError(
            {"token": _("Too many wrong codes. Wait a minute, then type the newest code.")}
        )
    return bool(device.verify_token(token))


def totp_device_for_enrolment(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed authenticator, made now if they have none.

    Reloading the enrolment page shows the same key, so an app that scanned it
    stays valid until the user confirms it.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def totp_device_confirm(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the user's new authenticator with a code it shows; ValidationError if wrong."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if not _check(device, token):
        raise _wrong_code()
    assert device is not None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        trail.record(actor=user, action="second_factor.enrol", obj=user, after={"device": "totp"})
    return device


def totp_enrolled(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_verify(*, user: Any, token: str) -> Device:
    """The user's device that accepts ``token``, a code from the app or a recovery code.

    A recovery code works once; using one is audited, with how many are left.
    ValidationError if no device accepts the code.
    """
    code = token.lower()
    if RECOVERY_CODE.fullmatch(code):
        for recovery in StaticDevice.objects.filter(user=user, confirmed=True):
            if _check(recovery, _stored(code)):
                with transaction.atomic():
                    trail.record(
                        actor=user,
                        action="second_factor.recovery_used",
                        obj=user,
                        after={"codes_left": recovery.token_set.count()},
                    )
                return recovery
        raise _wrong_code()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if _check(device, token):
            return device
    raise _wrong_code()


def _stored(code: str) -> str:
    """What the database keeps of a recovery code: a keyed hash, so a dump holds no usable code.

    Keyed with ``SECRET_KEY``: changing it voids every recovery code (users make new ones).
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256)
    return digest.hexdigest()[: StaticToken._meta.get_field("token").max_length]


@transaction.atomic
def recovery_codes_issue(*, user: Any) -> list[str]:
    """Ten new single-use recovery codes, for when the phone is not at hand.

    The user's earlier codes stop working. The codes are returned to be shown
    once; the database keeps only a keyed hash of each.
    """
    if not totp_enrolled(user=user):
        raise ValidationError(_("Turn on two-step verification first."))
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_stored(c)) for c in codes])
    trail.record(
        actor=user, action="second_factor.recovery_codes", obj=user, after={"codes": len(codes)}
    )
    return codes


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any) -> int:
    """Remove the user's authenticators and recovery codes (lost phone); they enrol again
    at next sign-in.

    The account's case role then waits for a supervisor of its agency to confirm
    it: whoever holds the password and enrols the new device could be anyone.
    """
    require(actor, Action.SECOND_FACTOR_RESET)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    trail.record(
        actor=actor, action="second_factor.reset", obj=user, after={"devices_removed": removed}
    )
    if _by_someone_else(actor, user):
        _membership_suspend(actor=actor, user=user, reason="second_factor.reset")
    return removed


# Accounts and memberships ----------------------------------------------------------------------

# The actor of an account change made at the shell (an ``enlace`` command). Whoever
# runs one already holds the database and the keys: what they set holds at once,
# and is audited under this name.
OPERATOR = SimpleNamespace(username="operator", pk=None, is_authenticated=False)

# What an account row records of a user: never the password or its hash.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _require_account_admin(actor: Any) -> None:
    if actor is OPERATOR or getattr(actor, "is_superuser", False):
        return
    raise PermissionDenied(_("Only an administrator changes accounts."))


def _by_someone_else(actor: Any, user: Any) -> bool:
    """Whether an administrator, not the user themself nor an operator, made the change."""
    return actor is not OPERATOR and getattr(actor, "pk", None) != user.pk


def _user_values(user: User) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(user, name) for name in USER_FIELDS}
    if user.pk is not None:
        values["groups"] = sorted(user.groups.values_list("name", flat=True))
        values["user_permissions"] = sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    return values


def _membership_values(membership: Membership) -> dict[str, Any]:
    return {
        "username": membership.user.username,
        "role": membership.role,
        "agency": membership.agency.code if membership.agency else None,
        "pending": membership.pending,
    }


@transaction.atomic
def user_create(*, actor: Any, user: User) -> User:
    """Save a new account, its password already set (or none: it cannot sign in).

    Audited as ``user.create`` with its flags and whether it has a password. It
    has no role: ``membership_set`` gives one.
    """
    _require_account_admin(actor)
    if not user.password:
        user.set_unusable_password()
    validate(user)
    user.save()
    after = {**_user_values(user), "usable_password": user.has_usable_password()}
    trail.record(actor=actor, action="user.create", obj=user, after=after)
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    groups: Iterable[Group] | None = None,
    permissions: Iterable[Permission] | None = None,
) -> User:
    """Save the account's names and flags (active, staff, superuser) and, when given,
    its groups and permissions; audited as ``user.change`` with what changed.

    The password is not saved here, whatever the instance holds: ``password_set``.
    """
    _require_account_admin(actor)
    before = _user_values(User.objects.select_for_update().get(pk=user.pk))
    validate(user)
    user.save(update_fields=USER_FIELDS)
    if groups is not None:
        user.groups.set(groups)
    if permissions is not None:
        user.user_permissions.set(permissions)
    after = _user_values(user)
    changed = [name for name in after if after[name] != before[name]]
    if changed:
        trail.record(
            actor=actor,
            action="user.change",
            obj=user,
            before={name: before[name] for name in changed},
            after={"username": user.username, **{name: after[name] for name in changed}},
        )
    return user


@transaction.atomic
def user_delete(*, actor: Any, user: User) -> None:
    """Delete an account that never acted (one that did is protected by its audit rows:
    deactivate it instead); audited as ``user.delete`` with its role and tokens."""
    _require_account_admin(actor)
    membership = Membership.objects.filter(user=user).first()
    before = {
        **_user_values(user),
        "membership": _membership_values(membership) if membership else None,
        "api_tokens": user.api_tokens.count(),
    }
    trail.record(actor=actor, action="user.delete", obj=user, before=before)
    user.delete()


@transaction.atomic
def password_set(*, actor: Any, user: User, password: str | None) -> None:
    """Set the account's password, or none (no password sign-in); audited as ``user.password_set``.

    The caller has validated the password (the admin's form does). Set by an
    administrator for someone else, it puts the account's case role back to
    waiting for a supervisor: a reset password is a way into the account.
    """
    if _by_someone_else(actor, user):
        _require_account_admin(actor)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    trail.record(
        actor=actor,
        action="user.password_set",
        obj=user,
        after={"username": user.username, "usable_password": password is not None},
    )
    if _by_someone_else(actor, user):
        _membership_suspend(actor=actor, user=user, reason="user.password_set")


def _membership_suspend(*, actor: Any, user: User, reason: str) -> None:
    """Put the user's case role back to waiting for a supervisor's confirmation."""
    membership = Membership.objects.filter(user=user, role__in=AGENCY_ROLES).first()
    if membership is None:
        return
    lock(membership)
    before = _membership_values(membership)
    membership.pending, membership.proposed_by = True, actor
    membership.save(update_fields=["pending", "proposed_by"])
    trail.record(
        actor=actor,
        action="membership.suspend",
        obj=user,
        before=before,
        after={**_membership_values(membership), "reason": reason},
    )


@transaction.atomic
def membership_set(*, actor: Any, user: User, role: str, agency: Agency | None) -> Membership:
    """Give the user a role (at an agency, for a case role), or change the one they have.

    From an administrator, a case role is a proposal: it grants nothing until a
    supervisor of the agency confirms it (``membership_confirm``), audited as
    ``membership.propose``. Other roles, and any role an operator sets, hold at
    once: ``membership.create`` or ``membership.change``.
    """
    _require_account_admin(actor)
    membership = Membership.objects.filter(user=user).first()
    before = None
    if membership is None:
        membership = Membership(user=user)
    else:
        lock(membership)
        before = _membership_values(membership)
    pending = role in AGENCY_ROLES and actor is not OPERATOR
    agency_id = agency.pk if agency is not None else None
    same = (membership.role, membership.agency_id) == (role, agency_id)
    # The same role again changes nothing, except an operator's for one that waits.
    if before is not None and same and (pending or not membership.pending):
        return membership
    membership.role, membership.agency = role, agency
    membership.pending, membership.proposed_by = pending, actor if pending else None
    validate(membership)
    membership.save()
    if pending:
        action = "membership.propose"
    else:
        action = "membership.create" if before is None else "membership.change"
    trail.record(
        actor=actor, action=action, obj=user, before=before, after=_membership_values(membership)
    )
    return membership


@transaction.atomic
def membership_delete(*, actor: Any, membership: Membership) -> None:
    """Take the user's role away (they keep the account, which then reaches nothing)."""
    _require_account_admin(actor)
    before = _membership_values(membership)
    user = membership.user
    membership.delete()
    trail.record(actor=actor, action="membership.delete", obj=user, before=before)


def _require_second_person(actor: Any, membership: Membership) -> None:
    """The confirmer: a supervisor of the membership's agency who is neither the account,
    nor whoever proposed the change, nor an administrator (or an operator at the shell)."""
    if actor is OPERATOR:
        return
    mine = require(actor, Action.MEMBERSHIP_CONFIRM)
    if getattr(actor, "is_staff", False) or getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("An administrator's account cannot confirm account changes."))
    if mine.agency_id != membership.agency_id:
        raise PermissionDenied(_("Only a supervisor of the account's agency can confirm it."))
    if actor.pk == membership.user_id:
        raise PermissionDenied(_("Nobody confirms their own account."))
    if actor.pk == membership.proposed_by_id:
        raise PermissionDenied(_("Whoever proposed the change cannot confirm it."))


@transaction.atomic
def membership_confirm(*, actor: Any, membership: Membership) -> Membership:
    """The second person's yes: the waiting role holds from now on (``membership.confirm``)."""
    lock(membership)
    _require_second_person(actor, membership)
    if not membership.pending:
        raise ValidationError(_("This account is not waiting for confirmation."))
    before = _membership_values(membership)
    proposer = membership.proposed_by
    membership.pending, membership.proposed_by = False, None
    membership.save(update_fields=["pending", "proposed_by"])
    after = {
        **_membership_values(membership),
        "proposed_by": proposer.username if proposer else None,
    }
    trail.record(
        actor=actor, action="membership.confirm", obj=membership.user, before=before, after=after
    )
    return membership


@transaction.atomic
def membership_refuse(*, actor: Any, membership: Membership) -> None:
    """The second person's no: the waiting role is removed (``membership.refuse``); the
    administrator proposes again if it was a mistake."""
    lock(membership)
    _require_second_person(actor, membership)
    if not membership.pending:
        raise ValidationError(_("This account is not waiting for confirmation."))
    before = {
        **_membership_values(membership),
        "proposed_by": membership.proposed_by.username if membership.proposed_by else None,
    }
    user = membership.user
    membership.delete()
    trail.record(actor=actor, action="membership.refuse", obj=user, before=before)
