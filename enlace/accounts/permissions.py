"""The permission matrix: which role may do which action.

Relations to a record (own agency, referral accepted, shelter operated...)
are checked by the service doing the action, on records it obtained through
a selector scoped by the same user.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from enlace.accounts.models import AGENCY_ROLES, Membership, Role
from enlace.directory.models import Agency

M = TypeVar("M", bound=Model)


class Action(StrEnum):
    PERSON_REGISTER = "person.register"
    IDENTITY_VIEW = "identity.view"
    IDENTITY_UPDATE = "identity.update"
    SCREENING_RECORD = "screening.record"
    IDENTIFICATION_RECORD = "identification.record"
    IDENTIFICATION_CONFIRM = "identification.confirm"
    REFERRAL_SEND = "referral.send"
    REFERRAL_ANSWER = "referral.answer"
    SERVICE_RECORD = "service.record"
    STAY_RECORD = "stay.record"
    VISA_REQUEST = "visa.request"
    VISA_DECIDE = "visa.decide"
    DISBURSEMENT_RECORD = "disbursement.record"
    GRANT_RECORD = "grant.record"
    PROCEEDING_RECORD = "proceeding.record"
    DETENTION_RECORD = "detention.record"
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    PSEUDONYMOUS_READ = "pseudonymous.read"
    LINKAGE_RUN = "linkage.run"
    STATISTICS_RELEASE = "statistics.release"
    MATCH_DECIDE = "match.decide"
    AUDIT_READ = "audit.read"
    PROFILE_LOAD = "profile.load"


_CASE = set(AGENCY_ROLES)

MATRIX: dict[Action, set[Role]] = {
    Action.PERSON_REGISTER: _CASE,
    Action.IDENTITY_VIEW: _CASE,
    Action.IDENTITY_UPDATE: _CASE,
    Action.SCREENING_RECORD: _CASE,
    Action.IDENTIFICATION_RECORD: _CASE,
    Action.IDENTIFICATION_CONFIRM: {Role.SUPERVISOR},
    Action.REFERRAL_SEND: _CASE,
    Action.REFERRAL_ANSWER: _CASE,
    Action.SERVICE_RECORD: _CASE,
    Action.STAY_RECORD: _CASE,
    Action.VISA_REQUEST: _CASE,
    Action.VISA_DECIDE: {Role.SUPERVISOR, Role.CASEWORKER},
    Action.DISBURSEMENT_RECORD: _CASE,
    Action.GRANT_RECORD: {Role.SUPERVISOR},
    Action.PROCEEDING_RECORD: _CASE,
    Action.DETENTION_RECORD: _CASE,
    Action.ALERT_ACKNOWLEDGE: _CASE,
    Action.PSEUDONYMOUS_READ: {Role.NATIONAL_ANALYST},
    Action.LINKAGE_RUN: {Role.NATIONAL_ANALYST},
    # A differentially private release spends privacy budget: the analyst's call.
    Action.STATISTICS_RELEASE: {Role.NATIONAL_ANALYST},
    # Analysts decide on encodings; a supervisor only for pairs whose two
    # identities their agency may see (checked by the service).
    Action.MATCH_DECIDE: {Role.NATIONAL_ANALYST, Role.SUPERVISOR},
    Action.AUDIT_READ: {Role.AUDITOR},
    Action.PROFILE_LOAD: {Role.ADMIN},
}

# Some actions belong to one kind of agency whatever the role.
AGENCY_KINDS: dict[Action, set[str]] = {
    Action.VISA_DECIDE: {Agency.Kind.IMMIGRATION},
}


def membership_of(user: object) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership  # type: ignore[attr-defined]
    except Membership.DoesNotExist:
        return None


def can(user: object, action: Action) -> bool:
    membership = membership_of(user)
    if membership is None or membership.role not in MATRIX[action]:
        return False
    kinds = AGENCY_KINDS.get(action)
    return kinds is None or (membership.agency is not None and membership.agency.kind in kinds)


def require(user: object, action: Action) -> Membership:
    """The user's membership, if their role may do ``action``; PermissionDenied otherwise."""
    if not can(user, action):
        raise PermissionDenied(_("Your role does not allow this action."))
    membership = membership_of(user)
    assert membership is not None
    return membership


def case_agency(user: object) -> Agency | None:
    """The agency whose cases the user works (caseworker or supervisor), or None."""
    membership = membership_of(user)
    if membership is None or membership.role not in AGENCY_ROLES:
        return None
    return membership.agency


def scope_to_user(
    queryset: QuerySet[M],
    *,
    user: object,
    agency_filter: Callable[[Agency], Q],
    analyst_sees_all: bool = True,
) -> QuerySet[M]:
    """The one place that turns a user into a filter on case records.

    A caseworker or supervisor gets ``agency_filter(their agency)``; a national
    analyst everything (pseudonymous records) when ``analyst_sees_all``; every
    other role, and a user without a role, nothing.
    """
    membership = membership_of(user)
    if membership is not None and membership.role == Role.NATIONAL_ANALYST and analyst_sees_all:
        return queryset
    agency = case_agency(user)
    return queryset.none() if agency is None else queryset.filter(agency_filter(agency))
