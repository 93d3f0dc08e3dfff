from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """When a periodic task of ``enlace.ops.schedule.PERIODIC`` was last enqueued.

    One row per task, shared by every worker: the worker that moves the time
    forward (a conditional update) is the one that enqueues, so two workers
    never both run what is due once.
    """

    task = models.CharField(_("task"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.task
