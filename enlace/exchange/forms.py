from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 200 * 1024 * 1024


class SubmissionForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (comma or semicolon) or Excel, one row per identification."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and count, store nothing"), required=False)
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: store nothing unless every row is valid"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload
