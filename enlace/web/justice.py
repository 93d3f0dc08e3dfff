"""The justice pages: a person's participation in proceedings, a protection measure, a
restitution order, a detention or deportation event, and an alert: taken by a caseworker,
closed with what was done."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.directory.models import Jurisdiction
from enlace.justice import services as justice
from enlace.justice.models import Alert, DetentionEvent, Participation, ProtectionMeasure
from enlace.justice.selectors import alert_get_for_user, participation_get_for_user
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import (
    RECORD,
    DateInput,
    agency_of,
    back,
    call,
    form_context,
    record_for_person,
    today,
)

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


class ProtectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=ProtectionMeasure.Kind.choices)
    ordered_on = forms.DateField(label=_("Ordered on"), initial=today, widget=DateInput())


class DetentionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=DetentionEvent.Kind.choices)
    occurred_on = forms.DateField(label=_("On"), initial=today, widget=DateInput())
    jurisdiction = forms.ModelChoiceField(
        label=_("Place (federative entity)"), queryset=Jurisdiction.objects.all(), required=False
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


def _record_for_proceeding(
    request: HttpRequest,
    participation: Participation,
    form: forms.Form,
    service: Callable[..., Any],
    *,
    done: str,
    title: str,
) -> HttpResponse:
    """The form page of a record about a proceeding: on a valid POST the service writes it."""
    if (
        request.method == "POST"
        and form.is_valid()
        and call(
            form, service, actor=request.user, participation=participation, **form.cleaned_data
        )
    ):
        messages.success(request, done)
        return redirect("person-detail", public_id=participation.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": participation.person,
            "form": form,
            "title": title,
            "button": gettext("Record"),
            "record": participation,
        },
    )


@door(Who.CASEWORK, Action.PROCEEDING_RECORD, record="justice.participation")
def restitution_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_for_proceeding(
        request,
        participation_get_for_user(user=request.user, pk=pk),
        RestitutionForm(request.POST or None),
        justice.restitution_order_record,
        done=gettext("Restitution order recorded."),
        title=gettext("Record a restitution order"),
    )


@door(Who.CASEWORK, Action.PROCEEDING_RECORD, record="justice.participation")
def protection_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_for_proceeding(
        request,
        participation_get_for_user(user=request.user, pk=pk),
        ProtectionForm(request.POST or None),
        justice.protection_measure_record,
        done=gettext("Protection measure recorded."),
        title=gettext("Record a protection measure"),
    )


@door(Who.CASEWORK, Action.DETENTION_RECORD, record=PERSON, param="public_id")
def detention_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = DetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = call(
            form, justice.detention_record, actor=request.user, person=person, **form.cleaned_data
        )
        if event:
            messages.success(request, gettext("Event recorded."))
            # All the detaining agency learns of the alert: never who identified
            # the person, or why.
            if event.alerts.filter(agency=agency_of(request)).exists():
                messages.warning(
                    request,
                    gettext(
                        "Known as a potential trafficking victim — "
                        "apply the non-punishment protocol."
                    ),
                )
            return redirect("person-detail", public_id=person.public_id)
    title = _("Record a detention, transfer or deportation")
    return render(request, "web/person_form.html", form_context(person, form, title, RECORD))


class OutcomeForm(forms.Form):
    # No outcome is chosen for the caseworker: they say what was done.
    outcome = forms.ChoiceField(
        label=_("What was done"), choices=[("", "—"), *Alert.Outcome.choices]
    )


def _alert_page(request: HttpRequest, alert: Alert, form: OutcomeForm) -> HttpResponse:
    overdue = alert.acknowledged_at is None and alert.due_at and alert.due_at < timezone.now()
    context = {"alert": alert, "form": form, "overdue": overdue}
    return render(request, "web/alert_detail.html", context)


@door(Who.CASEWORK, Action.ALERT_ACKNOWLEDGE, record="justice.alert")
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _alert_page(request, alert_get_for_user(user=request.user, pk=pk), OutcomeForm())


@require_POST
@door(Who.CASEWORK, Action.ALERT_ACKNOWLEDGE, record="justice.alert")
def alert_take(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get_for_user(user=request.user, pk=pk)
    justice.alert_take(actor=request.user, alert=alert)
    messages.success(request, gettext("The alert is yours."))
    return redirect("alert-detail", pk=pk)


@require_POST
@door(Who.CASEWORK, Action.ALERT_ACKNOWLEDGE, record="justice.alert")
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get_for_user(user=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid() and call(
        form, justice.alert_acknowledge, actor=request.user, alert=alert, **form.cleaned_data
    ):
        messages.success(request, gettext("Alert acknowledged."))
        return back(request, reverse("alert-detail", args=[pk]))
    return _alert_page(request, alert, form)
