from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "enlace.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the sign-in signal that records what second factor a session owes.
        from enlace.accounts import second_factor  # noqa: F401
