"""Screening and identification: the protocol's questions, the identification that follows,
and a supervisor's confirmation of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.directory.models import Country, Jurisdiction, Protocol
from enlace.directory.selectors import vocabulary_choices
from enlace.registry import services as registry
from enlace.registry.models import (
    ExploitationForm,
    Identification,
    TraffickingDetail,
    TraffickingPlace,
)
from enlace.registry.selectors import identification_get_for_user, person_get_for_user
from enlace.web.pages import RECORD, DateInput, agency_of, back, call, form_context, is_htmx, today

# Forms -----------------------------------------------------------------------------------------


class ScreeningForm(forms.Form):
    """One yes/no question per indicator of the protocol, in the interface's language."""

    screened_on = forms.DateField(label=_("Screened on"), initial=today, widget=DateInput())

    def __init__(self, *args: Any, protocol: Protocol, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        spanish = (get_language() or "").startswith("es")
        for indicator in protocol.indicators.all():
            self.fields[f"q_{indicator.code}"] = forms.BooleanField(
                label=indicator.text_es if spanish else indicator.text_en, required=False
            )

    def answers(self) -> dict[str, bool]:
        return {
            name[2:]: bool(value) for name, value in self.cleaned_data.items() if name[:2] == "q_"
        }


class IdentificationForm(forms.Form):
    identified_on = forms.DateField(label=_("Identified on"), initial=today, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Identification.Status.choices,
        initial=Identification.Status.POTENTIAL,
    )
    exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every form that applies."),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Place (federative entity)"), queryset=Jurisdiction.objects.all(), required=False
    )
    country_abroad = forms.ModelChoiceField(
        label=_("Or, abroad: country"),
        queryset=Country.objects.all(),
        required=False,
        help_text=_("For identifications at a consulate abroad."),
    )
    protocol = forms.ModelChoiceField(
        label=_("Protocol"), queryset=Protocol.objects.all(), required=False
    )
    age_at_identification = forms.IntegerField(
        label=_("Age at identification"), min_value=0, max_value=120, required=False
    )
    consent_to_share = forms.BooleanField(
        label=_("The person agreed that their data be shared with other agencies."),
        required=False,
    )
    agency_record_id = forms.CharField(
        label=_("Your agency's reference"), max_length=64, required=False
    )


