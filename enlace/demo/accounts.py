"""The demo cast: one account per role, at the agencies the seed names."""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from enlace.accounts.models import Role
from enlace.accounts.services import (
    OPERATOR,
    membership_set,
    password_set,
    user_create,
    user_update,
)
from enlace.directory.models import Agency

DEMO_PASSWORD = "enlace-demo"  # noqa: S105 - demo accounts exist only outside production


class DemoAccount(NamedTuple):
    username: str
    role: Role
    agency: str | None
    description: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "fevimtra", Role.CASEWORKER, "FEVIMTRA", "caseworker, FEVIMTRA (federal prosecutor)"
    ),
    DemoAccount(
        "fiscalia.puebla", Role.CASEWORKER, "FGE-PUE", "caseworker, Puebla state prosecutor"
    ),
    DemoAccount("inm", Role.CASEWORKER, "INM", "immigration officer, INM"),
    DemoAccount("consulado", Role.CASEWORKER, "CONS-LA", "consular officer, Los Angeles"),
    DemoAccount("dif", Role.CASEWORKER, "DIF", "caseworker, DIF (child services)"),
    DemoAccount("refugio.puebla", Role.CASEWORKER, "ONG-PUE", "caseworker, Puebla shelter NGO"),
    DemoAccount("supervisor", Role.SUPERVISOR, "FEVIMTRA", "supervisor, FEVIMTRA"),
    DemoAccount("analista", Role.NATIONAL_ANALYST, "CIT", "national analyst"),
    DemoAccount("auditor", Role.AUDITOR, "CIT", "auditor"),
    DemoAccount("admin", Role.ADMIN, None, "administrator"),
)


@transaction.atomic
def demo_accounts_create() -> int:
    """Create (or reset) the demo accounts; returns how many were new.

    Through the account services, as the operator: every creation, password
    reset and role is in the audit trail, and the roles hold at once.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo accounts are never created in production.")
    created = 0
    for account in DEMO_ACCOUNTS:
        admin = account.role == Role.ADMIN
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username, is_staff=admin, is_superuser=admin)
            user.set_password(DEMO_PASSWORD)
            user_create(actor=OPERATOR, user=user)
            created += 1
        else:
            user.is_staff = user.is_superuser = admin
            user_update(actor=OPERATOR, user=user)
            password_set(actor=OPERATOR, user=user, password=DEMO_PASSWORD)
        agency = Agency.objects.get(code=account.agency) if account.agency else None
        membership_set(actor=OPERATOR, user=user, role=account.role, agency=agency)
    return created
