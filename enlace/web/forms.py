"""Forms of the browser interface. They check what a person typed; services check the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from enlace.assistance.models import ServiceCategory, ServiceKind, Shelter, Stay
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol
from enlace.funds.models import Fund
from enlace.immigration.models import Validity
from enlace.justice.models import Participation
from enlace.registry.models import (
    ExploitationForm,
    Gender,
    Identification,
    Sex,
    identity_max_length,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today() -> Any:
    return timezone.localdate()


def _yes_no_unknown() -> list[tuple[str, Any]]:
    return [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


def _to_bool(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class ShelterChoiceField(forms.ModelChoiceField):
    """Shelters annotated with occupancy: each choice says how many beds are free."""

    def label_from_instance(self, obj: Any) -> str:
        free = max(obj.capacity - obj.open_stays - obj.open_children, 0)
        return _("%(name)s (%(free)s of %(capacity)s beds free)") % {
            "name": obj.name,
            "free": free,
            "capacity": obj.capacity,
        }


class PersonSearchForm(forms.Form):
    given_names = forms.CharField(
        label=_("Given names"), required=False, max_length=identity_max_length("given_names")
    )
    paternal_surname = forms.CharField(
        label=_("Paternal surname"),
        required=False,
        max_length=identity_max_length("paternal_surname"),
    )
    maternal_surname = forms.CharField(
        label=_("Maternal surname"),
        required=False,
        max_length=identity_max_length("maternal_surname"),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    curp = forms.CharField(label=_("CURP"), required=False, max_length=identity_max_length("curp"))

    # The live search runs as the user types: a letter or two would show, and
    # audit as read, every person of the agency whose name contains them.
    MIN_NAME_LETTERS = 3

    def has_terms(self) -> bool:
        data = self.cleaned_data
        names = (data.get(f) or "" for f in ("given_names", "paternal_surname", "maternal_surname"))
        return bool(
            data.get("birth_date")
            or data.get("curp")
            or any(len(n.strip()) >= self.MIN_NAME_LETTERS for n in names)
        )


class PersonRegisterForm(PersonSearchForm):
    given_names = forms.CharField(
        label=_("Given names"), max_length=identity_max_length("given_names")
    )
    paternal_surname = forms.CharField(
        label=_("Paternal surname"), max_length=identity_max_length("paternal_surname")
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=identity_max_length("passport_number"),
    )
    contact = forms.CharField(
        label=_("Safe contact"),
        required=False,
        max_length=identity_max_length("contact"),
        help_text=_("A telephone, address or person through whom the person can be reached."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNSPECIFIED)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Country.objects.all(), required=False
    )
    indigenous = forms.TypedChoiceField(
        label=_("Indigenous"), choices=_yes_no_unknown, coerce=_to_bool, required=False
    )
    disability = forms.TypedChoiceField(
        label=_("Disability"), choices=_yes_no_unknown, coerce=_to_bool, required=False
    )
    consent = forms.BooleanField(
        label=_("The person agreed to be registered, after being told what is recorded and why."),
        error_messages={"required": _("Registration needs the person's consent.")},
    )

    def clean_curp(self) -> str:
        curp: str = self.cleaned_data.get("curp", "").strip().upper()
        if curp and len(curp) != 18:
            raise forms.ValidationError(_("A CURP has 18 characters."))
        return curp

    def identity(self) -> dict[str, Any]:
        names = ("given_names", "paternal_surname", "maternal_surname", "birth_date", "curp")
        fields = (*names, "passport_number", "contact")
        return {f: self.cleaned_data[f] for f in fields if self.cleaned_data.get(f)}


class ScreeningForm(forms.Form):
    """One yes/no question per indicator of the protocol, in the interface's language."""

    screened_on = forms.DateField(label=_("Screened on"), initial=_today, widget=DateInput())

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
    identified_on = forms.DateField(label=_("Identified on"), initial=_today, widget=DateInput())
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


class ServiceForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ServiceCategory.choices)
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    started_on = forms.DateField(label=_("Started on"), initial=_today, widget=DateInput())
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("ended_on")
            and data.get("started_on")
            and data["ended_on"] < data["started_on"]
        ):
            self.add_error("ended_on", _("A service cannot end before it starts."))
        return data


class StayAdmitForm(forms.Form):
    shelter = ShelterChoiceField(
        label=_("Shelter"), queryset=Shelter.objects.none(), empty_label=None
    )
    admitted_on = forms.DateField(label=_("Admitted on"), initial=_today, widget=DateInput())
    accompanying_children = forms.IntegerField(
        label=_("Accompanying children"), min_value=0, max_value=20, initial=0
    )

    def __init__(self, *args: Any, shelters: QuerySet[Shelter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shelter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = shelters


class StayDischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), initial=_today, widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=Stay.DischargeReason.choices)

    def __init__(self, *args: Any, stay: Stay | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stay = stay

    def clean_discharged_on(self) -> Any:
        value = self.cleaned_data["discharged_on"]
        if self.stay is not None and value < self.stay.admitted_on:
            raise forms.ValidationError(_("A discharge cannot come before the admission."))
        return value


class VisaRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), initial=_today, widget=DateInput())


class VisaDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), initial=_today, widget=DateInput())
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("Granted")), ("false", _("Refused"))],
        coerce=_to_bool,
    )
    validity = forms.ChoiceField(
        label=_("Validity"), choices=Validity.choices, initial=Validity.WORKING_DAYS_60
    )
    refusal_reason = forms.CharField(
        label=_("Reason for a refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DisbursementForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    paid_on = forms.DateField(label=_("Paid on"), initial=_today, widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ServiceKind.choices)

    def __init__(self, *args: Any, funds: QuerySet[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = funds


class ParticipationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the proceedings"), choices=Participation.Role.choices)
    started_on = forms.DateField(label=_("Started on"), initial=_today, widget=DateInput())
    case_reference = forms.CharField(label=_("Case reference"), max_length=64, required=False)
    testified = forms.BooleanField(label=_("Testified"), required=False)


class RestitutionForm(forms.Form):
    awarded_on = forms.DateField(label=_("Awarded on"), initial=_today, widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Public id"), required=False, max_length=12)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any")), *Sex.choices], required=False)
    status = forms.ChoiceField(
        label=_("Identification"),
        choices=[("", _("Any")), *Identification.Status.choices],
        required=False,
    )


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("Sent and received")), ("sent", _("Sent")), ("received", _("Received"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any"))], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from enlace.referrals.models import Referral

        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any")), *Referral.Status.choices]


class BreakGlassForm(forms.Form):
    public_id = forms.CharField(
        label=_("Person's public id"),
        max_length=14,
        help_text=_("As another agency gave it to you, e.g. V-7F3K9Q."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why you need this person's record now. Do not write names."),
    )
    hours = forms.IntegerField(
        label=_("Hours"),
        min_value=1,
        initial=1,
        help_text=_("Access ends on its own after this many hours."),
    )

    def clean_public_id(self) -> str:
        value: str = self.cleaned_data["public_id"].strip().upper()
        from enlace.registry.models import Person

        person = Person.objects.filter(public_id=value).first()
        if person is None:
            raise forms.ValidationError(_("No person has this public id."))
        self.cleaned_data["person"] = person
        return value


class ErasureForm(forms.Form):
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        max_length=identity_max_length("erasure_reference"),
        help_text=_(
            "The number of the ARCO cancellation request or court order. "
            "Kept encrypted; do not write the person's name."
        ),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that the names, birth date, CURP, passport and contact are "
            "erased for good, and that this person can no longer be linked to new records."
        ),
    )
