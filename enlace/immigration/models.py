from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField
from enlace.core.models import Recorded
from enlace.directory.models import Agency, Country
from enlace.registry.models import Person


class Validity(models.TextChoices):
    WORKING_DAYS_60 = "working_days_60", _("60 working days")
    CALENDAR_DAYS_90 = "calendar_days_90", _("90 calendar days")


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
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, blank=True)
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


class VisaExtension(models.Model):
    request = models.ForeignKey(
        VisaRequest, models.CASCADE, related_name="extensions", verbose_name=_("visa request")
    )
    extended_on = models.DateField(_("extended on"))
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices)
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
