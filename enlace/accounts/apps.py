from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "enlace.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connects the sign-in signals: what second factor a session owes, and
        # sign-ins, sign-outs, failures and lockouts in the audit trail.
        from enlace.accounts import second_factor, sign_in_audit  # noqa: F401
