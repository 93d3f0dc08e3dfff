from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "enlace.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app's hooks.py fills the registries of the layers beneath it (the
        # audit trail's writer, retention rules, key checks, erasure steps, profile
        # sections, what follows an identity write): imported here once every model
        # is loaded, as Django's admin imports each app's admin.py. core's own
        # (the key check at start-up) is among them.
        for config in apps.get_app_configs():
            if config.name.startswith("enlace.") and module_has_submodule(config.module, "hooks"):
                import_module(f"{config.name}.hooks")
