from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import Recorded
from enlace.directory.models import Agency, Jurisdiction
from enlace.registry.models import Person


class ServiceCategory(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    LONG_TERM = "long_term", _("Long-term")


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    PSYCHOLOGICAL = "psychological", _("Psychological care")
    LEGAL = "legal", _("Legal assistance")
    SOCIAL = "social", _("Social reintegration")


class ServiceDelivery(Recorded):
    """A service an agency delivered to a person; "assisted" counts are made of these."""

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="services", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="services_delivered", verbose_name=_("provider")
    )
    category = models.CharField(_("category"), max_length=12, choices=ServiceCategory.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=ServiceKind.choices)
    started_on = models.DateField(_("started on"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    fund = models.ForeignKey(
        "funds.Fund", models.PROTECT, null=True, blank=True, verbose_name=_("paid from fund")
    )
    grant = models.ForeignKey(
        "funds.Grant",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("paid from grant"),
    )
    referral = models.ForeignKey(
        "referrals.Referral", models.SET_NULL, null=True, blank=True, verbose_name=_("referral")
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="service_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_on}"


class Shelter(models.Model):
    class Kind(models.TextChoices):
        HIGH_SECURITY = "high_security", _("High-security shelter")
        PUBLIC_PRIVATE = "public_private", _("Public-private shelter")
        TRAFFICKING_SPECIFIC = "trafficking_specific", _("Trafficking-specific shelter")
        JUSTICE_CENTRE = "justice_centre", _("Women Justice Center")
        GENERAL = "general", _("General shelter")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    operator = models.ForeignKey(
        Agency, models.PROTECT, related_name="shelters", verbose_name=_("operator")
    )
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, models.PROTECT, verbose_name=_("jurisdiction"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), help_text=_("Beds, counting residents and accompanying children.")
    )
    accepts_children = models.BooleanField(_("accepts children"))
    residents_may_leave_alone = models.BooleanField(
        _("residents may leave alone"), help_text=_("The shelter's rule; a stay may differ.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")

    def __str__(self) -> str:
        return self.name


class Stay(Recorded):
    class DischargeReason(models.TextChoices):
        CASE_CONCLUDED = "case_concluded", _("Legal case concluded")
        REINTEGRATED = "reintegrated", _("Reintegrated with family or community")
        TRANSFERRED = "transferred", _("Transferred to another shelter")
        LEFT_VOLUNTARILY = "left_voluntarily", _("Left voluntarily")
        REPATRIATED = "repatriated", _("Returned to country of origin")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="stays", verbose_name=_("person")
    )
    shelter = models.ForeignKey(
        Shelter, models.PROTECT, related_name="stays", verbose_name=_("shelter")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, verbose_name=_("agency"), help_text=_("The shelter's operator.")
    )
    admitted_on = models.DateField(_("admitted on"), db_index=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=20, choices=DischargeReason.choices, blank=True
    )
    accompanying_children = models.PositiveSmallIntegerField(_("accompanying children"), default=0)
    may_leave_alone = models.BooleanField(_("may leave alone"))
    referral = models.ForeignKey(
        "referrals.Referral", models.SET_NULL, null=True, blank=True, verbose_name=_("referral")
    )

    class Meta:
        ordering = ["-admitted_on", "-id"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shelter_id} {self.admitted_on}"
