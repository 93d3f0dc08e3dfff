"""The immigration pages: a humanitarian visa requested, and the authority's decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action, can
from enlace.accounts.routes import PERSON, Who, door
from enlace.immigration import services as immigration
from enlace.immigration.models import Validity
from enlace.immigration.selectors import visa_request_get_for_user
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, call, form_context, to_bool, today

# Forms -----------------------------------------------------------------------------------------


class VisaRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), initial=today, widget=DateInput())


class VisaDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), initial=today, widget=DateInput())
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("Granted")), ("false", _("Refused"))],
        coerce=to_bool,
    )
    validity = forms.ChoiceField(
        label=_("Validity"), choices=Validity.choices, initial=Validity.WORKING_DAYS_60
    )
    refusal_reason = forms.CharField(
        label=_("Reason for a refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


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


@door(Who.CASEWORK, Action.VISA_DECIDE, record="immigration.visarequest")
def visa_decide(request: HttpRequest, pk: int) -> HttpResponse:
    visa = visa_request_get_for_user(user=request.user, pk=pk)
    # After the read: a request outside the agency's scope is a 404 to every caseworker.
    if not can(request.user, Action.VISA_DECIDE):
        raise PermissionDenied(gettext("Only the immigration authority decides visa requests."))
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
    return render(
        request,
        "web/record_form.html",
        {
            "person": visa.person,
            "form": form,
            "title": gettext("Decide the visa request"),
            "button": gettext("Record the decision"),
            "record": visa,
        },
    )
