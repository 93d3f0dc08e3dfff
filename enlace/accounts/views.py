"""The second-factor pages (enrol an authenticator app, verify after the password,
make recovery codes), and the supervisor's page of accounts waiting for confirmation."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from enlace.accounts import services
from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.accounts.second_factor import SESSION_KEY, VERIFY, totp_required
from enlace.accounts.selectors import membership_get_pending_for_user, membership_pending_for_user
from enlace.core.http import next_path


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=12,  # a recovery code as shown, "abcd efgh"
        # Letters too: a recovery code is typed here on the verify page.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_token(self) -> str:
        # Apps show the code as "123 456"; people type it that way.
        return "".join(str(self.cleaned_data["token"]).split())


def _next(request: HttpRequest) -> str:
    return next_path(request, "/")


def _submit(request: HttpRequest, form: TokenForm, check: Callable[..., Any]) -> bool:
    """Run ``check`` on a valid code and mark the session verified; put a wrong code
    beside the field."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        device = check(user=request.user, token=form.cleaned_data["token"])
    except ValidationError as error:
        form.add_error("token", error.message_dict["token"])
        return False
    otp_login(request, device)
    request.session[SESSION_KEY] = VERIFY
    return True


def _recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # Shown once, on this answer only: the database keeps hashes, the browser no copy.
    context = {"codes": [f"{c[:4]} {c[4:]}" for c in codes], "next": _next(request)}
    return render(request, "accounts/recovery_codes.html", context)


@door(Who.SIGNED_IN)
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    if services.totp_enrolled(user=request.user):
        left = services.recovery_codes_left(user=request.user)
        return render(request, "accounts/second_factor_enrolled.html", {"codes_left": left})
    form = TokenForm(request.POST or None)
    token = form.fields["token"]
    token.label = gettext_lazy("Code from your authenticator app")
    token.widget.attrs["inputmode"] = "numeric"  # six digits: the phone's number pad
    if _submit(request, form, services.totp_device_confirm):
        messages.success(request, _("Two-step verification is on for your account."))
        return _recovery_codes(request, services.recovery_codes_issue(user=request.user))
    device = services.totp_device_for_enrolment(user=request.user)
    # The QR code is drawn here as SVG: the secret never leaves for a QR service.
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )
    context = {
        "form": form,
        "qr": mark_safe(qr),  # noqa: S308 - segno's own markup, from no user input
        "key": base64.b32encode(device.bin_key).decode(),
        "required": totp_required(request.user),
        "next": _next(request),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@door(Who.SIGNED_IN)
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not services.totp_enrolled(user=request.user):
        # An administrator reset the device: enrol again, or go on if not required.
        if totp_required(request.user):
            query = urlencode({"next": _next(request)})
            return redirect(f"{reverse('second-factor-enrol')}?{query}")
        request.session[SESSION_KEY] = ""
        return HttpResponseRedirect(_next(request))
    form = TokenForm(request.POST or None)
    if _submit(request, form, services.second_factor_verify):
        if isinstance(request.user.otp_device, StaticDevice):  # type: ignore[union-attr]
            left = services.recovery_codes_left(user=request.user)
            messages.warning(
                request,
                ngettext(
                    "You used a recovery code: %(count)d is left. "
                    "Make new ones under Two-step verification.",
                    "You used a recovery code: %(count)d are left. "
                    "Make new ones under Two-step verification.",
                    left,
                )
                % {"count": left},
            )
        return HttpResponseRedirect(_next(request))
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/second_factor_verify.html", context)


@require_POST
@door(Who.SIGNED_IN)
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """New recovery codes in place of the old ones, for a session that passed the second factor."""
    if not request.user.is_verified():  # type: ignore[union-attr]
        raise PermissionDenied
    try:
        codes = services.recovery_codes_issue(user=request.user)
    except ValidationError:  # the authenticator was reset meanwhile: enrol again first
        return redirect("second-factor-enrol")
    return _recovery_codes(request, codes)


# Accounts waiting for confirmation ---------------------------------------------------------------


@door(Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM)
def membership_pending_list(request: HttpRequest) -> HttpResponse:
    memberships = membership_pending_for_user(user=request.user)
    return render(request, "accounts/membership_pending.html", {"memberships": memberships})


def _decide(request: HttpRequest, pk: int, confirm: bool) -> HttpResponse:
    membership = membership_get_pending_for_user(user=request.user, pk=pk)
    names = {
        "user": membership.user.get_username(),
        "role": membership.get_role_display(),
        "agency": membership.agency.code if membership.agency else "",
    }
    try:
        if confirm:
            services.membership_confirm(actor=request.user, membership=membership)
            messages.success(request, _("%(user)s now works as %(role)s at %(agency)s.") % names)
        else:
            services.membership_refuse(actor=request.user, membership=membership)
            messages.success(request, _("Refused: %(user)s has no role now.") % names)
    except ValidationError as exc:  # another supervisor decided first
        messages.error(request, " ".join(exc.messages))
    return redirect("membership-pending")


@require_POST
@door(Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM, record="accounts.membership")
def membership_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@require_POST
@door(Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM, record="accounts.membership")
def membership_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
