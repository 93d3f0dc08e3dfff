"""2017's trafficking detail, training of officials and protocol adoption.

The report: an international organisation "had developed specific state-level
protocols in 17 of 31 states for victim identification and assistance, to train
government officials". So 17 states (Mexico City, not a state, is not one of
them) adopted the state protocol (OIM-ESTATAL) by 2017, recorded by the national
coordination, and each state prosecutor's officials had a session trained by the
organisation. The report gives no count of the officials trained: the demo's 25
a session are illustrative only.

Some of the people state prosecutors identified in 2017 also have the detail of
how they were trafficked, in the vocabularies of the country profile.

Everything goes through the services of the pages, and draws from a random
generator of its own: the rest of the demo stays the same data.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.contrib.auth.models import User

from enlace.accounts.models import Membership, Role
from enlace.capacity.services import protocol_adoption_record, training_record
from enlace.demo.seed.cases import Case
from enlace.demo.seed.casework import _supervisor
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.tables import SEED, USER_PREFIX
from enlace.directory.models import Agency, Jurisdiction
from enlace.registry.services import PlaceIn, identification_detail_set

STATE_PROTOCOL = "OIM-ESTATAL"
TRAINER = "OIM"
# The 17 states with a state protocol, and the year each adopted it.
ADOPTED = {
    "05": 2016, "07": 2015, "08": 2016, "11": 2017, "12": 2016, "13": 2015,
    "14": 2017, "15": 2015, "16": 2017, "19": 2016, "20": 2016, "21": 2015,
    "23": 2016, "25": 2017, "27": 2017, "29": 2015, "30": 2016,
}  # fmt: skip
PEOPLE_PER_SESSION = 25
# Every fifth person a state prosecutor identified in 2017 has the detail recorded.
DETAIL_SHARE = 5
# Tenancingo, Tlaxcala: the recruitment place of sex trafficking the literature names most.
RECRUITMENT_TOWNS = {"29": "Tenancingo", "07": "Tapachula", "12": "Acapulco de Juárez"}


def capacity(loader: Loader, year: int, local: Sequence[Case]) -> None:
    loader.progress(f"{year}: trafficking detail, training and protocols")
    rng = random.Random(SEED + year)  # noqa: S311 - repeatable on purpose, never a secret
    coordination = _coordination(loader)
    jurisdictions = loader.jurisdictions
    protocol = loader.protocols[STATE_PROTOCOL]
    prosecutors = {
        a.jurisdiction.code: a.code
        for a in loader.agencies.values()
        if a.level == Agency.Level.STATE
        and a.kind == Agency.Kind.PROSECUTOR
        and a.jurisdiction is not None
    }
    for code, adopted in ADOPTED.items():
        if adopted <= year:
            protocol_adoption_record(
                actor=coordination,
                jurisdiction=jurisdictions[code],
                protocol=protocol,
                adopted_on=datetime.date(adopted, rng.randint(1, 12), rng.randint(1, 28)),
            )
    for code in ADOPTED:
        training_record(
            actor=_supervisor(loader, prosecutors[code]),
            held_on=datetime.date(year, rng.randint(2, 11), rng.randint(1, 28)),
            topic="Identificación y asistencia de víctimas con el protocolo estatal",
            people_trained=PEOPLE_PER_SESSION,
            trained_by=loader.agencies[TRAINER],
        )
        loader.counts["training"] += 1
    held = [c for c in local if c.person is not None]
    for case in held[::DETAIL_SHARE]:
        _detail(loader, rng, case, jurisdictions)


def _detail(
    loader: Loader, rng: random.Random, case: Case, jurisdictions: dict[str, Jurisdiction]
) -> None:
    assert case.person is not None
    agency = loader.agencies[case.agency]
    identification = case.person.identifications.get(agency=agency)
    codes: dict[str, list[str]] = {
        "recruitment_methods": [
            rng.choice(["job_offer", "intimate_partner", "internet", "familial"])
        ],
        "control_methods": rng.sample(
            [
                "debt_bondage",
                "threats",
                "withholds_documents",
                "restricts_movement",
                "takes_earnings",
            ],
            k=rng.randint(1, 3),
        ),
    }
    if "sex_trafficking" in case.forms:
        codes["sex_exploitation_types"] = [
            rng.choices(["prostitution", "pornography", "private_sexual_services"], [6, 2, 1])[0]
        ]
    if "forced_labour" in case.forms:
        codes["labour_industries"] = [rng.choices(["A", "T", "I", "C", "F"], [5, 3, 2, 1, 1])[0]]
    mexico = loader.countries["MX"]
    places = []
    origin = rng.choice([*RECRUITMENT_TOWNS, None])
    if origin is not None and "sex_trafficking" in case.forms:
        places.append(
            PlaceIn("recruitment", mexico, jurisdictions[origin], RECRUITMENT_TOWNS[origin])
        )
    # On the way from the south, many pass through the capital.
    far = places and agency.jurisdiction is not None and agency.jurisdiction.code != origin
    if far and rng.random() < 0.3:
        places.append(PlaceIn("transit", mexico, jurisdictions["09"]))
    if agency.jurisdiction is not None:
        places.append(PlaceIn("exploitation", mexico, agency.jurisdiction))
    identification_detail_set(
        actor=loader.actor(case.agency), identification=identification, codes=codes, places=places
    )
    loader.counts["trafficking_detail"] += 1


def _coordination(loader: Loader) -> User:
    """The hidden demo user of the national coordination: an analyst at the commission."""
    username = f"{USER_PREFIX}coordination"
    if username not in loader.users:
        user, _ = User.objects.get_or_create(username=username)
        user.set_unusable_password()
        user.is_active = False
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"agency": loader.agencies["CIT"], "role": Role.NATIONAL_ANALYST}
        )
        loader.users[username] = User.objects.select_related("membership__agency").get(pk=user.pk)
    return loader.users[username]
