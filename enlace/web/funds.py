"""The funds page: a payment to a person from a fund the agency administers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action
from enlace.accounts.routes import PERSON, Who, door
from enlace.assistance.models import ServiceKind
from enlace.funds import services as funds
from enlace.funds.models import Fund
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, agency_of, record_for_person, today


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
