"""Demo data: trafficking victims identified, referred and assisted in Mexico, 2015-2017.

Every record is written through the services, each by a hidden demo user
("demo.fevimtra", "demo.fge-pue"...) at the agency that would have made it,
so permissions, validation, linkage and audit rows all run as they do for
real caseworkers. The people are invented (Faker, es_MX) but the national
statistics counted from them are the figures of the protection section of
the 2018 US Trafficking in Persons report on Mexico: 1,814 victims
identified in 2015, 740 in 2016 (145 of them by both a federal agency and a
state prosecutor, registered twice and joined by linkage), 667 in 2017 with
the report's forms and sexes, 196 Mexicans identified abroad, 52 sheltered
by FEVIMTRA, 98 assisted by PGR, 78 by DIF, 126 by CNS, 31 by INM with 25
humanitarian visas, INDESOL's 598,500 pesos to two NGOs serving 76 people,
and CEAV's emergency fund paying from April 2017.

One ``random.Random`` and one seeded Faker are consumed in a fixed order,
so every load writes the same people with the same dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from enlace.audit.context import current_request_id
from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal
from enlace.capacity.models import ProtocolAdoption, TrainingSession
from enlace.demo.seed.earlier import earlier_year
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.tables import SEED, USER_PREFIX, YEARS
from enlace.demo.seed.year_2017 import year_2017
from enlace.funds.models import Grant
from enlace.linkage.features import batch
from enlace.registry.models import Identification, Person

__all__ = [
    "SEED",
    "USER_PREFIX",
    "YEARS",
    "DemoSummary",
    "demo_data_loaded",
    "demo_data_remove",
    "demo_load",
    "demo_users",
]


@dataclass
class DemoSummary:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    years: tuple[int, ...] = YEARS
    all_years: tuple[int, ...] = YEARS

    def __str__(self) -> str:
        c = self.counts
        span = (
            f"{self.all_years[0]}-{self.all_years[-1]}"
            if self.years == self.all_years
            else ", ".join(map(str, self.years))
        )
        return (
            f"Demo data {span} loaded in {self.seconds:.1f} s: "
            f"{c['person']:,} persons, {c['identification']:,} identifications, "
            f"{c['referral']:,} referrals, {c['service']:,} services, {c['stay']:,} stays, "
            f"{c['visa']:,} visa requests, {c['repatriation']:,} repatriations, "
            f"{c['grant']:,} grants, "
            f"{c['disbursement']:,} disbursements, {c['participation']:,} participations."
        )


def demo_users() -> QuerySet[User]:
    return User.objects.filter(username__startswith=USER_PREFIX)


def demo_data_remove() -> int:
    """Remove what earlier demo loads wrote; returns how many persons went.

    Their persons (with every record about them) and their grants. The audit
    trail is append-only: its rows stay, and one more records the removal.
    """
    users = demo_users()
    registered = AuditEvent.objects.filter(action="person.register", actor__in=users)
    identified = Identification.objects.filter(recorded_by__in=users)
    persons = Person.objects.filter(
        Q(public_id__in=registered.values("object_id")) | Q(pk__in=identified.values("person_id"))
    )
    removed = persons.count()
    if removed:
        persons.delete()
        Grant.objects.filter(recorded_by__in=users).delete()
        TrainingSession.objects.filter(recorded_by__in=users).delete()
        ProtocolAdoption.objects.filter(recorded_by__in=users).delete()
        AuditEvent.objects.create(
            actor_name="system",
            request_id=current_request_id(),
            action="demo.remove",
            object_type="demo",
            object_id="demo",
            after={"persons": removed},
        )
    return removed


def demo_data_loaded() -> bool:
    return Identification.objects.filter(recorded_by__in=demo_users()).exists()


# What loads each year: 2015 and 2016 from the report's federal, state, both-levels
# and consular totals.
LOADS: dict[int, Callable[[Loader], None]] = {
    2015: partial(earlier_year, year=2015, federal=876, state=938, both=0, consular=0),
    2016: partial(earlier_year, year=2016, federal=194, state=691, both=145, consular=20),
    2017: year_2017,
}


@batch()  # thousands of identities, encoded at registration
def demo_load(
    *, years: Iterable[int] = YEARS, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """(Re)load the demo data in one transaction: what an earlier load wrote goes first.

    ``years`` load in order, each on its own: no year needs an earlier one.
    The random draws start afresh with each load, so a load that begins with
    2015 writes the records of a full load, and any load gives the same data
    every time; a later year loaded without 2015 draws other people, to the
    same published totals.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production.")
    chosen = tuple(sorted(set(years)))
    if not chosen or not set(chosen) <= set(LOADS):
        raise ValueError(f"The demo's years are {YEARS}, not {chosen}.")
    started = timezone.now()
    with transaction.atomic():
        loader = Loader(progress)
        loader.progress("removing an earlier demo load")
        demo_data_remove()
        for year in chosen:
            LOADS[year](loader)
    # Its audit rows join the chain now, not at the next write: audit_verify passes at once.
    loader.progress("sealing the audit rows")
    seal()
    return DemoSummary(
        counts=loader.counts,
        seconds=(timezone.now() - started).total_seconds(),
        years=chosen,
    )
