from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.exchange.kinds import IDENTIFICATIONS, kind_choices
from enlace.exchange.reading import limits_from_settings, too_large


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What each row records"),
        choices=kind_choices,
        initial=IDENTIFICATIONS,
        required=False,
        help_text=_(
            "Identifications register people; every other kind records something about people "
            "your agency already holds, all rows or none."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma or semicolon) or Excel, in the columns of the kind's template."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and count, store nothing"), required=False)
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: store nothing unless every row is valid"), required=False
    )

    def clean_kind(self) -> str:
        # A client that names no kind sends identifications, as before kinds.
        return self.cleaned_data.get("kind") or IDENTIFICATIONS

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        # The size Django measured while receiving it: the file is not read into memory.
        if error := too_large(upload.size, limits_from_settings()):
            raise forms.ValidationError(str(error), code="too_large")
        return upload
