from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedBinaryField
from enlace.directory.models import Agency


class Submission(models.Model):
    """An agency's file of identifications (or of records of one kind), its import's progress
    and its report.

    The file is kept in the database so that a worker on any host can run it;
    the report lists rejected rows by row, column and reason, never a name.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.CharField(_("public id"), max_length=12, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="submissions", verbose_name=_("agency")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        default="identifications",
        help_text=_(
            "What one row records: an identification, or a record of a kind "
            "(enlace.exchange.kinds)."
        ),
    )
    filename = models.CharField(_("file name"), max_length=200)
    # Encrypted like the vault: the file names people. Emptied by the retention policy.
    content = EncryptedBinaryField(_("content"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    stored = models.PositiveIntegerField(_("stored"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    errors = models.JSONField(
        _("errors"),
        default=list,
        blank=True,
        help_text=_("Row, agency record id, column, value shown, reason; identity values hidden."),
    )
    failure = models.TextField(_("failure"), blank=True, help_text=_("Why the file was refused."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.public_id

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
