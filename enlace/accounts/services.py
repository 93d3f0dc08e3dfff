"""Writes about access: break-glass grants, and second-factor devices (enrolment,
verification, recovery codes and an administrator's reset).

A device's secret never reaches an audit row: rows name the user and what
happened to their authenticator.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import BreakGlass
from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record
from enlace.registry.models import Person

BREAK_GLASS_MIN_REASON = 20
RECOVERY_CODES = 10
# django-otp's static tokens: 8 characters of lower-case base32. A TOTP code is 6 digits.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
RECOVERY_DEVICE = "recovery"


@transaction.atomic
def break_glass_open(*, actor: Any, person: Person, reason: str, hours: int) -> BreakGlass:
    """Open read access to a person outside the supervisor's agency, for ``hours`` hours.

    The reason is required (at least ``BREAK_GLASS_MIN_REASON`` characters) and
    goes to the audit row ``breakglass.open`` with the hours and the expiry,
    which the auditor's page lists.
    """
    from enlace.registry.selectors import person_is_held_by

    require(actor, Action.BREAK_GLASS_OPEN)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if len(reason) < BREAK_GLASS_MIN_REASON:
        errors["reason"] = _("Write why, in at least %(n)s characters.") % {
            "n": BREAK_GLASS_MIN_REASON
        }
    limit = settings.BREAK_GLASS_MAX_HOURS
    if not isinstance(hours, int) or not 1 <= hours <= limit:
        errors["hours"] = _("Between 1 and %(n)s hours.") % {"n": limit}
    if person_is_held_by(user=actor, person=person):
        errors["person"] = _("Your agency already holds this person: no break-glass is needed.")
    if errors:
        raise ValidationError(errors)
    expires_at = timezone.now() + datetime.timedelta(hours=hours)
    grant = BreakGlass(user=actor, person=person, reason=reason, expires_at=expires_at)
    grant.full_clean()
    grant.save()
    audit_record(
        actor=actor,
        action="breakglass.open",
        obj=person,
        # The reason stays in the grant, encrypted; the auditor's page reads it there.
        after={
            "grant": grant.pk,
            "reason": "[encrypted]",
            "hours": hours,
            "expires_at": expires_at.isoformat(),
        },
    )
    return grant


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
        audit_record(actor=user, action="second_factor.enrol", obj=user, after={"device": "totp"})
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
                    audit_record(
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
    audit_record(
        actor=user, action="second_factor.recovery_codes", obj=user, after={"codes": len(codes)}
    )
    return codes


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any) -> int:
    """Remove the user's authenticators and recovery codes (lost phone); they enrol again
    at next sign-in."""
    require(actor, Action.SECOND_FACTOR_RESET)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor, action="second_factor.reset", obj=user, after={"devices_removed": removed}
    )
    return removed
