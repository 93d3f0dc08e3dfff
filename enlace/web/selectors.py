"""Reads the pages need, composed from the apps' scoped selectors and never around them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet

from enlace.accounts.permissions import case_agency
from enlace.assistance.models import Stay
from enlace.assistance.selectors import service_list_for_user, stay_list_for_user
from enlace.cases.models import Case, FollowUp
from enlace.cases.selectors import (
    case_list_for_user,
    closures_to_approve_for_user,
    follow_ups_due_for_user,
)
from enlace.funds.selectors import disbursement_list_for_user
from enlace.immigration.models import VisaRequest
from enlace.immigration.selectors import repatriation_list_for_user, visa_request_list_for_user
from enlace.justice.models import Alert
from enlace.justice.selectors import (
    alert_list_for_user,
    detention_event_list_for_user,
    participation_list_for_user,
)
from enlace.referrals.models import Referral
from enlace.referrals.selectors import referral_inbox_for, referral_list_for_user
from enlace.registry.models import Identification, Person
from enlace.registry.selectors import (
    break_glass_active_for_user,
    identification_list_for_user,
    identity_correction_list_for_user,
    person_scope_for_user,
    screening_list_for_user,
)

OPEN_WORK_ROWS = 10


@dataclass
class OpenWork:
    inbox: list[Referral] = field(default_factory=list)
    answered: list[Referral] = field(default_factory=list)
    open_stays: list[Stay] = field(default_factory=list)
    pending_visas: list[VisaRequest] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    to_confirm: list[Identification] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    closures: list[Case] = field(default_factory=list)


def open_stays_for_user(*, user: Any) -> QuerySet[Stay]:
    """Stays in the user's agency's shelters that have no discharge yet."""
    return stay_list_for_user(user=user).filter(
        agency=case_agency(user), discharged_on__isnull=True
    )


def pending_visas_for_user(*, user: Any) -> QuerySet[VisaRequest]:
    return visa_request_list_for_user(user=user).filter(outcome=VisaRequest.Outcome.PENDING)


def open_alerts_for_user(*, user: Any) -> QuerySet[Alert]:
    """Open alerts, those escalated past their deadline first, then by deadline."""
    return (
        alert_list_for_user(user=user)
        .filter(acknowledged_at__isnull=True)
        .select_related("owner")
        .order_by(F("escalated_at").desc(nulls_last=True), "due_at", "pk")
    )


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
        follow_ups=list(follow_ups_due_for_user(user=user)[:n]),
        closures=list(closures_to_approve_for_user(user=user)[:n]) if supervisor else [],
    )


@dataclass
class Event:
    """One line of a person's timeline."""

    on: datetime.date
    kind: str
    obj: Any


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# The timeline's records: kind, the selector that scopes them, the date they go by.
TIMELINE: tuple[tuple[str, Callable[..., QuerySet[Any]], str], ...] = (
    ("identification", identification_list_for_user, "identified_on"),
    ("correction", identity_correction_list_for_user, "corrected_on"),
    ("screening", screening_list_for_user, "screened_on"),
    ("referral", referral_list_for_user, "sent_at"),
    ("service", service_list_for_user, "started_on"),
    ("stay", stay_list_for_user, "admitted_on"),
    ("visa", visa_request_list_for_user, "requested_on"),
    ("repatriation", repatriation_list_for_user, "repatriated_on"),
    ("disbursement", disbursement_list_for_user, "paid_on"),
    ("proceeding", participation_list_for_user, "started_on"),
    ("detention", detention_event_list_for_user, "occurred_on"),
    ("alert", alert_list_for_user, "raised_at"),
    ("case", case_list_for_user, "opened_on"),
)
# Those whose selectors have a rule of their own (sender and receiver; the agencies
# alerted) rather than ``records_for_user``'s, and so take no person's scope.
OWN_RULE = frozenset({"referral", "alert"})


def person_timeline_for_user(*, user: Any, person: Person) -> list[Event]:
    """Everything the user's agency may see about ``person``, newest first.

    Each list comes from the selector that scopes it, so a receiving agency
    sees the referral and its own records, not the sender's other records.
    The records rule is resolved once for the person (``person_scope_for_user``)
    and each selector given it, rather than each list asking again whether the
    agency holds the person. A supervisor reading the person under a
    break-glass grant sees every agency's records of this one person: the
    grant opens this page and nothing else (no list, export or API read
    includes the person).
    """
    scope = person_scope_for_user(user=user, person=person)
    grant = not scope.held and break_glass_active_for_user(user=user).filter(person=person).exists()
    events: list[Event] = []
    for kind, selector, on in TIMELINE:
        if grant:
            records = selector(user=user).model._default_manager.filter(person=person)
        elif kind in OWN_RULE:
            records = selector(user=user).filter(person=person)
        else:
            records = selector(user=user, person=scope)
        for record in records:
            events.append(Event(_day(getattr(record, on)), kind, record))
    events.sort(key=lambda e: (e.on, e.kind), reverse=True)
    return events
