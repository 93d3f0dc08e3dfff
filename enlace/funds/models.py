from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.assistance.models import ServiceKind
from enlace.core.models import Recorded
from enlace.directory.models import Agency
from enlace.registry.models import Person


class Fund(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    administrator = models.ForeignKey(
        Agency, models.PROTECT, related_name="funds", verbose_name=_("administrator")
    )
    established_on = models.DateField(_("established on"))
    disbursing_from = models.DateField(_("disbursing from"), null=True, blank=True)
    endowment = models.DecimalField(
        _("endowment"),
        null=True,
        blank=True,
        help_text=_("The amount the fund was created with, in the profile currency."),
        max_digits=14,
        decimal_places=2,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.code


class Disbursement(Recorded):
    """Money paid from a fund to, or for, one person."""

    fund = models.ForeignKey(
        Fund, models.PROTECT, related_name="disbursements", verbose_name=_("fund")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="disbursements", verbose_name=_("person")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, verbose_name=_("agency"), help_text=_("The agency that paid.")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=15, choices=ServiceKind.choices)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_positive")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.amount}"


class Grant(Recorded):
    """Money given by an agency to an NGO to serve victims.

    The victims a grant served are not stored: they are the people with a
    service paid from the grant (``ServiceDelivery.grant``).
    """

    grantor = models.ForeignKey(
        Agency, models.PROTECT, related_name="grants_given", verbose_name=_("grantor")
    )
    grantee = models.ForeignKey(
        Agency, models.PROTECT, related_name="grants_received", verbose_name=_("grantee")
    )
    fund = models.ForeignKey(
        Fund, models.PROTECT, null=True, blank=True, related_name="grants", verbose_name=_("fund")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    awarded_on = models.DateField(_("awarded on"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["-awarded_on", "-id"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_positive")
        ]

    def __str__(self) -> str:
        # As a choice on the service form: who gave it, when, how much.
        return f"{self.grantor.code} · {self.awarded_on} · {self.amount}"
