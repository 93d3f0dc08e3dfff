from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRelease(Exception):
    """Raised on any attempt to change or delete a published release through the application."""


class ReleaseQuerySet(models.QuerySet["Release"]):
    """Releases are only ever added: a correction is a new version, never an edit."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableRelease("A published release cannot be changed; publish a new version.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRelease("A published release cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableRelease("A published release cannot be changed; publish a new version.")


class Release(models.Model):
    """One published version of a year's annual figures, frozen as published.

    ``figures`` is the annual report's JSON text exactly as it was computed
    (kept as text, not a JSON column: PostgreSQL's jsonb would reorder it);
    ``public`` the disclosure-controlled tables shown to the public. ``hash``
    covers every field below and the previous version's hash
    (``reports.releases.release_hash``), so a value changed in the database
    no longer verifies.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why this version was published; public.")
    )
    published_at = models.DateTimeField(_("published at"))
    # PROTECT: who published stays named, and the hash covers the id.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    rules_version = models.CharField(
        _("counting-rule version"),
        max_length=80,
        help_text=_("A hash of the indicators' written rules when the figures were computed."),
    )
    code_version = models.CharField(_("code version"), max_length=120)
    watermark = models.JSONField(
        _("data watermark"),
        help_text=_("The newest records when the figures were computed: a late record moves it."),
    )
    figures = models.TextField(_("figures"), help_text=_("The annual report, as JSON text."))
    public = models.TextField(
        _("public tables"), help_text=_("The disclosure-controlled tables, as JSON text.")
    )
    previous_hash = models.CharField(_("previous version's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="release_year_version")
        ]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRelease("A published release cannot be changed; publish a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRelease("A published release cannot be deleted.")
