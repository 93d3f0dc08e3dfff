"""Reads the pages need, composed from the apps' scoped selectors and never around them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from enlace.accounts.permissions import case_agency
from enlace.assistance.models import Stay
from enlace.assistance.selectors import service_list_for_user, stay_list_for_user
from enlace.funds.selectors import disbursement_list_for_user
from enlace.immigration.models import VisaRequest
from enlace.immigration.selectors import visa_request_list_for_user
from enlace.justice.models import Alert
from enlace.justice.selectors import alert_list_for_user, participation_list_for_user
from enlace.referrals.models import Referral
from enlace.referrals.selectors import referral_inbox_for, referral_list_for_user
from enlace.registry.models import Identification, Person
from enlace.registry.selectors import identification_list_for_user, screening_list_for_user

OPEN_WORK_ROWS = 10


@dataclass
class OpenWork:
    inbox: list[Referral] = field(default_factory=list)
    answered: list[Referral] = field(default_factory=list)
    open_stays: list[Stay] = field(default_factory=list)
    pending_visas: list[VisaRequest] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    to_confirm: list[Identification] = field(default_factory=list)


def open_stays_for_user(*, user: Any) -> QuerySet[Stay]:
    """Stays in the user's agency's shelters that have no discharge yet."""
    return stay_list_for_user(user=user).filter(
        agency=case_agency(user), discharged_on__isnull=True
    )


def pending_visas_for_user(*, user: Any) -> QuerySet[VisaRequest]:
    return visa_request_list_for_user(user=user).filter(outcome=VisaRequest.Outcome.PENDING)


def open_alerts_for_user(*, user: Any) -> QuerySet[Alert]:
    return alert_list_for_user(user=user).filter(acknowledged_at__isnull=True)


def identifications_to_confirm_for_user(*, user: Any) -> QuerySet[Identification]:
    """Potential victims the user's agency identified, waiting for a supervisor."""
    return identification_list_for_user(user=user).filter(
        agency=case_agency(user), status=Identification.Status.POTENTIAL
    )


def open_work_for_user(*, user: Any, supervisor: bool) -> OpenWork:
    """The first rows of each list of work waiting for the user's agency."""
    n = OPEN_WORK_ROWS
    answered = referral_list_for_user(user=user).filter(
        from_agency=case_agency(user), answered_at__isnull=False
    )
    return OpenWork(
        inbox=list(referral_inbox_for(user=user)[:n]),
        answered=list(answered.order_by("-answered_at")[:n]),
        open_stays=list(open_stays_for_user(user=user)[:n]),
        pending_visas=list(pending_visas_for_user(user=user)[:n]),
        alerts=list(open_alerts_for_user(user=user)[:n]),
        to_confirm=list(identifications_to_confirm_for_user(user=user)[:n]) if supervisor else [],
    )


@dataclass
class Event:
    """One line of a person's timeline."""

    on: datetime.date
    kind: str
    obj: Any


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def person_timeline_for_user(*, user: Any, person: Person) -> list[Event]:
    """Everything the user's agency may see about ``person``, newest first.

    Each list comes from the selector that scopes it, so a receiving agency
    sees the referral and its own records, not the sender's other records.
    """
    events: list[Event] = []
    for i in identification_list_for_user(user=user).filter(person=person):
        events.append(Event(i.identified_on, "identification", i))
    for s in screening_list_for_user(user=user).filter(person=person):
        events.append(Event(s.screened_on, "screening", s))
    for r in referral_list_for_user(user=user).filter(person=person):
        events.append(Event(_day(r.sent_at), "referral", r))
    for d in service_list_for_user(user=user).filter(person=person):
        events.append(Event(d.started_on, "service", d))
    for stay in stay_list_for_user(user=user).filter(person=person):
        events.append(Event(stay.admitted_on, "stay", stay))
    for v in visa_request_list_for_user(user=user).filter(person=person):
        events.append(Event(v.requested_on, "visa", v))
    for p in disbursement_list_for_user(user=user).filter(person=person):
        events.append(Event(p.paid_on, "disbursement", p))
    for j in participation_list_for_user(user=user).filter(person=person):
        events.append(Event(j.started_on, "proceeding", j))
    for a in alert_list_for_user(user=user).filter(person=person):
        events.append(Event(_day(a.raised_at), "alert", a))
    events.sort(key=lambda e: (e.on, e.kind), reverse=True)
    return events
