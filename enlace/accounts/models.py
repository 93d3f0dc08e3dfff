from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField
from enlace.directory.models import Agency


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Roles that work cases for one agency and so must belong to one.
AGENCY_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


class Membership(models.Model):
    """What a user is in Enlace: one role, at one agency.

    A person who works for two agencies has two accounts: every action is
    then attributable to exactly one agency. Changed only through the
    services in ``accounts.services`` (``membership_set``, ``membership_confirm``...).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # A case role given or changed in the admin, or an account whose password or
    # second factor an administrator reset, waits for a supervisor of the agency
    # (accounts.services.membership_confirm); until then it grants nothing
    # (permissions.membership_of). False by default: operators and fixtures
    # create memberships that hold at once.
    pending = models.BooleanField(
        _("waiting for confirmation"),
        default=False,
        help_text=_("Grants nothing until a supervisor of the agency confirms it."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
        help_text=_("The administrator whose change waits for confirmation."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=AGENCY_ROLES) | models.Q(agency__isnull=False),
                name="case_roles_need_an_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.agency or '-'})"


class BreakGlass(models.Model):
    """A supervisor's time-limited read access to a person outside their agency's scope.

    Opened only through ``registry.access.break_glass_open``, with a written
    reason, and audited as ``breakglass.open``; every read under it is audited
    too. Nothing closes a grant early: it lapses at ``expires_at``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="break_glass_grants",
        verbose_name=_("supervisor"),
    )
    person = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="break_glass_grants",
        verbose_name=_("person"),
    )
    # Encrypted: a reason written in a hurry may name the person.
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("break-glass grant")
        verbose_name_plural = _("break-glass grants")

    def __str__(self) -> str:
        return f"{self.user} → {self.person_id} until {self.expires_at:%Y-%m-%d %H:%M}"
