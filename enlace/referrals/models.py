from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField
from enlace.directory.models import Agency
from enlace.registry.models import Person


class Referral(models.Model):
    """A request from one agency to another to serve a person, with their consent."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="referrals", verbose_name=_("person")
    )
    from_agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="referrals_sent", verbose_name=_("from agency")
    )
    to_agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="referrals_received", verbose_name=_("to agency")
    )
    services = models.JSONField(
        _("services requested"),
        default=list,
        help_text=_("Kinds of service: medical, food, housing, psychological, legal, social."),
    )
    consent = models.BooleanField(
        _("consent"),
        help_text=_("The person agreed to be referred; a referral cannot be sent without it."),
    )
    shares_identity = models.BooleanField(
        _("shares identity"),
        default=False,
        help_text=_("The receiving agency may read the person's identity once it accepts."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    # Free text about a victim: encrypted, in case it names someone.
    reason = EncryptedTextField(
        _("reason"),
        blank=True,
        help_text=_("Why it was declined or revoked. Never write names here."),
    )
    sent_at = models.DateTimeField(_("sent at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.from_agency_id} → {self.to_agency_id}"

    @property
    def time_to_answer(self) -> datetime.timedelta | None:
        return self.answered_at - self.sent_at if self.answered_at else None
