"""What the country does so that officials can identify victims: training sessions of
officials, and the adoption of identification protocols by each jurisdiction."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import Recorded
from enlace.directory.models import Agency, Jurisdiction, Protocol


class TrainingSession(Recorded):
    """A session that trained officials of one agency; people are counted, never named."""

    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("agency"),
        help_text=_("The agency whose officials were trained."),
    )
    held_on = models.DateField(_("held on"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    people_trained = models.PositiveIntegerField(
        _("people trained"), validators=[MinValueValidator(1)]
    )
    trained_by = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trained by"),
        help_text=_("The agency or organisation that gave the training, if another."),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.agency_id} {self.held_on}"


class ProtocolAdoption(Recorded):
    """A jurisdiction's adoption of an identification protocol, from a date."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    protocol = models.ForeignKey(
        Protocol, models.PROTECT, related_name="adoptions", verbose_name=_("protocol")
    )
    adopted_on = models.DateField(_("adopted on"))

    class Meta:
        ordering = ["jurisdiction", "protocol"]
        verbose_name = _("protocol adoption")
        verbose_name_plural = _("protocol adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "protocol"], name="protocol_adopted_once_per_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id} {self.jurisdiction_id}"
