"""What happens after identification, in 2017: referrals completed or left to expire,
restitution ordered and paid, protection measures, visas extended, and victims
detained elsewhere (the non-punishment alert).

None of it moves a figure of the seed report; it gives the path indicators
(statistics/path.py) something to count. It draws after every other 2017
record, so the rest of the demo stays the same data.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from enlace.demo.seed.cases import Case
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.records import refer
from enlace.immigration.models import VisaRequest
from enlace.immigration.services import visa_extend
from enlace.justice.models import DetentionEvent, Participation, ProtectionMeasure
from enlace.justice.services import (
    detention_record,
    protection_measure_record,
    restitution_order_record,
    restitution_payment_record,
)
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_complete, referrals_expire
from enlace.registry.services import person_register

# The scheduled expiry's default (`enlace referrals_expire --days 15`), run once
# at the end of November.
EXPIRY = datetime.timedelta(days=15)
EXPIRY_RUN = datetime.date(2017, 11, 30)


def after_help(
    loader: Loader, year: int, local: Sequence[Case], proceedings: Sequence[Case]
) -> None:
    loader.progress(f"{year}: completed and expired referrals, restitution")
    _complete(loader, year, local)
    _expire(loader, year, local)
    _restitution(loader, year, proceedings)
    _protection(loader, year, proceedings)
    _extensions(loader, year)
    _detentions(loader, year, local)


def _complete(loader: Loader, year: int, cases: Sequence[Case]) -> None:
    """CNS closes about a third of the cases it took before September."""
    held = [c for c in cases if "CNS" in c.held and c.held["CNS"][1].month < 9]
    for case in loader.rng.sample(held, k=len(held) // 3):
        referral, accepted_on = case.held["CNS"]
        ends = loader.after(accepted_on, 45, 110)
        if ends.year == year:
            referral_complete(actor=loader.actor("CNS"), referral=referral, at=loader.moment(ends))


def _expire(loader: Loader, year: int, cases: Sequence[Case]) -> None:
    """Four referrals to NGOs and CEAV nobody answered, expired by the scheduled run."""
    for to in ("ONG-PUE", "ONG-CMX", "CEAV", "CEAV"):
        pool = [c for c in loader.consented(cases) if to not in c.asked]
        case = loader.rng.choice(pool)
        sent_on = loader.day(year, (9, 4), (10, 31))
        refer(
            loader, case, to, kinds=loader.kinds(to), outcome=Referral.Status.SENT, sent_on=sent_on
        )
    referrals_expire(unanswered_for=EXPIRY, at=loader.moment(EXPIRY_RUN))


def _restitution(loader: Loader, year: int, cases: Sequence[Case]) -> None:
    """Eight sentences in PGR's cases ordered restitution; offenders paid five, two in part."""
    persons = [c.person for c in cases if c.person is not None]
    started = Participation.objects.filter(
        agency=loader.agencies["PGR"],
        person__in=persons,
        started_on__lt=datetime.date(year, 8, 1),
    ).order_by("started_on", "pk")
    pgr = loader.actor("PGR")
    for i, participation in enumerate(loader.rng.sample(list(started), k=8)):
        awarded_on = loader.after(participation.started_on, 60, 140)
        amount = Decimal(loader.rng.randrange(40, 500) * 500)
        order = restitution_order_record(
            actor=pgr, participation=participation, awarded_on=awarded_on, amount=amount
        )
        if i < 5:
            paid = amount if i < 3 else (amount / 2).quantize(Decimal("0.01"))
            restitution_payment_record(
                actor=pgr,
                order=order,
                paid_on=min(loader.after(awarded_on, 10, 60), datetime.date(year, 12, 29)),
                amount=paid,
            )


def _protection(loader: Loader, year: int, cases: Sequence[Case]) -> None:
    """PGR asks the judge to protect a fifth of the people in its proceedings."""
    persons = [c.person for c in cases if c.person is not None]
    started = list(
        Participation.objects.filter(agency=loader.agencies["PGR"], person__in=persons).order_by(
            "started_on", "pk"
        )
    )
    for participation in loader.rng.sample(started, k=len(started) // 5):
        protection_measure_record(
            actor=loader.actor("PGR"),
            participation=participation,
            kind=loader.rng.choice(ProtectionMeasure.Kind.values),
            ordered_on=min(
                loader.after(participation.started_on, 0, 15), datetime.date(year, 12, 31)
            ),
        )


def _extensions(loader: Loader, year: int) -> None:
    """Visas that ran out before the year's end and were extended a week before."""
    granted = VisaRequest.objects.filter(
        outcome=VisaRequest.Outcome.GRANTED,
        decided_on__year=year,
        valid_until__lte=datetime.date(year, 12, 31),
    ).order_by("valid_until", "pk")
    for request in list(granted)[::3]:
        assert request.valid_until is not None
        visa_extend(
            actor=loader.actor("INM"),
            request=request,
            extended_on=request.valid_until - datetime.timedelta(days=7),
            validity="calendar_days_90",
        )


def _detentions(loader: Loader, year: int, cases: Sequence[Case]) -> None:
    """INM detains six people it knows only by their CURP, and a prosecutor two more.

    Write-time matching joins four of them to victims a state prosecutor
    identified, so their detention raises the non-punishment alert; the
    other four are people nobody identified, and raise none.
    """
    known = [c for c in cases if c.identity.get("curp") and c.identified_on.month < 11]
    for case in loader.rng.sample(known, k=4):
        person = person_register(
            actor=loader.actor("INM"), identity={"curp": case.identity["curp"]}
        )
        detention_record(
            actor=loader.actor("INM"),
            person=person,
            kind=loader.rng.choice(
                [DetentionEvent.Kind.DETENTION, DetentionEvent.Kind.TRANSFER_TO_IMMIGRATION]
            ),
            occurred_on=loader.after(case.identified_on, 10, 50),
        )
    for agency, kind in (
        ("INM", DetentionEvent.Kind.DETENTION),
        ("INM", DetentionEvent.Kind.DETENTION),
        ("FGE-CHP", DetentionEvent.Kind.DETENTION),
        ("FGE-CHP", DetentionEvent.Kind.TRANSFER_TO_IMMIGRATION),
    ):
        sex = loader.rng.choice(["female", "male"])
        person = person_register(
            actor=loader.actor(agency),
            identity=loader.identity(
                sex=sex,
                born=loader.born(loader.age(), datetime.date(year, 10, 1)),
                state="07",
                curp=True,
            ),
            sex=sex,
        )
        detention_record(
            actor=loader.actor(agency),
            person=person,
            kind=kind,
            occurred_on=loader.day(year, (6, 1), (11, 30)),
        )
