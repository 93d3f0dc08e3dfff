"""The demo cast: one account per role, at the agencies the seed names."""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from enlace.accounts.models import Membership, Role
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
    """Create (or reset) the demo accounts; returns how many were new."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo accounts are never created in production.")
    created = 0
    for account in DEMO_ACCOUNTS:
        user, new = User.objects.get_or_create(username=account.username)
        created += new
        user.is_staff = user.is_superuser = account.role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        agency = Agency.objects.get(code=account.agency) if account.agency else None
        Membership.objects.update_or_create(
            user=user, defaults={"agency": agency, "role": account.role}
        )
    return created
