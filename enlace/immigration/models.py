from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField
from enlace.core.models import Recorded
from enlace.directory.models import Agency, Country
from enlace.registry.models import Person


class PermitKind(models.Model):
    """A kind of humanitarian permit, from the country profile (its ``permits``).

    A visa request stores the code of the permit granted (``validity``); the
    term, its extensions and the kind of agency that decides are the profile's.
    """

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        MONTHS = "months", _("months")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Official name."))
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    length = models.PositiveSmallIntegerField(_("length"), help_text=_("Units of validity."))
    extension_terms = models.JSONField(
        _("extension terms"),
        default=list,
        blank=True,
        help_text=_("Codes of the permits an extension may grant; none: it cannot be extended."),
    )
    max_extensions = models.PositiveSmallIntegerField(
        _("maximum extensions"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    decided_by = models.CharField(
        _("decided by"),
        max_length=30,
        choices=Agency.Kind.choices,
        help_text=_("The kind of agency that grants, refuses and extends it."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("The first is a decision's default.")
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("permit kind")
        verbose_name_plural = _("permit kinds")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the language of the page: Spanish is the official one."""
        return self.name if (get_language() or "es").startswith("es") else self.name_en


def permit_label(code: str) -> str:
    """A stored permit code's label, the code itself when the profile no longer lists it."""
    permit = PermitKind.objects.filter(code=code).first()
    return permit.label if permit else code


class VisaRequest(models.Model):
    """A request for a humanitarian visa (temporary immigration relief) for a foreign victim."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="visa_requests", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        verbose_name=_("agency"),
        help_text=_("The agency that filed the request."),
    )
    requested_on = models.DateField(_("requested on"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    validity = models.CharField(
        _("validity"), max_length=20, blank=True, help_text=_("The permit granted: its code.")
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Computed from the decision and the holidays."),
    )
    # Free text about a victim: encrypted, in case it names someone.
    refusal_reason = EncryptedTextField(_("refusal reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("humanitarian visa request")
        verbose_name_plural = _("humanitarian visa requests")

    def __str__(self) -> str:
        return f"{self.requested_on} {self.outcome}"

    @property
    def validity_label(self) -> str:
        return permit_label(self.validity) if self.validity else ""


class VisaExtension(models.Model):
    request = models.ForeignKey(
        VisaRequest, models.CASCADE, related_name="extensions", verbose_name=_("visa request")
    )
    extended_on = models.DateField(_("extended on"))
    validity = models.CharField(
        _("validity"), max_length=20, help_text=_("The permit of the extension: its code.")
    )
    valid_until = models.DateField(_("valid until"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["extended_on"]
        verbose_name = _("visa extension")
        verbose_name_plural = _("visa extensions")

    def __str__(self) -> str:
        return f"{self.extended_on} → {self.valid_until}"

    @property
    def validity_label(self) -> str:
        return permit_label(self.validity)


class Repatriation(Recorded):
    """A victim returned to a country: a foreign victim home, or a national from abroad.

    Received by an agency of the directory (a consulate, the immigration
    authority) or by an organisation outside it, named by its organisation's
    name only, never by a person's.
    """

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="repatriations", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="repatriations",
        verbose_name=_("agency"),
        help_text=_("The agency that arranged the return."),
    )
    repatriated_on = models.DateField(_("repatriated on"), db_index=True)
    country = models.ForeignKey(
        Country, models.PROTECT, verbose_name=_("to country"), help_text=_("Where the person went.")
    )
    receiving_agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving agency or consulate"),
    )
    receiving_organisation = models.CharField(
        _("receiving organisation"),
        max_length=200,
        blank=True,
        help_text=_("When no agency of the directory received the person. Never a person's name."),
    )

    class Meta:
        ordering = ["-repatriated_on", "-id"]
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")

    def __str__(self) -> str:
        return f"{self.repatriated_on} {self.country_id}"
