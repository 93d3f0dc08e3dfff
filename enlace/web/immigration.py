"""The immigration pages: a humanitarian visa requested, the authority's decision, and an
extension of a granted visa."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action, can
from enlace.accounts.routes import PERSON, Who, door
from enlace.directory.models import Agency, Country
from enlace.immigration import services as immigration
from enlace.immigration.models import PermitKind, VisaRequest
from enlace.immigration.selectors import visa_request_get_for_user
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, call, form_context, record_for_person, to_bool, today

# Forms -----------------------------------------------------------------------------------------


def _permits() -> list[tuple[str, str]]:
    """The profile's permits, its first (a decision's default) first."""
    return [(p.code, p.label) for p in PermitKind.objects.all()]


def _first_permit() -> str | None:
    return PermitKind.objects.values_list("code", flat=True).first()


class VisaRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), initial=today, widget=DateInput())


class VisaDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), initial=today, widget=DateInput())
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("Granted")), ("false", _("Refused"))],
        coerce=to_bool,
    )
    validity = forms.ChoiceField(label=_("Validity"), choices=_permits, initial=_first_permit)
    refusal_reason = forms.CharField(
        label=_("Reason for a refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RepatriationForm(forms.Form):
    repatriated_on = forms.DateField(label=_("Repatriated on"), initial=today, widget=DateInput())
    country = forms.ModelChoiceField(
        label=_("To country"), queryset=Country.objects.order_by("name")
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Receiving agency or consulate"),
        queryset=Agency.objects.order_by("code"),
        required=False,
    )
    receiving_organisation = forms.CharField(
        label=_("Or receiving organisation"),
        max_length=200,
        required=False,
        help_text=_("An organisation outside the directory. Never a person's name."),
    )


class VisaExtendForm(forms.Form):
    extended_on = forms.DateField(label=_("Extended on"), initial=today, widget=DateInput())
    validity = forms.ChoiceField(label=_("Validity"), choices=_permits, initial=_first_permit)


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.VISA_REQUEST, record=PERSON, param="public_id")
def visa_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = VisaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            immigration.visa_request,
            aliases={"person": "requested_on"},
            actor=request.user,
            person=person,
            requested_on=form.cleaned_data["requested_on"],
        )
        if done is not None:
            messages.success(request, gettext("Visa request recorded."))
            return redirect("person-detail", public_id=public_id)
    context = form_context(person, form, _("Request a humanitarian visa"), _("Request"))
    return render(request, "web/person_form.html", context)


@door(Who.CASEWORK, Action.REPATRIATION_RECORD, record=PERSON, param="public_id")
def repatriation_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    return record_for_person(
        request,
        person,
        RepatriationForm(request.POST or None),
        immigration.repatriation_record,
        done=gettext("Repatriation recorded."),
        title=_("Record a repatriation"),
    )


def _decided_here(request: HttpRequest, pk: int) -> VisaRequest:
    visa = visa_request_get_for_user(user=request.user, pk=pk)
    # After the read: a request outside the agency's scope is a 404 to every caseworker.
    if not can(request.user, Action.VISA_DECIDE):
        raise PermissionDenied(gettext("Only the immigration authority decides visa requests."))
    return visa


def _record_form(visa: VisaRequest, form: forms.Form, title: str, button: str) -> dict[str, Any]:
    return {"person": visa.person, "form": form, "title": title, "button": button, "record": visa}


@door(Who.CASEWORK, Action.VISA_DECIDE, record="immigration.visarequest")
def visa_decide(request: HttpRequest, pk: int) -> HttpResponse:
    visa = _decided_here(request, pk)
    form = VisaDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            immigration.visa_decide,
            aliases={"outcome": "granted"},
            actor=request.user,
            request=visa,
            **form.cleaned_data,
        )
        if done is not None:
            if done.valid_until:
                text = gettext("Visa granted, valid until %(date)s.") % {"date": done.valid_until}
            else:
                text = gettext("Visa refused.")
            messages.success(request, text)
            return redirect("person-detail", public_id=visa.person.public_id)
    context = _record_form(
        visa, form, gettext("Decide the visa request"), gettext("Record the decision")
    )
    return render(request, "web/record_form.html", context)


@door(Who.CASEWORK, Action.VISA_DECIDE, record="immigration.visarequest")
def visa_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """A granted visa extended: the new term runs from its current end (the service's rule)."""
    visa = _decided_here(request, pk)
    form = VisaExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form, immigration.visa_extend, actor=request.user, request=visa, **form.cleaned_data
        )
        if done is not None:
            text = gettext("Visa extended until %(date)s.") % {"date": done.valid_until}
            messages.success(request, text)
            return redirect("person-detail", public_id=visa.person.public_id)
    context = _record_form(visa, form, gettext("Extend the visa"), gettext("Record the extension"))
    return render(request, "web/record_form.html", context)
