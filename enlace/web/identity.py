"""Correcting a person's identity: the registering agency rewrites it, for a reason,
and the values it replaces are kept encrypted (``registry.services.identity_correct``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.registry import services as registry
from enlace.registry.models import IdentityCorrection, identity_max_length
from enlace.registry.selectors import identity_get_for_user, person_get_for_user
from enlace.web.pages import DateInput, call, form_context, today

FIELDS = {
    "given_names": _("Given names"),
    "paternal_surname": _("Paternal surname"),
    "maternal_surname": _("Maternal surname"),
    "curp": _("CURP"),
    "passport_number": _("Passport number"),
    "contact": _("Safe contact"),
}


class IdentityCorrectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=IdentityCorrection.Reason.choices)
    corrected_on = forms.DateField(label=_("Corrected on"), initial=today, widget=DateInput())
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in FIELDS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=identity_max_length(name)
            )

    def identity(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: (data.get(name) or "").strip() for name in FIELDS}
        return {**values, "birth_date": data.get("birth_date")}


@door(Who.CASEWORK, Action.IDENTITY_UPDATE, record=PERSON, param="public_id")
def identity_correct(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    vault = identity_get_for_user(user=request.user, person=person)
    initial = {name: getattr(vault, name) for name in (*FIELDS, "birth_date")}
    form = IdentityCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            registry.identity_correct,
            actor=request.user,
            person=person,
            reason=form.cleaned_data["reason"],
            corrected_on=form.cleaned_data["corrected_on"],
            **form.identity(),
        )
        if done is not None:
            messages.success(request, gettext("Identity corrected."))
            return redirect("person-detail", public_id=public_id)
    context = form_context(person, form, _("Correct the identity"), _("Record the correction"))
    return render(request, "web/person_form.html", context)
