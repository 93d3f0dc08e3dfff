"""The assistance pages: a service delivered, an admission to a shelter, a discharge."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.assistance import services as assistance
from enlace.assistance.models import ServiceCategory, ServiceKind, Shelter, Stay
from enlace.assistance.selectors import shelter_list_with_occupancy, stay_get_for_user
from enlace.directory.models import Agency
from enlace.funds.models import Fund, Grant
from enlace.referrals.models import Referral
from enlace.referrals.selectors import referral_list_for_user
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import (
    DateInput,
    agency_of,
    call,
    form_context,
    record_for_person,
    today,
)

# Forms -----------------------------------------------------------------------------------------


class ServiceForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ServiceCategory.choices)
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    started_on = forms.DateField(label=_("Started on"), initial=today, widget=DateInput())
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())
    fund = forms.ModelChoiceField(
        label=_("Paid from a fund"), queryset=Fund.objects.none(), required=False
    )
    grant = forms.ModelChoiceField(
        label=_("Paid from a grant"), queryset=Grant.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        """The fund and grant choices: the funds the agency administers, the grants it received
        (a field without any is left out)."""
        super().__init__(*args, **kwargs)
        choices = {
            "fund": Fund.objects.filter(administrator=agency),
            "grant": Grant.objects.filter(grantee=agency).select_related("grantor"),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset.exists():
                field.queryset = queryset
            else:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("ended_on")
            and data.get("started_on")
            and data["ended_on"] < data["started_on"]
        ):
            self.add_error("ended_on", _("A service cannot end before it starts."))
        return data


class ShelterChoiceField(forms.ModelChoiceField):
    """Shelters annotated with occupancy: each choice says how many beds are free."""

    def label_from_instance(self, obj: Any) -> str:
        free = max(obj.capacity - obj.open_stays - obj.open_children, 0)
        return _("%(name)s (%(free)s of %(capacity)s beds free)") % {
            "name": obj.name,
            "free": free,
            "capacity": obj.capacity,
        }


class StayAdmitForm(forms.Form):
    shelter = ShelterChoiceField(
        label=_("Shelter"), queryset=Shelter.objects.none(), empty_label=None
    )
    admitted_on = forms.DateField(label=_("Admitted on"), initial=today, widget=DateInput())
    accompanying_children = forms.IntegerField(
        label=_("Accompanying children"), min_value=0, max_value=20, initial=0
    )

    def __init__(self, *args: Any, shelters: QuerySet[Shelter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shelter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = shelters


class StayDischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), initial=today, widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=Stay.DischargeReason.choices)

    def __init__(self, *args: Any, stay: Stay | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stay = stay

    def clean_discharged_on(self) -> Any:
        value = self.cleaned_data["discharged_on"]
        if self.stay is not None and value < self.stay.admitted_on:
            raise forms.ValidationError(_("A discharge cannot come before the admission."))
        return value


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.SERVICE_RECORD, record=PERSON, param="public_id")
def service_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = ServiceForm(request.POST or None, agency=agency_of(request))
    return record_for_person(
        request,
        person,
        form,
        assistance.service_record,
        done=gettext("Service recorded."),
        title=_("Record a service delivered"),
    )


@door(Who.CASEWORK, Action.STAY_RECORD, record=PERSON, param="public_id")
def stay_admit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    shelters = shelter_list_with_occupancy().filter(operator=agency_of(request), active=True)
    form = StayAdmitForm(request.POST or None, shelters=shelters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # An admission answers the open referral for shelter, when there is one.
        referral = (
            referral_list_for_user(user=request.user)
            .filter(person=person, to_agency=agency_of(request), status=Referral.Status.ACCEPTED)
            .first()
        )
        stay = call(
            form,
            assistance.stay_admit,
            aliases={"person": "shelter"},
            actor=request.user,
            person=person,
            shelter=data["shelter"],
            admitted_on=data["admitted_on"],
            accompanying_children=data["accompanying_children"],
            referral=referral,
        )
        if stay is not None:
            messages.success(
                request, gettext("Admitted to %(shelter)s.") % {"shelter": stay.shelter.name}
            )
            return redirect("person-detail", public_id=public_id)
    context = form_context(person, form, _("Admit to a shelter"), _("Admit"), shelters=shelters)
    return render(request, "web/person_form.html", context)


@door(Who.CASEWORK, Action.STAY_RECORD, record="assistance.stay")
def stay_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_get_for_user(user=request.user, pk=pk)
    form = StayDischargeForm(request.POST or None, stay=stay)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            assistance.stay_discharge,
            aliases={"discharge_reason": "reason"},
            actor=request.user,
            stay=stay,
            discharged_on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, gettext("Discharge recorded."))
            return redirect("person-detail", public_id=stay.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": stay.person,
            "form": form,
            "title": gettext("Discharge from the shelter"),
            "button": gettext("Discharge"),
            "record": stay,
        },
    )
