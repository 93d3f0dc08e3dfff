from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, and when.

    ``before`` and ``after`` hold pseudonymous field values only: encrypted
    identity fields are never copied here (see ``audit.services.snapshot``).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("actor")
    )
    actor_name = models.CharField(
        _("actor name"), max_length=150, help_text=_("Username, kept if the user is deleted.")
    )
    agency_code = models.CharField(_("agency"), max_length=20, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(
        _("object id"), max_length=40, db_index=True, help_text=_("Public id or primary key.")
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_id}"
