"""One person as one agency records them, and the plain arithmetic the plan is made of."""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from enlace.demo.seed.tables import NAME_FIELDS
from enlace.linkage.normalise import strip_accents
from enlace.referrals.models import Referral
from enlace.registry.models import Identification, Person

IDENTIFIED = Identification.Status.IDENTIFIED
POTENTIAL = Identification.Status.POTENTIAL
NOT_A_VICTIM = Identification.Status.NOT_A_VICTIM


@dataclass
class Case:
    """One person as one agency records them: the plan, then the stored ``person``."""

    agency: str
    identified_on: datetime.date
    sex: str
    forms: tuple[str, ...]
    age: int | None
    identity: dict[str, Any] = field(default_factory=dict)
    status: str = IDENTIFIED
    nationality: str = "MX"
    jurisdiction: str | None = None
    country_abroad: str | None = None
    protocol: str | None = None
    consent: bool = True
    indigenous: bool | None = None
    disability: bool | None = None
    minor: bool = False
    person: Person | None = None
    # Agencies asked to take the person, whatever they answered.
    asked: set[str] = field(default_factory=set)
    # Agencies holding the person on an accepted referral: the referral and its day.
    held: dict[str, tuple[Referral, datetime.date]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.identified_on.year


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights``, largest remainders first: exact and stable."""
    whole = sum(weights.values())
    shares = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(s) for k, s in shares.items()}
    for k in sorted(shares, key=lambda k: counts[k] - shares[k])[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def spread(total: int, weights: Mapping[str, float]) -> list[str]:
    """The keys of ``weights``, each repeated its apportioned number of times."""
    return [k for k, n in apportion(total, weights).items() for _ in range(n)]


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def second_registration(identity: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """How another agency writes the same person: what a real second registration changes.

    Accents dropped, capitals, stray spaces, given names in another order:
    all of which the linkage normalisation ignores, so both records keep
    the same names-and-birth-date token.
    """
    given = str(identity["given_names"])
    paternal = str(identity["paternal_surname"])
    maternal = str(identity["maternal_surname"])
    changes = rng.sample(["accents", "capitals", "spaces", "order"], k=rng.randint(1, 3))
    if len(given.split()) < 2 and "order" in changes:
        changes.remove("order")
    if not changes or changes == ["spaces"]:
        changes.append("capitals")
    if "order" in changes:
        given = " ".join(reversed(given.split()))
    if "accents" in changes:
        given, paternal, maternal = (strip_accents(v) for v in (given, paternal, maternal))
    if "capitals" in changes:
        given, paternal, maternal = (v.upper() for v in (given, paternal, maternal))
    if "spaces" in changes:
        given = "  ".join(given.split()) + " "
        paternal = f" {paternal}"
    if (given, paternal, maternal) == tuple(identity[k] for k in NAME_FIELDS):
        given, paternal, maternal = (v.upper() for v in (given, paternal, maternal))
    return dict(identity, **dict(zip(NAME_FIELDS, (given, paternal, maternal), strict=True)))
