from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "enlace.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Not tagged "database": runserver runs only untagged checks, and a
        # wrong key must stop it as it stops migrate and check.
        checks.register(keys_check)
        post_migrate.connect(_store_key_check, sender=self)


def keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: the configured keys are those the database was written with."""
    from enlace.core.keys import key_problems

    return [checks.Error(problem, id="enlace.E001") for problem in key_problems()]


def _store_key_check(using: str = "default", **kwargs: Any) -> None:
    from enlace.core.keys import key_check_store

    key_check_store()
