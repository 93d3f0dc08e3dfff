from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from enlace.audit.selectors import AuditFilters
from enlace.directory.models import Agency


class DateInput(forms.DateInput):
    input_type = "date"


def _shaped(pattern: str, message: Any) -> list[RegexValidator]:
    return [RegexValidator(pattern, message)]


class AuditFilterForm(forms.Form):
    """The auditor's filters. Each text filter must have the shape of what it names.

    The filters used are written to the audit trail (``audit.view``) and travel
    in the address: a name typed by mistake in a filter would end up in both,
    so anything that is not an identifier is refused before it is used.
    """

    date_from = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    actor = forms.CharField(
        label=_("User"),
        required=False,
        max_length=150,
        validators=_shaped(
            r"^[\w.@+-]+\Z", _("A user name: letters, digits and . @ + - _, no spaces.")
        ),
    )
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=50,
        help_text=_("For example person.view"),
        validators=_shaped(r"^[a-z_]+(\.[a-z_]+)+\Z", _("An action, such as person.view.")),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=50,
        help_text=_("For example registry.person"),
        validators=_shaped(r"^[a-z_]+\.[a-z_]+\Z", _("An object type, such as registry.person.")),
    )
    object_id = forms.CharField(
        label=_("Object id"),
        required=False,
        max_length=40,
        help_text=_("A public id such as V-7F3K9Q, or a number"),
        validators=_shaped(
            r"^([A-Z]-[0-9A-Z.]{1,12}|[0-9]{1,20})\Z",
            _("A public id such as V-7F3K9Q, or a number."),
        ),
    )
    request_id = forms.CharField(
        label=_("Request id"),
        required=False,
        max_length=36,
        validators=_shaped(
            r"^[A-Za-z0-9-]{8,36}\Z", _("A request id: 8 to 36 letters, digits or dashes.")
        ),
    )

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
