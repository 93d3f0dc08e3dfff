"""A case: one agency's work with one person, from opening to closure, with its plan.

A person has at most one case at each agency (``one_case_per_person_and_agency``);
closing and reopening change its status, so its history is its audit rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField
from enlace.core.models import Recorded
from enlace.directory.models import Agency
from enlace.referrals.models import Referral
from enlace.registry.models import Person

NOTE_HELP = _("Optional. Never write names here.")


class Case(Recorded):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_ASSISTANCE = "in_assistance", _("In assistance")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class ClosureReason(models.TextChoices):
        GOALS_MET = "goals_met", _("The case plan's goals were met")
        TRANSFERRED = "transferred", _("Transferred to another agency")
        DECLINED = "declined", _("The person declined further help")
        LOST_CONTACT = "lost_contact", _("Contact with the person was lost")
        RETURNED = "returned", _("Returned to their country or community")
        NOT_A_VICTIM = "not_a_victim", _("Not a victim of trafficking")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="cases", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closure_reason = models.CharField(
        _("closure reason"),
        max_length=15,
        choices=ClosureReason.choices,
        blank=True,
        help_text=_("Why it was closed, or why closing it was asked for."),
    )
    closure_requested_on = models.DateField(
        _("closure requested on"),
        null=True,
        blank=True,
        help_text=_("Set while a closure waits for a supervisor's approval."),
    )
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure requested by"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure approved by"),
    )
    reopened_on = models.DateField(_("reopened on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency"], name="one_case_per_person_and_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.status}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def closure_pending(self) -> bool:
        return not self.is_closed and self.closure_requested_on is not None


class Goal(models.Model):
    """A goal of the case plan: a coded category, the services it needs, an optional note."""

    class Category(models.TextChoices):
        SAFETY = "safety", _("Safety and protection")
        HEALTH = "health", _("Physical and mental health")
        HOUSING = "housing", _("Housing")
        LEGAL = "legal", _("Legal process and rights")
        DOCUMENTS = "documents", _("Identity and migration documents")
        INCOME = "income", _("Work and income")
        EDUCATION = "education", _("Education and training")
        FAMILY = "family", _("Family contact or reunification")
        RETURN = "return", _("Safe return or resettlement")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        MET = "met", _("Met")
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey(Case, models.CASCADE, related_name="goals", verbose_name=_("case"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    services = models.JSONField(
        _("services"),
        default=list,
        blank=True,
        help_text=_(
            "Kinds of service the goal needs: medical, food, housing, psychological, legal, social."
        ),
    )
    # Free text about a victim: encrypted, in case it names someone.
    note = EncryptedTextField(_("note"), blank=True, help_text=NOTE_HELP)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    set_on = models.DateField(_("set on"))

    class Meta:
        ordering = ["set_on", "id"]
        verbose_name = _("case plan goal")
        verbose_name_plural = _("case plan goals")

    def __str__(self) -> str:
        return self.category


class FollowUp(models.Model):
    """Something to do about a case by a date: a visit, a call, a review of the plan."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        APPOINTMENT = "appointment", _("Appointment with a service")
        REVIEW = "review", _("Review of the case plan")

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    note = EncryptedTextField(_("note"), blank=True, help_text=NOTE_HELP)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


class Transfer(models.Model):
    """A case handed to another agency: a referral, with its consent, answer and identity rule.

    The referral's status is the transfer's: sent (waiting), accepted (the case
    moved: the sender's closed as transferred, the receiver's opened), declined,
    revoked or expired (the sender's case goes on).
    """

    case = models.ForeignKey(Case, models.CASCADE, related_name="transfers", verbose_name=_("case"))
    referral = models.OneToOneField(
        Referral, models.CASCADE, related_name="transfer", verbose_name=_("referral")
    )

    class Meta:
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.referral_id}"
