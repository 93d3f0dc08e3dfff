from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import Recorded
from enlace.directory.models import Agency, Jurisdiction
from enlace.funds.models import Fund
from enlace.registry.models import Person


class Participation(Recorded):
    """A person's part in criminal proceedings against their exploiters."""

    class Role(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        WITNESS = "witness", _("Witness")
        VICTIM_PARTY = "victim_party", _("Victim party (coadyuvante)")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="proceedings", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        verbose_name=_("prosecutor"),
        help_text=_("The prosecutor's office."),
    )
    case_reference = models.CharField(
        _("case reference"),
        max_length=60,
        blank=True,
        help_text=_("The investigation or case number."),
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices)
    testified = models.BooleanField(_("testified"), default=False)
    started_on = models.DateField(_("started on"))
    concluded_on = models.DateField(
        _("concluded on"), null=True, blank=True, help_text=_("When the legal case ended.")
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("participation in proceedings")
        verbose_name_plural = _("participations in proceedings")

    def __str__(self) -> str:
        return f"{self.role} {self.started_on}"


class ProtectionMeasure(models.Model):
    class Kind(models.TextChoices):
        POLICE_PROTECTION = "police_protection", _("Police protection")
        RESTRAINING_ORDER = "restraining_order", _("Restraining order")
        RELOCATION = "relocation", _("Relocation")
        IDENTITY_RESERVED = "identity_reserved", _("Identity kept confidential")
        OTHER = "other", _("Other")

    participation = models.ForeignKey(
        Participation,
        models.CASCADE,
        related_name="protection_measures",
        verbose_name=_("proceeding"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ordered_on = models.DateField(_("ordered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")

    def __str__(self) -> str:
        return self.kind


class RestitutionOrder(models.Model):
    participation = models.ForeignKey(
        Participation,
        models.CASCADE,
        related_name="restitution_orders",
        verbose_name=_("proceeding"),
    )
    awarded_on = models.DateField(_("awarded on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("restitution order")
        verbose_name_plural = _("restitution orders")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="restitution_positive")
        ]

    def __str__(self) -> str:
        return f"{self.awarded_on} {self.amount}"


class RestitutionPayment(models.Model):
    order = models.ForeignKey(
        RestitutionOrder, models.CASCADE, related_name="payments", verbose_name=_("order")
    )
    fund = models.ForeignKey(
        Fund,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("paid from fund"),
        help_text=_("Empty when the offender paid."),
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("restitution payment")
        verbose_name_plural = _("restitution payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class DetentionEvent(Recorded):
    """An officer detained, transferred to immigration or deported a registered person."""

    class Kind(models.TextChoices):
        DETENTION = "detention", _("Detention")
        TRANSFER_TO_IMMIGRATION = "transfer_to_immigration", _("Transfer to immigration detention")
        DEPORTATION = "deportation", _("Deportation proceedings")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="detention_events", verbose_name=_("person")
    )
    agency = models.ForeignKey(Agency, models.PROTECT, verbose_name=_("agency"))
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    occurred_on = models.DateField(_("occurred on"))
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, null=True, blank=True, verbose_name=_("jurisdiction")
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("detention or deportation event")
        verbose_name_plural = _("detention or deportation events")

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class Alert(models.Model):
    """Something an agency must act on; one row per agency told."""

    class Kind(models.TextChoices):
        NON_PUNISHMENT = "non_punishment", _("A known victim was detained or put into deportation")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="alerts", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="alerts",
        verbose_name=_("agency"),
        help_text=_("The agency that must act."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.ForeignKey(
        DetentionEvent,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("event"),
    )

    class Outcome(models.TextChoices):
        RELEASED = "released", _("Released: not punished for what they were made to do")
        SUSPENDED = "suspended", _("Charges or deportation suspended")
        REFERRED = "referred", _("Referred for victim assistance")
        NOT_THE_PERSON = "not_the_person", _("Not the same person")
        OTHER = "other", _("Other")

    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        help_text=_("When the agency must have acted; after it the alert goes to the supervisor."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("The caseworker who took the alert."),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("acknowledged by"),
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "agency"], name="one_alert_per_event_and_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency_id}"
