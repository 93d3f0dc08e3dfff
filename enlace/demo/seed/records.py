"""Writing the planned cases through the services, as each agency's hidden demo user."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from enlace.assistance.models import ServiceCategory, Stay
from enlace.assistance.models import ServiceKind as Kind
from enlace.assistance.selectors import shelter_occupied_beds
from enlace.assistance.services import service_record, stay_admit, stay_discharge
from enlace.demo.seed.cases import NOT_A_VICTIM, POTENTIAL, Case
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.tables import (
    DECLINE_REASONS,
    EMERGENCY_KINDS,
    GENDER_OF_SEX,
    VISA_REFUSALS,
)
from enlace.funds.models import Grant
from enlace.immigration.services import visa_decide, visa_request
from enlace.justice.models import Participation
from enlace.justice.services import participation_record
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_accept, referral_decline, referral_send
from enlace.registry.models import ExploitationForm as Form
from enlace.registry.models import Sex
from enlace.registry.services import identification_record, person_register, screening_record


def identify(loader: Loader, cases: Iterable[Case]) -> None:
    for case in sorted(cases, key=lambda c: c.identified_on):
        actor = loader.actor(case.agency)
        person = person_register(
            actor=actor,
            identity=case.identity,
            sex=case.sex,
            gender=GENDER_OF_SEX[case.sex],
            nationality=loader.countries[case.nationality],
            indigenous=case.indigenous,
            disability=case.disability,
        )
        loader.counts["person"] += 1
        protocol = loader.protocols[case.protocol] if case.protocol else None
        if protocol is not None and protocol.code in loader.SCREENED:
            screening_record(
                actor=actor,
                person=person,
                protocol=protocol,
                answers=loader.answers(protocol),
                screened_on=case.identified_on,
            )
        loader.record_numbers[case.agency, case.year] += 1
        identification_record(
            actor=actor,
            person=person,
            identified_on=case.identified_on,
            forms=[] if case.status == NOT_A_VICTIM else case.forms,
            status=case.status,
            jurisdiction=loader.jurisdictions[case.jurisdiction] if case.jurisdiction else None,
            country_abroad=loader.countries[case.country_abroad] if case.country_abroad else None,
            protocol=protocol,
            age_at_identification=case.age,
            consent_to_share=case.consent,
            agency_record_id=(
                f"{case.agency}/{case.year}/{loader.record_numbers[case.agency, case.year]:05d}"
            ),
        )
        loader.counts["identification"] += 1
        case.person = person


def refer(
    loader: Loader,
    case: Case,
    to: str,
    *,
    kinds: Sequence[str],
    outcome: str = Referral.Status.ACCEPTED,
    sent_on: datetime.date | None = None,
    reason: str = "",
) -> datetime.date:
    """Send a referral and answer it; returns the day of the answer (or of sending).

    A declined one gives ``reason``, or the receiver's usual reason (weights.yaml).
    """
    assert case.person is not None
    sent_on = sent_on or loader.after(case.identified_on, 0, 10)
    referral = referral_send(
        actor=loader.actor(case.agency),
        person=case.person,
        to_agency=loader.agencies[to],
        services=kinds,
        consent=True,
        # Drawn for every referral, so the rest of the demo stays the same data.
        shares_identity=loader.rng.random() < 0.6
        and case.person.registered_by_id == loader.agencies[case.agency].pk,
        at=loader.moment(sent_on),
    )
    answered_on = None
    if outcome == Referral.Status.ACCEPTED:
        answered_on = loader.after(sent_on, 0, 6)
        referral = referral_accept(
            actor=loader.actor(to),
            referral=referral,
            at=_answer_moment(loader, referral, answered_on),
        )
        case.held[to] = (referral, answered_on)
    elif outcome == Referral.Status.DECLINED:
        answered_on = loader.after(sent_on, 1, 8)
        referral = referral_decline(
            actor=loader.actor(to),
            referral=referral,
            reason=reason or DECLINE_REASONS[to],
            at=_answer_moment(loader, referral, answered_on),
        )
    case.asked.add(to)
    loader.counts["referral"] += 1
    return answered_on or sent_on


def serve(
    loader: Loader,
    case: Case,
    agency: str,
    *,
    start: datetime.date,
    kinds: Sequence[str],
    grant: Grant | None = None,
) -> None:
    """Services ``agency`` gave ``case``, one per kind, starting on or after ``start``."""
    assert case.person is not None
    referral = case.held[agency][0] if agency in case.held else None
    for i, kind in enumerate(kinds):
        started = loader.after(start, 0, 3 * i)
        emergency = kind in EMERGENCY_KINDS or (kind == Kind.MEDICAL and i == 0)
        end = started + datetime.timedelta(
            days=loader.rng.randint(1, 20) if emergency else loader.rng.randint(20, 180)
        )
        if end.year > started.year:
            # Still running at the end of the last year; earlier ones are closed.
            end = datetime.date(started.year, 12, 31)
            ended = None if end.year == loader.LAST_YEAR and loader.rng.random() < 0.7 else end
        else:
            ended = end
        service_record(
            actor=loader.actor(agency),
            person=case.person,
            category=ServiceCategory.EMERGENCY if emergency else ServiceCategory.LONG_TERM,
            kind=kind,
            started_on=started,
            ended_on=ended,
            grant=grant,
            referral=referral,
        )
        loader.counts["service"] += 1


def refer_and_serve(
    loader: Loader, cases: Iterable[Case], to: str, *, include: str | None = None
) -> None:
    for case in sorted(cases, key=lambda c: c.identified_on):
        kinds = loader.kinds(to, include=include)
        accepted = refer(loader, case, to, kinds=kinds)
        serve(loader, case, to, start=loader.after(accepted, 0, 7), kinds=kinds)


def participate(loader: Loader, case: Case, agency: str, started_on: datetime.date) -> None:
    assert case.person is not None
    loader.record_numbers[f"{agency}-case", started_on.year] += 1
    number = loader.record_numbers[f"{agency}-case", started_on.year]
    participation_record(
        actor=loader.actor(agency),
        person=case.person,
        role=loader.rng.choices(
            [Participation.Role.COMPLAINANT, Participation.Role.WITNESS], weights=[65, 35]
        )[0],
        started_on=started_on,
        case_reference=f"FED/{agency}/{number:06d}/{started_on.year}",
        testified=loader.rng.random() < 0.4,
    )
    loader.counts["participation"] += 1


def shelter(
    loader: Loader,
    code: str,
    residents: Sequence[tuple[Case, datetime.date, Referral | None]],
    *,
    close_by_year_end: bool,
) -> None:
    """Admit and discharge in date order, so the shelter is never over capacity.

    ``stay_admit`` counts the beds taken now, not on the admission day:
    every stay that ended by a day is discharged before anyone is admitted
    on it, and an admission waits for a bed when the shelter is full.
    """
    shelter = loader.shelters[code]
    actor = loader.actor(shelter.operator.code)
    taken = shelter_occupied_beds(shelter)
    leaving: list[tuple[datetime.date, Stay, int]] = []

    def discharge(until: datetime.date) -> None:
        nonlocal taken
        for when, stay, beds in sorted(leaving, key=lambda x: (x[0], x[1].pk)):
            if when <= until:
                stay_discharge(
                    actor=actor,
                    stay=stay,
                    discharged_on=when,
                    reason=loader.rng.choices(
                        [r for r in Stay.DischargeReason if r != Stay.DischargeReason.REPATRIATED],
                        weights=[30, 30, 10, 20, 10],
                    )[0],
                )
                leaving.remove((when, stay, beds))
                taken -= beds

    for case, admitted, referral in sorted(residents, key=lambda r: r[1]):
        assert case.person is not None
        year_end = datetime.date(admitted.year, 12, 31)
        children = 0
        if shelter.accepts_children and not case.minor:
            children = loader.rng.choices([0, 1, 2, 3], weights=[65, 22, 10, 3])[0]
        discharge(admitted)
        while taken + 1 + children > shelter.capacity:
            if not leaving:
                raise RuntimeError(f"{code} is full for good on {admitted}.")
            admitted = max(admitted, min(when for when, *_ in leaving))
            discharge(admitted)
        if admitted > year_end:
            raise RuntimeError(f"{code} has no bed left in {year_end.year}.")
        stay = stay_admit(
            actor=actor,
            person=case.person,
            shelter=shelter,
            admitted_on=admitted,
            accompanying_children=children,
            referral=referral,
        )
        loader.counts["stay"] += 1
        taken += 1 + children
        leaves = admitted + datetime.timedelta(days=loader.rng.randint(14, 120))
        if leaves > year_end and (close_by_year_end or loader.rng.random() < 0.6):
            leaves = min(loader.after(admitted, 7, 60), year_end)
        if leaves <= year_end:
            leaving.append((leaves, stay, 1 + children))
    discharge(datetime.date.max)


def foreign_potential(loader: Loader, year: int, outcomes: Sequence[str | None]) -> list[Case]:
    """INM's potential foreign victims, screened, assisted, and the visa each asked for.

    ``outcomes``: "granted", "refused", "pending" or None (no request), one per person.
    """
    cases = []
    for outcome in outcomes:
        form = loader.rng.choices(
            [Form.FORCED_LABOUR, Form.SEX_TRAFFICKING, Form.UNSPECIFIED], weights=[50, 40, 10]
        )[0]
        sex = loader.rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNSPECIFIED], weights=[55, 40, 5])[0]
        # A request still pending at the year's end was made in December.
        day = (
            loader.day(year, (12, 1), (12, 20))
            if outcome == "pending"
            else loader.day(year, end=(11, 10))
        )
        cases.append(
            loader.case(
                agency="INM",
                year=year,
                forms=(form,),
                sex=sex,
                status=POTENTIAL,
                identified_on=day,
                nationality=loader.foreigner(),
            )
        )
    identify(loader, cases)
    inm = loader.actor("INM")
    for case, outcome in zip(cases, outcomes, strict=True):
        assert case.person is not None
        kinds = loader.kinds("INM")
        serve(loader, case, "INM", start=loader.after(case.identified_on, 0, 3), kinds=kinds)
        if outcome is None:
            continue
        requested_on = loader.after(case.identified_on, 1, 10)
        request = visa_request(actor=inm, person=case.person, requested_on=requested_on)
        loader.counts["visa"] += 1
        if outcome == "pending":
            continue
        decided_on = loader.after(requested_on, 7, 40)
        if outcome == "granted":
            validity = loader.rng.choice(["working_days_60", "calendar_days_90"])
            visa_decide(
                actor=inm,
                request=request,
                decided_on=decided_on,
                granted=True,
                validity=validity,
            )
        else:
            visa_decide(
                actor=inm,
                request=request,
                decided_on=decided_on,
                granted=False,
                refusal_reason=loader.rng.choice(VISA_REFUSALS),
            )
    return cases


def _answer_moment(loader: Loader, referral: Referral, day: datetime.date) -> datetime.datetime:
    moment = loader.moment(day)
    return max(moment, referral.sent_at + datetime.timedelta(hours=2))
