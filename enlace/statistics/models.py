from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateRelease(models.Model):
    """The privacy-budget ledger: one differentially private table released.

    Every release spends budget; the ledger keeps what was spent, on which
    table and year, with which mechanism and scale, by whom and when, and the
    noisy counts themselves, so a published file is served again from here
    rather than drawn anew (fresh noise on each request would let anyone
    average it away).
    """

    released_at = models.DateTimeField(_("released at"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    batch = models.CharField(
        _("batch"), max_length=32, help_text=_("The tables released together share a batch.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    table = models.CharField(_("table"), max_length=64, help_text=_("The indicator released."))
    mechanism = models.CharField(_("mechanism"), max_length=20)
    epsilon = models.FloatField(_("epsilon"), help_text=_("Privacy budget this table spent."))
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity"), help_text=_("How many counts of the table one person can change by 1.")
    )
    scale = models.FloatField(_("noise scale"))
    counts = models.JSONField(_("noisy counts"), help_text=_("The counts as published."))

    class Meta:
        ordering = ["-released_at", "table"]
        verbose_name = _("private release")
        verbose_name_plural = _("private releases")

    def __str__(self) -> str:
        return f"{self.table} {self.year} ε={self.epsilon:g}"
