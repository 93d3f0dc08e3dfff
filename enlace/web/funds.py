"""The funds pages: a payment to a person from a fund the agency administers, and the
grants a supervisor's agency gives to NGOs (with the people a service paid from each
reached)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.assistance.models import ServiceKind
from enlace.directory.models import Agency
from enlace.funds import services as funds
from enlace.funds.models import Fund
from enlace.funds.selectors import grant_list_with_victims_served
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, agency_of, call, record_for_person, today


class DisbursementForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
    )
    paid_on = forms.DateField(label=_("Paid on"), initial=today, widget=DateInput())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ServiceKind.choices)

    def __init__(self, *args: Any, funds: QuerySet[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = funds


@door(Who.CASEWORK, Action.DISBURSEMENT_RECORD, record=PERSON, param="public_id")
def disbursement_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = DisbursementForm(
        request.POST or None, funds=Fund.objects.filter(administrator=agency_of(request))
    )
    return record_for_person(
        request,
        person,
        form,
        funds.disbursement_record,
        done=gettext("Payment recorded."),
        title=_("Record a payment from a fund"),
    )


class GrantForm(forms.Form):
    grantee = forms.ModelChoiceField(
        label=_("To the organisation"),
        queryset=Agency.objects.filter(level=Agency.Level.NGO).order_by("code"),
    )
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    awarded_on = forms.DateField(label=_("Awarded on"), initial=today, widget=DateInput())
    fund = forms.ModelChoiceField(
        label=_("From the fund"), queryset=Fund.objects.none(), required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        required=False,
        help_text=_("What the grant pays for. Never a person's name."),
    )

    def __init__(self, *args: Any, funds: QuerySet[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = funds


@door(Who.SUPERVISOR, Action.GRANT_RECORD)
def grants(request: HttpRequest) -> HttpResponse:
    """The agency's grants, given and received, and a grant given to an NGO."""
    agency = agency_of(request)
    form = GrantForm(request.POST or None, funds=Fund.objects.filter(administrator=agency))
    if request.method == "POST" and form.is_valid():
        grant = call(form, funds.grant_record, actor=request.user, **form.cleaned_data)
        if grant is not None:
            messages.success(request, gettext("Grant recorded."))
            return redirect("grants")
    listed = grant_list_with_victims_served().filter(Q(grantor=agency) | Q(grantee=agency))
    return render(request, "web/grants.html", {"form": form, "grants": listed, "agency": agency})
