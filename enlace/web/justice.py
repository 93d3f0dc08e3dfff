"""The justice pages: a person's participation in proceedings, a restitution order, and
acknowledging an alert."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.justice import services as justice
from enlace.justice.models import Participation
from enlace.justice.selectors import alert_get_for_user, participation_get_for_user
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, back, call, record_for_person, today

# Forms -----------------------------------------------------------------------------------------


class ParticipationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the proceedings"), choices=Participation.Role.choices)
    started_on = forms.DateField(label=_("Started on"), initial=today, widget=DateInput())
    case_reference = forms.CharField(label=_("Case reference"), max_length=64, required=False)
    testified = forms.BooleanField(label=_("Testified"), required=False)


class RestitutionForm(forms.Form):
    awarded_on = forms.DateField(label=_("Awarded on"), initial=today, widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.PROCEEDING_RECORD, record=PERSON, param="public_id")
def proceeding_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = ParticipationForm(request.POST or None)
    return record_for_person(
        request,
        person,
        form,
        justice.participation_record,
        done=gettext("Participation recorded."),
        title=_("Record participation in proceedings"),
    )


@door(Who.CASEWORK, Action.PROCEEDING_RECORD, record="justice.participation")
def restitution_new(request: HttpRequest, pk: int) -> HttpResponse:
    participation = participation_get_for_user(user=request.user, pk=pk)
    form = RestitutionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call(
            form,
            justice.restitution_order_record,
            actor=request.user,
            participation=participation,
            **form.cleaned_data,
        )
    ):
        messages.success(request, gettext("Restitution order recorded."))
        return redirect("person-detail", public_id=participation.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": participation.person,
            "form": form,
            "title": gettext("Record a restitution order"),
            "button": gettext("Record"),
            "record": participation,
        },
    )


@require_POST
@door(Who.CASEWORK, Action.ALERT_ACKNOWLEDGE, record="justice.alert")
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get_for_user(user=request.user, pk=pk)
    justice.alert_acknowledge(actor=request.user, alert=alert)
    messages.success(request, gettext("Alert acknowledged."))
    return back(request, reverse("home"))