class TraffickingDetailForm(forms.Form):
    """How the person was trafficked: terms of the profile's vocabularies, and the places."""

    STAGES = (
        (TraffickingPlace.Stage.RECRUITMENT, _("Place of recruitment")),
        (TraffickingPlace.Stage.TRANSIT, _("Place of transit")),
        (TraffickingPlace.Stage.EXPLOITATION, _("Place of exploitation")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices from the country profile: a code outside its lists does not validate.
        for vocabulary, label in TraffickingDetail.Vocabulary.choices:
            self.fields[vocabulary] = forms.MultipleChoiceField(
                label=label,
                choices=vocabulary_choices(vocabulary),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        for stage, label in self.STAGES:
            self.fields[f"{stage}_country"] = forms.ModelChoiceField(
                label=format_lazy("{}: {}", label, _("country")),
                queryset=Country.objects.all(),
                required=False,
                help_text=_("Empty with a state given: this country."),
            )
            self.fields[f"{stage}_jurisdiction"] = forms.ModelChoiceField(
                label=format_lazy("{}: {}", label, _("state")),
                queryset=Jurisdiction.objects.all(),
                required=False,
            )
            self.fields[f"{stage}_municipality"] = forms.CharField(
                label=format_lazy("{}: {}", label, _("municipality")),
                max_length=registry.MUNICIPALITY_MAX_LENGTH,
                required=False,
            )

    def codes(self) -> dict[str, list[str]]:
        return {v: list(self.cleaned_data[v]) for v in TraffickingDetail.Vocabulary.values}

    def places(self, home: Country | None) -> list[registry.PlaceIn]:
        places = []
        for stage, _label in self.STAGES:
            country = self.cleaned_data[f"{stage}_country"]
            jurisdiction = self.cleaned_data[f"{stage}_jurisdiction"]
            municipality = self.cleaned_data[f"{stage}_municipality"]
            if country is None and (jurisdiction or municipality):
                country = home
            if country is not None:
                places.append(registry.PlaceIn(stage, country, jurisdiction, municipality))
        return places

    @classmethod
    def initial_of(cls, identification: Identification) -> dict[str, Any]:
        detail = registry.trafficking_detail_of(identification)
        initial: dict[str, Any] = {v: detail[v] for v in TraffickingDetail.Vocabulary.values}
        for place in identification.trafficking_places.all():
            initial[f"{place.stage}_country"] = place.country_id
            initial[f"{place.stage}_jurisdiction"] = place.jurisdiction_id
            initial[f"{place.stage}_municipality"] = place.municipality
        return initial


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.SCREENING_RECORD, record=PERSON, param="public_id")
def person_screen(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    agency = agency_of(request)
    protocols = Protocol.objects.all()
    code = request.POST.get("protocol") or request.GET.get("protocol")
    protocol = protocols.filter(code=code).first() if code else None
    if protocol is None:
        # The protocol agencies of this kind use comes first.
        protocol = protocols.filter(used_by=agency.kind).first() or protocols.first()
    if protocol is None:
        raise Http404
    form = ScreeningForm(request.POST or None, protocol=protocol)
    if request.method == "POST" and form.is_valid():
        screening = call(
            form,
            registry.screening_record,
            actor=request.user,
            person=person,
            protocol=protocol,
            answers=form.answers(),
            screened_on=form.cleaned_data["screened_on"],
        )
        if screening is not None:
            if screening.proposes_potential_victim:
                text = gettext(
                    "Score %(score)s of %(threshold)s: the screening proposes a potential victim."
                )
            else:
                text = gettext(
                    "Score %(score)s of %(threshold)s: the screening does not propose a victim."
                )
            messages.success(
                request, text % {"score": screening.score, "threshold": protocol.threshold}
            )
            return redirect(
                f"{reverse('person-identify', args=[public_id])}?protocol={protocol.pk}"
                f"&proposed={int(screening.proposes_potential_victim)}"
            )
    context = {"person": person, "form": form, "protocol": protocol, "protocols": protocols}
    if is_htmx(request):
        return render(request, "web/_screening_questions.html", context)
    return render(request, "web/person_screen.html", context)


@door(Who.CASEWORK, Action.IDENTIFICATION_RECORD, record=PERSON, param="public_id")
def person_identify(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    agency = agency_of(request)
    if request.method == "POST":
        form = IdentificationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = call(
                form,
                registry.identification_record,
                aliases={"forms": "exploitation"},
                actor=request.user,
                person=person,
                identified_on=data["identified_on"],
                forms=data["exploitation"],
                status=data["status"],
                jurisdiction=data["jurisdiction"],
                country_abroad=data["country_abroad"],
                protocol=data["protocol"],
                age_at_identification=data["age_at_identification"],
                consent_to_share=data["consent_to_share"],
                agency_record_id=data["agency_record_id"],
            )
            if done is not None:
                messages.success(request, gettext("Identification recorded."))
                return redirect("person-detail", public_id=public_id)
    else:
        # Where the agency is: its state, or for a consulate the country it is in.
        form = IdentificationForm(
            initial={
                "protocol": request.GET.get("protocol"),
                "jurisdiction": agency.jurisdiction,
                "country_abroad": agency.country,
            }
        )
    context = form_context(person, form, _("Record an identification"), RECORD)
    return render(request, "web/person_form.html", context)


@door(Who.CASEWORK, Action.IDENTIFICATION_RECORD, record="registry.identification")
def identification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """How the person was trafficked: methods, kinds of exploitation, industry and places."""
    identification = identification_get_for_user(user=request.user, pk=pk)
    person = identification.person
    if request.method == "POST":
        form = TraffickingDetailForm(request.POST)
        home = Country.objects.filter(iso2=settings.COUNTRY_PROFILE).first()
        if form.is_valid() and call(
            form,
            registry.identification_detail_set,
            actor=request.user,
            identification=identification,
            codes=form.codes(),
            places=form.places(home),
        ):
            messages.success(request, gettext("Trafficking detail recorded."))
            return redirect("person-detail", public_id=person.public_id)
    else:
        form = TraffickingDetailForm(initial=TraffickingDetailForm.initial_of(identification))
    title = _("How the person was trafficked")
    return render(request, "web/person_form.html", form_context(person, form, title, RECORD))


@require_POST
@door(Who.CASEWORK, Action.IDENTIFICATION_CONFIRM, record="registry.identification")
def identification_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    identification = identification_get_for_user(user=request.user, pk=pk)
    try:
        registry.identification_confirm(actor=request.user, identification=identification)
        messages.success(request, gettext("Identification confirmed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return back(request, reverse("person-detail", args=[identification.person.public_id]))


@require_POST
@door(Who.CASEWORK, Action.IDENTIFICATION_CONFIRM, record="registry.identification")
def identification_rule_out(request: HttpRequest, pk: int) -> HttpResponse:
    identification = identification_get_for_user(user=request.user, pk=pk)
    try:
        registry.identification_rule_out(
            actor=request.user,
            identification=identification,
            reason=request.POST.get("ruled_out_reason", ""),
        )
        messages.success(request, gettext("Ruled out: not a victim."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return back(request, reverse("person-detail", args=[identification.person.public_id]))
