from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.audit.selectors import AuditFilters
from enlace.directory.models import Agency


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    action = forms.CharField(
        label=_("Action"), required=False, max_length=50, help_text=_("For example person.view")
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=50,
        help_text=_("For example registry.person"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=36)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        codes = Agency.objects.order_by("code").values_list("code", flat=True)
        field.choices = [("", _("Any")), *((code, code) for code in codes)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilters:
        """The filters typed, or none if the form is invalid (the page shows the errors)."""
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        return AuditFilters(
            **{name: value for name, value in self.cleaned_data.items() if value is not None}
        )
