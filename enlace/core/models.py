from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.fields import EncryptedTextField


class Recorded(models.Model):
    """Who recorded a record, and when it was stored (not when it happened)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class KeyCheck(models.Model):
    """What the keys the database was written with make of a constant, checked at every start.

    A process started with other keys would write identities no one can read
    back, or linkage tokens that never match the stored ones; comparing with
    this row stops it before it writes anything.
    """

    sentinel = EncryptedTextField(
        _("sentinel"), help_text=_("A constant encrypted with the encryption keys.")
    )
    linkage_fingerprint = models.CharField(
        _("linkage key fingerprint"),
        max_length=64,
        help_text=_("HMAC-SHA256 of a constant under the linkage key; never the key."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key check")
        verbose_name_plural = _("key checks")

    def __str__(self) -> str:
        return f"key check {self.created_at:%Y-%m-%d}"
