"""The referral pages: refer a person to another agency, the lists of sent and received
referrals, the inbox, and the answers (accept, decline, complete, revoke)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.assistance.models import ServiceKind
from enlace.directory.models import Agency
from enlace.referrals import services as referrals
from enlace.referrals.models import Referral
from enlace.referrals.selectors import (
    referral_get_for_user,
    referral_inbox_for,
    referral_list_for_user,
)
from enlace.registry.access import person_read_audit
from enlace.registry.selectors import identity_get_for_user, person_get_for_user
from enlace.web.pages import agency_of, call, form_context, is_htmx, page, query_without_page

# Forms -----------------------------------------------------------------------------------------


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class ReferralSendForm(forms.Form):
    to_agency = AgencyChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    services = forms.MultipleChoiceField(
        label=_("Services requested"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Name at least one service.")},
    )
    consent = forms.BooleanField(
        label=_("The person agreed to be referred to this agency."),
        error_messages={"required": _("A referral needs the person's consent.")},
    )
    shares_identity = forms.BooleanField(
        label=_("Share the person's identity with the receiving agency once it accepts."),
        required=False,
    )

    def __init__(self, *args: Any, own_agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(active=True).exclude(pk=own_agency.pk)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Never write names here."),
        error_messages={"required": _("Give a reason.")},
    )


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("Sent and received")), ("sent", _("Sent")), ("received", _("Received"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Referral.Status.choices], required=False
    )


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.REFERRAL_SEND, record=PERSON, param="public_id")
def person_refer(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = ReferralSendForm(request.POST or None, own_agency=agency_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = call(
                form,
                referrals.referral_send,
                actor=request.user,
                person=person,
                to_agency=data["to_agency"],
                services=data["services"],
                consent=data["consent"],
                shares_identity=data["shares_identity"],
            )
        except PermissionDenied as exc:
            form.add_error("shares_identity", str(exc))
            referral = None
        if referral is not None:
            messages.success(
                request,
                gettext("Referral sent to %(agency)s.") % {"agency": referral.to_agency.code},
            )
            return redirect("referral-detail", pk=referral.pk)
    title, button = _("Refer to another agency"), _("Send referral")
    return render(request, "web/person_form.html", form_context(person, form, title, button))


@door(Who.CASEWORK, Action.REFERRAL_ANSWER)
def referral_list(request: HttpRequest) -> HttpResponse:
    form = ReferralFilterForm(request.GET or None)
    agency = agency_of(request)
    rows = referral_list_for_user(user=request.user)
    if form.is_valid():
        if form.cleaned_data["direction"] == "sent":
            rows = rows.filter(from_agency=agency)
        elif form.cleaned_data["direction"] == "received":
            rows = rows.filter(to_agency=agency)
        if status := form.cleaned_data["status"]:
            rows = rows.filter(status=status)
    return render(
        request,
        "web/referral_list.html",
        {
            "form": form,
            "page": page(request, rows),
            "query": query_without_page(request),
            "agency": agency,
        },
    )


@door(Who.CASEWORK, Action.REFERRAL_ANSWER)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/referral_inbox.html",
        {"page": page(request, referral_inbox_for(user=request.user)), "query": ""},
    )


@door(Who.CASEWORK, Action.REFERRAL_ANSWER, record="referrals.referral")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    context = _referral_context(request, referral)
    if context["identity"] is not None:
        # The page shows the person's identity: a read of their record.
        person_read_audit(
            actor=request.user,
            people=[referral.person],
            via="web.referral",
            identity_shown=True,
            break_glass=False,
        )
    return render(request, "web/referral_detail.html", context)


def _referral_context(
    request: HttpRequest, referral: Referral, form: forms.Form | None = None, action: str = ""
) -> dict[str, Any]:
    agency = agency_of(request)
    receiving = referral.to_agency_id == agency.pk
    identity = None
    if referral.status in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED):
        try:
            identity = identity_get_for_user(user=request.user, person=referral.person)
        except Http404:
            identity = None
    return {
        "referral": referral,
        "receiving": receiving,
        "sending": referral.from_agency_id == agency.pk,
        "identity": identity,
        "person_held": referral.from_agency_id == agency.pk
        or referral.status in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED),
        "reason_form": form if action in ("decline", "revoke") else ReasonForm(),
        "failed_action": action,
    }


_ANSWERS: dict[str, Callable[..., Referral]] = {
    "accept": referrals.referral_accept,
    "decline": referrals.referral_decline,
    "complete": referrals.referral_complete,
    "revoke": referrals.referral_revoke,
}
_DONE = {
    "accept": _("Referral accepted."),
    "decline": _("Referral declined."),
    "complete": _("Referral completed."),
    "revoke": _("Referral revoked."),
}


@require_POST
@door(Who.CASEWORK, Action.REFERRAL_ANSWER, record="referrals.referral")
def referral_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    service = _ANSWERS.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {"actor": request.user, "referral": referral}
    form = ReasonForm(request.POST)
    if action in ("decline", "revoke"):
        if not form.is_valid():
            return _referral_failed(request, referral, form, action)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(**kwargs)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _referral_failed(request, referral, form, action)
    messages.success(request, str(_DONE[action]))
    if is_htmx(request):
        referral.refresh_from_db()
        return render(request, "web/_inbox_row.html", {"referral": referral, "answered": True})
    return redirect("referral-detail", pk=referral.pk)


def _referral_failed(
    request: HttpRequest, referral: Referral, form: forms.Form, action: str
) -> HttpResponse:
    referral.refresh_from_db()
    context = _referral_context(request, referral, form, action)
    return render(request, "web/referral_detail.html", context, status=400)
