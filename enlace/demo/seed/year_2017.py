"""2017: every figure of the report's protection section, from records."""

from __future__ import annotations

import datetime
from decimal import Decimal

from enlace.accounts.models import Role
from enlace.assistance.models import ServiceKind as Kind
from enlace.demo.seed.capacity import capacity
from enlace.demo.seed.cases import NOT_A_VICTIM, POTENTIAL, Case, apportion, spread
from enlace.demo.seed.casework import casework
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.path import after_help
from enlace.demo.seed.records import (
    foreign_potential,
    identify,
    participate,
    refer,
    refer_and_serve,
    serve,
    shelter,
)
from enlace.demo.seed.tables import FORMS_AND_SEXES_2017, STATE_WEIGHTS, US_CONSULATES
from enlace.funds.services import disbursement_record, grant_record
from enlace.referrals.models import Referral
from enlace.registry.models import Sex


def year_2017(loader: Loader) -> None:
    year = 2017
    table = [
        (form, sex)
        for form, sexes in FORMS_AND_SEXES_2017.items()
        for sex, n in sexes.items()
        for _ in range(n)
    ]
    loader.rng.shuffle(table)
    # FEVIMTRA's shelter takes women (with their children): its 52 residents
    # come first and take 52 of the table's women.
    women = [i for i, (_, sex) in enumerate(table) if sex == Sex.FEMALE][:52]
    sheltered = [table[i] for i in women]
    chosen = set(women)
    rest = [t for i, t in enumerate(table) if i not in chosen]
    federal = ["FEVIMTRA"] * 90 + ["PGR"] * 30 + ["CNS"] * 20
    states = spread(527, STATE_WEIGHTS)
    loader.rng.shuffle(states)
    cells = iter(sheltered + rest)
    fed = []
    for i, agency in enumerate(federal):
        form, sex = next(cells)
        fed.append(
            loader.case(
                agency=agency,
                year=year,
                forms=(form,),
                sex=sex,
                minor=False if i < 52 else None,
            )
        )
    local = []
    for i, agency in enumerate(states):
        form, sex = next(cells)
        # The first 78 are the children DIF will assist.
        local.append(
            loader.case(
                agency=agency, year=year, forms=(form,), sex=sex, minor=True if i < 78 else None
            )
        )
    for case in local[:78]:
        case.consent = True
    # Records that are not identified victims and must not be counted.
    unconfirmed = []
    for status, n in ((POTENTIAL, 40), (NOT_A_VICTIM, 15)):
        for agency in loader.rng.choices(
            list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()), k=n
        ):
            forms, sex = loader.form_and_sex()
            unconfirmed.append(
                loader.case(agency=agency, year=year, forms=forms[:1], sex=sex, status=status)
            )
    abroad = loader.consular(
        year, {**apportion(180, US_CONSULATES), "CONS-TOR": 8, "CONS-GT": 5, "CONS-BCN": 3}
    )
    loader.progress(f"{year}: identifications")
    identify(loader, [*fed, *local, *unconfirmed, *abroad])

    fevimtra, pgr, cns = (
        [c for c in fed if c.agency == code] for code in ("FEVIMTRA", "PGR", "CNS")
    )
    for case in fevimtra[:52]:
        case.consent = True
    loader.progress(f"{year}: referrals and services")
    # DIF: the 78 children, referred by the state prosecutors.
    refer_and_serve(loader, local[:78], "DIF")
    # PGR: its own 30 and 68 referred, all taking part in proceedings.
    to_pgr = loader.rng.sample(loader.consented(fevimtra), k=28) + loader.rng.sample(
        loader.consented(local), k=40
    )
    for case in pgr:
        serve(
            loader,
            case,
            "PGR",
            start=loader.after(case.identified_on, 0, 10),
            kinds=loader.kinds("PGR"),
        )
    refer_and_serve(loader, to_pgr, "PGR", include=Kind.LEGAL)
    for case in sorted([*pgr, *to_pgr], key=lambda c: c.identified_on):
        since = case.held["PGR"][1] if "PGR" in case.held else case.identified_on
        participate(loader, case, "PGR", loader.after(since, 0, 20))
    # CNS: its own 20 and 106 referred.
    to_cns = loader.rng.sample(loader.consented(fevimtra), k=26) + loader.rng.sample(
        loader.consented(local), k=80
    )
    for case in cns:
        serve(
            loader,
            case,
            "CNS",
            start=loader.after(case.identified_on, 0, 10),
            kinds=loader.kinds("CNS"),
        )
    refer_and_serve(loader, to_cns, "CNS")
    # CEAV: referred for its emergency fund, which pays from April.
    to_ceav = loader.rng.sample(loader.consented(fevimtra), k=14) + loader.rng.sample(
        loader.consented(local), k=26
    )
    fund = loader.funds["CEAV-EMERGENCIA"]
    opens = fund.disbursing_from or fund.established_on
    paid_twice = set(map(id, loader.rng.sample(to_ceav, k=5)))
    for case in sorted(to_ceav, key=lambda c: c.identified_on):
        kinds = loader.kinds("CEAV", k=2)
        accepted = refer(loader, case, "CEAV", kinds=kinds)
        paid_on = loader.after(max(accepted, opens), 0, 25)
        for purpose in kinds[: 2 if id(case) in paid_twice else 1]:
            assert case.person is not None
            disbursement_record(
                actor=loader.actor("CEAV"),
                fund=fund,
                person=case.person,
                amount=Decimal(loader.rng.randrange(50, 401) * 100),
                paid_on=paid_on,
                purpose=purpose,
            )
            loader.counts["disbursement"] += 1
            paid_on = loader.after(paid_on, 20, 60)
    # INDESOL's grants to two NGOs, and the people they served with them.
    grants = {}
    for grantee, amount, awarded_on, purpose in (
        (
            "ONG-PUE",
            "300000.00",
            datetime.date(2017, 3, 6),
            "Atención integral a víctimas de trata en Puebla",
        ),
        (
            "ONG-CMX",
            "298500.00",
            datetime.date(2017, 3, 21),
            "Atención psicológica y jurídica a víctimas de trata",
        ),
    ):
        grants[grantee] = grant_record(
            actor=loader.actor("INDESOL", Role.SUPERVISOR),
            grantee=loader.agencies[grantee],
            amount=Decimal(amount),
            awarded_on=awarded_on,
            fund=loader.funds["INDESOL-PCS"],
            purpose=purpose,
        )
        loader.counts["grant"] += 1
    near = {
        "ONG-PUE": ("FGE-PUE", "FGE-TLA", "FGE-VER", "FGE-OAX"),
        "ONG-CMX": ("FGJ-CMX", "FGE-MEX"),
    }
    served = {}
    for ngo, n in (("ONG-PUE", 40), ("ONG-CMX", 36)):
        pool = loader.consented([c for c in local if c.agency in near[ngo]])
        served[ngo] = loader.rng.sample(pool, k=n)
        grant = grants[ngo]
        for case in sorted(served[ngo], key=lambda c: c.identified_on):
            kinds = loader.kinds(ngo)
            accepted = refer(loader, case, ngo, kinds=kinds)
            start = max(accepted, grant.awarded_on + datetime.timedelta(days=1))
            serve(loader, case, ngo, start=loader.after(start, 0, 7), kinds=kinds, grant=grant)
    # State shelters, for people their prosecutors referred.
    for operator, senders, n in (
        ("REF-CMX", ("FGJ-CMX",), 10),
        ("REF-MEX", ("FGE-MEX",), 9),
        ("CJM-HGO", ("FGE-HID",), 4),
        ("CJM-GTO", ("FGE-GUA",), 4),
    ):
        pool = loader.consented([c for c in local if c.agency in senders])
        refer_and_serve(loader, loader.rng.sample(pool, k=n), operator, include=Kind.HOUSING)
    # Declined and pending referrals: they never let the receiver in.
    for to, outcome, n in (
        ("PGR", Referral.Status.DECLINED, 3),
        ("CNS", Referral.Status.DECLINED, 3),
        ("DIF", Referral.Status.DECLINED, 2),
        ("CEAV", Referral.Status.DECLINED, 2),
        ("PGR", Referral.Status.SENT, 1),
        ("CNS", Referral.Status.SENT, 2),
        ("CEAV", Referral.Status.SENT, 2),
    ):
        pool = [
            c
            for c in loader.consented(local)
            if to not in c.asked and not (to == "DIF" and c.minor)
        ]
        for case in loader.rng.sample(pool, k=n):
            sent_on = (
                loader.day(year, (12, 4), (12, 29)) if outcome == Referral.Status.SENT else None
            )
            refer(loader, case, to, kinds=loader.kinds(to), outcome=outcome, sent_on=sent_on)

    loader.progress(f"{year}: shelters")
    shelter(
        loader,
        "REF-FEVIMTRA",
        [(c, loader.after(c.identified_on, 0, 2), None) for c in fevimtra[:52]],
        close_by_year_end=False,
    )
    puebla = [c for c in served["ONG-PUE"] if not c.minor][:15]
    shelter(
        loader,
        "REF-PUE",
        [(c, loader.after(c.held["ONG-PUE"][1], 0, 3), c.held["ONG-PUE"][0]) for c in puebla],
        close_by_year_end=False,
    )
    operated = {
        "REF-CMX": ["REF-CMX"],
        "REF-MEX": ["REF-MEX-1", "REF-MEX-2", "REF-MEX-3"],
        "CJM-HGO": ["CJM-HGO-REF"],
        "CJM-GTO": ["CJM-GTO-REF"],
    }
    for operator, codes in operated.items():
        residents: dict[str, list[tuple[Case, datetime.date, Referral | None]]] = {
            c: [] for c in codes
        }
        for i, case in enumerate([c for c in local if operator in c.held]):
            referral, accepted = case.held[operator]
            residents[codes[i % len(codes)]].append((case, accepted, referral))
        for code, people in residents.items():
            shelter(loader, code, people, close_by_year_end=False)

    loader.progress(f"{year}: immigration")
    outcomes: list[str | None] = ["granted"] * 25 + ["refused"] * 2 + ["pending"] * 2 + [None] * 2
    loader.rng.shuffle(outcomes)
    foreign_potential(loader, year, outcomes)
    after_help(loader, year, local, [*pgr, *to_pgr])
    # Last: drawing cases changes none of the records above.
    casework(loader, year, local)
    capacity(loader, year, local)
