from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmigrationConfig(AppConfig):
    name = "enlace.immigration"
    verbose_name = _("Immigration")
