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

# Guatemala's cast (make run PROFILE=GT), at the agencies of gt.yaml.
GT_DEMO_ACCOUNTS = (
    DemoAccount(
        "fiscalia", Role.CASEWORKER, "MP-FCTP", "caseworker, MP's Fiscalía contra la Trata"
    ),
    DemoAccount("supervisor", Role.SUPERVISOR, "MP-FCTP", "supervisor, Fiscalía contra la Trata"),
    DemoAccount("svet", Role.CASEWORKER, "SVET", "caseworker, SVET"),
    DemoAccount("igm", Role.CASEWORKER, "IGM", "immigration officer, IGM"),
    DemoAccount("pgn", Role.CASEWORKER, "PGN-PNA", "caseworker, PGN (children and adolescents)"),
    DemoAccount("refugio", Role.CASEWORKER, "ONG-REFUGIO", "caseworker, NGO shelter"),
    DemoAccount("consulado", Role.CASEWORKER, "MINEX-LA", "consular officer, Los Angeles"),
    DemoAccount("analista", Role.NATIONAL_ANALYST, "SVET", "national analyst"),
    DemoAccount("auditor", Role.AUDITOR, "SVET", "auditor"),
    DemoAccount("admin", Role.ADMIN, None, "administrator"),
)

ACCOUNTS_BY_PROFILE = {"MX": DEMO_ACCOUNTS, "GT": GT_DEMO_ACCOUNTS}


def demo_accounts(profile: str | None = None) -> tuple[DemoAccount, ...]:
    """The demo cast of a profile (the one the system runs with by default)."""
    code = profile or settings.COUNTRY_PROFILE
    if code not in ACCOUNTS_BY_PROFILE:
        raise ImproperlyConfigured(
            f"No demo for the profile {code}: {', '.join(ACCOUNTS_BY_PROFILE)}."
        )
    return ACCOUNTS_BY_PROFILE[code]


@transaction.atomic
def demo_accounts_create(profile: str | None = None) -> int:
    """Create (or reset) the demo accounts of ``profile``; returns how many were new.

    Through the account services, as the operator: every creation, password
    reset and role is in the audit trail, and the roles hold at once.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo accounts are never created in production.")
    created = 0
    for account in demo_accounts(profile):
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
