"""The shared cast of users, Healthchecks-style.

Alice is a caseworker at the Puebla state prosecutor, Bob her colleague and
Sam their supervisor; Charlie works at the Jalisco prosecutor and must get
nothing of Alice's. Fernanda runs FEVIMTRA's shelter, Ines is an INM
officer, Cecilia pays from the victims'
commission's fund, Ana a national analyst, Audrey an auditor, and Nobody has no role.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import TransactionTestCase
from django.utils import translation

from enlace.accounts.models import Membership, Role
from enlace.directory.models import Agency, Country, CountryProfile
from enlace.directory.profile import profile_path, profile_read
from enlace.directory.services import profile_load
from enlace.referrals.services import referral_accept, referral_send
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register

DAY = datetime.date(2017, 6, 1)

# Fixtures through which a test reaches the database: pytest-django's, and the
# session's setup, which a module's fixture unblocks (as the demo's does).
# (Every test requests django_db_blocker, which alone opens nothing.)
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_setup"})


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("one_database") is not None:
        return False
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    if item.get_closest_marker("django_db") is not None:
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that touch a database (as Splink's conftest
    runs its database-free tests on one backend): the others, FEBRL, the engine, the
    narrative, disclosure, already ran in the SQLite lane, and run the same anywhere.
    So do those marked ``one_database``: the browser's checks of the pages' policy
    and pictures (the walk through a case runs on both)."""
    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    kept = [item for item in items if uses_database(item)]
    left = [item for item in items if not uses_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@dataclass
class Cast:
    alice: User
    bob: User
    sam: User
    charlie: User
    fernanda: User
    ines: User
    cecilia: User
    ana: User
    audrey: User
    nobody: User

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)


def _user(username: str, role: Role | None, agency: str | None) -> User:
    user = User.objects.create_user(username, password="password")
    if role is not None:
        Membership.objects.create(
            user=user, role=role, agency=Agency.objects.get(code=agency) if agency else None
        )
    return user


def _load_mx() -> None:
    if not CountryProfile.objects.filter(code="MX").exists():
        profile_load(profile=profile_read(profile_path("MX")))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    # Loaded once; each test's transaction is rolled back over it.
    with django_db_blocker.unblock():
        _load_mx()


@pytest.fixture
def mx(db: Any) -> None:
    # Transactional tests empty the database after themselves: load again if so.
    _load_mx()


@pytest.fixture
def cast(mx: None) -> Cast:
    return Cast(
        alice=_user("alice", Role.CASEWORKER, "FGE-PUE"),
        bob=_user("bob", Role.CASEWORKER, "FGE-PUE"),
        sam=_user("sam", Role.SUPERVISOR, "FGE-PUE"),
        charlie=_user("charlie", Role.CASEWORKER, "FGE-JAL"),
        fernanda=_user("fernanda", Role.CASEWORKER, "FEVIMTRA"),
        ines=_user("ines", Role.CASEWORKER, "INM"),
        cecilia=_user("cecilia", Role.CASEWORKER, "CEAV"),
        ana=_user("ana", Role.NATIONAL_ANALYST, "CIT"),
        audrey=_user("audrey", Role.AUDITOR, "CIT"),
        nobody=_user("nobody", None, None),
    )


IDENTITY = {
    "given_names": "María Guadalupe",
    "paternal_surname": "Hernández",
    "maternal_surname": "Zárate",
    "birth_date": datetime.date(1999, 3, 14),
    "curp": "HEZG990314MPLRRD03",
    "contact": "Calle Reforma 12, Puebla",
}


@pytest.fixture
def person(cast: Cast) -> Person:
    """A person Alice's agency registered and identified."""
    person = person_register(actor=cast.alice, identity=IDENTITY, sex="female")
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["sex_trafficking"],
        jurisdiction=cast.agency("FGE-PUE").jurisdiction,
        consent_to_share=True,
    )
    return person


@pytest.fixture
def foreigner(cast: Cast) -> Person:
    """A Guatemalan woman Alice's agency identified and referred to INM, which accepted."""
    person = person_register(
        actor=cast.alice,
        identity={"given_names": "Rosa", "passport_number": "G12345678"},
        sex="female",
        nationality=Country.objects.get(iso2="GT"),
    )
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=datetime.date(2017, 11, 20),
        forms=["forced_labour"],
        jurisdiction=cast.agency("FGE-PUE").jurisdiction,
    )
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("INM"),
        services=["legal"],
        consent=True,
    )
    referral_accept(actor=cast.ines, referral=referral)
    return person


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request through LocaleMiddleware leaves its language active on the thread;
    # each test starts in the default language, as a new process would.
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashers are slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
