"""2015 and 2016: the report's totals, and enough services and stays to look real."""

from __future__ import annotations

import datetime

from enlace.demo.seed.cases import Case, age_on, apportion, second_registration, spread
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.records import (
    foreign_potential,
    identify,
    refer,
    refer_and_serve,
    serve,
    shelter,
)
from enlace.demo.seed.tables import FEDERAL_SHARES, US_CONSULATES
from enlace.directory.models import Agency
from enlace.referrals.models import Referral
from enlace.registry.models import Sex


def earlier_year(
    loader: Loader, year: int, *, federal: int, state: int, both: int, consular: int
) -> None:
    """One earlier year: ``federal``, ``state`` and ``consular`` identifications, ``both``
    of the federal ones people a state prosecutor identified too."""
    loader.progress(f"{year}")
    shares = apportion(federal, FEDERAL_SHARES)
    fed, local = loader.federal_and_state(year, {"INM": shares["INM"]}, state)
    # The other federal records: the first ``both`` are people a state
    # prosecutor also identified, registered a second time.
    others = spread(federal - shares["INM"], {k: shares[k] for k in ("FEVIMTRA", "PGR", "CNS")})
    loader.rng.shuffle(others)
    linkable = [c for c in local if "birth_date" in c.identity and c.identity["maternal_surname"]]
    for i, agency in enumerate(others):
        if i < both:
            fed.append(twin(loader, linkable[i], agency))
        else:
            forms, sex = loader.form_and_sex()
            fed.append(loader.case(agency=agency, year=year, forms=forms, sex=sex))
    abroad = loader.consular(year, apportion(consular, US_CONSULATES)) if consular else []
    identify(loader, [*fed, *local, *abroad])

    minors = [c for c in loader.consented(local) if c.minor]
    refer_and_serve(loader, loader.rng.sample(minors, k=25), "DIF")
    for agency, n in (("PGR", 60), ("CNS", 30)):
        own = [c for c in fed if c.agency == agency]
        for case in loader.rng.sample(own, k=min(n, len(own))):
            start = loader.after(case.identified_on, 0, 10)
            serve(loader, case, agency, start=start, kinds=loader.kinds(agency))
    for case in loader.rng.sample(loader.consented(local, exclude=minors), k=4):
        refer(loader, case, "CNS", kinds=loader.kinds("CNS"), outcome=Referral.Status.DECLINED)
    women = [
        c
        for c in fed
        if c.agency == "FEVIMTRA"
        and c.sex == Sex.FEMALE
        and not c.minor
        and c.identified_on.month < 12
    ]
    residents = [
        (c, loader.after(c.identified_on, 0, 2), None) for c in loader.rng.sample(women, k=35)
    ]
    shelter(loader, "REF-FEVIMTRA", residents, close_by_year_end=True)
    if year == 2016:
        foreign_potential(loader, year, ["granted"] * 4)


def twin(loader: Loader, first: Case, agency: str) -> Case:
    """The person of ``first`` as a federal agency registers them again."""
    first.consent = True
    identity = second_registration(first.identity, loader.rng)
    curp = first.identity.pop("curp", None)
    identity.pop("curp", None)
    sides = ["first", "second", "both", "neither"]
    where = loader.rng.choices(sides, weights=[30, 30, 25, 15])[0]
    if curp and where in ("first", "both"):
        first.identity["curp"] = curp
    if curp and where in ("second", "both"):
        identity["curp"] = curp.lower() if loader.rng.random() < 0.3 else curp
    gap = loader.after(first.identified_on, 1, 40) - first.identified_on
    # Either agency may have met the person first.
    day = first.identified_on + gap
    if loader.rng.random() < 0.5:
        day = max(datetime.date(first.year, 1, 1), first.identified_on - gap)
    return Case(
        agency=agency,
        identified_on=day,
        sex=first.sex,
        forms=first.forms,
        age=age_on(identity["birth_date"], day),
        identity=identity,
        jurisdiction=first.jurisdiction,
        protocol="FED-RESCATE" if loader.agencies[agency].kind == Agency.Kind.PROSECUTOR else None,
        consent=True,
        indigenous=first.indigenous,
        disability=first.disability,
        minor=first.minor,
    )
