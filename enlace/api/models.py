from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key for one agency's system to use the API, acting as that system's user.

    Only a SHA-256 hash of the key is stored: the key itself is shown once,
    when an administrator creates it. The token acts with the user's
    membership, so it sees and writes exactly what that agency may.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
        help_text=_("The agency system's account; its membership scopes the token."),
    )
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("The key's first characters, to recognise it.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
