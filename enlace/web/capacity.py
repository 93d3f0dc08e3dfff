"""Training sessions of an agency's officials (its supervisors record them) and the
adoption of identification protocols by jurisdiction (the national coordination)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.capacity import services as capacity
from enlace.capacity.selectors import protocol_adoption_list, training_list_for_user
from enlace.directory.models import Agency, Jurisdiction, Protocol
from enlace.web.pages import DateInput, agency_of, call, today


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), initial=today, widget=DateInput())
    topic = forms.CharField(
        label=_("Topic"),
        max_length=200,
        help_text=_("E.g. identifying victims with the state protocol. Never a person's name."),
    )
    people_trained = forms.IntegerField(label=_("People trained"), min_value=1)
    trained_by = forms.ModelChoiceField(
        label=_("Trained by"),
        queryset=Agency.objects.filter(active=True).order_by("code"),
        required=False,
        help_text=_("The agency or organisation that gave the training, if another."),
    )


@door(Who.SUPERVISOR, Action.TRAINING_RECORD)
def training(request: HttpRequest) -> HttpResponse:
    """The agency's training sessions of officials, and a new one."""
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(form, capacity.training_record, actor=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, gettext("Training session recorded."))
            return redirect("training")
    sessions = training_list_for_user(user=request.user)
    context = {"form": form, "sessions": sessions, "agency": agency_of(request)}
    return render(request, "web/training.html", context)


class ProtocolAdoptionForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"), queryset=Jurisdiction.objects.all()
    )
    protocol = forms.ModelChoiceField(label=_("Protocol"), queryset=Protocol.objects.all())
    adopted_on = forms.DateField(label=_("Adopted on"), initial=today, widget=DateInput())


@door(Who.ANALYST, Action.PROTOCOL_ADOPTION_RECORD)
def protocol_adoptions(request: HttpRequest) -> HttpResponse:
    """Which jurisdictions adopted which protocol, and a new adoption."""
    form = ProtocolAdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form, capacity.protocol_adoption_record, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, gettext("Protocol adoption recorded."))
            return redirect("protocol-adoptions")
    context = {
        "form": form,
        "adoptions": protocol_adoption_list(),
        "jurisdictions": Jurisdiction.objects.filter(is_capital=False).count(),
    }
    return render(request, "web/protocol_adoptions.html", context)
