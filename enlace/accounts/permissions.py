"""The permission matrix: which role may do which action, on records in which relation.

``MATRIX[action][role]`` is the set of relations to a person's record under
which the role may do the action. ``require`` checks the role; the relation
is checked where the record is read: the selectors scope every read to the
user's agency (own, referred) or to pseudonymous columns (national), and
``registry.selectors`` adds a supervisor's open break-glass grants to the
reads, never to the writes. ``docs/security.md`` shows this table, generated
from it by ``enlace security_doc``.
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
    PERSON_ERASE = "person.erase"
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
    REPATRIATION_RECORD = "repatriation.record"
    DISBURSEMENT_RECORD = "disbursement.record"
    GRANT_RECORD = "grant.record"
    TRAINING_RECORD = "training.record"
    PROTOCOL_ADOPTION_RECORD = "protocol_adoption.record"
    PROCEEDING_RECORD = "proceeding.record"
    DETENTION_RECORD = "detention.record"
    ALERT_ACKNOWLEDGE = "alert.acknowledge"
    CASE_RECORD = "case.record"
    CASE_APPROVE = "case.approve"
    PSEUDONYMOUS_READ = "pseudonymous.read"
    AGENCY_FIGURES_READ = "agency_figures.read"
    LINKAGE_RUN = "linkage.run"
    STATISTICS_RELEASE = "statistics.release"
    MATCH_DECIDE = "match.decide"
    AUDIT_READ = "audit.read"
    PROFILE_LOAD = "profile.load"
    PERSON_VIEW = "person.view"
    BREAK_GLASS_OPEN = "breakglass.open"
    SECOND_FACTOR_RESET = "second_factor.reset"
    MEMBERSHIP_CONFIRM = "membership.confirm"


class Relation(StrEnum):
    """How the record is related to the user's agency."""

    # Registered or identified by the user's agency.
    OWN = "own"
    # Referred to the user's agency, and the referral accepted or completed.
    REFERRED = "referred"
    # Any agency's record, pseudonymous columns only (never an identity).
    NATIONAL = "national"
    # Outside the agency's scope, under an open break-glass grant: read only.
    BREAK_GLASS = "break-glass"
    # Not a person's record: configuration, the audit trail, the actor's own grant.
    NONE = "none"


OWN, REFERRED, NATIONAL = Relation.OWN, Relation.REFERRED, Relation.NATIONAL
GLASS, NONE = Relation.BREAK_GLASS, Relation.NONE
_HELD = frozenset({OWN, REFERRED})
_CASE = {role: _HELD for role in AGENCY_ROLES}

MATRIX: dict[Action, dict[Role, frozenset[Relation]]] = {
    Action.PERSON_VIEW: {
        Role.CASEWORKER: _HELD,
        Role.SUPERVISOR: _HELD | {GLASS},
        Role.NATIONAL_ANALYST: frozenset({NATIONAL}),
    },
    Action.PERSON_REGISTER: {role: frozenset({NONE}) for role in AGENCY_ROLES},
    # On a legal request: a supervisor for people their agency registered (the
    # service checks it), an administrator for anyone.
    Action.PERSON_ERASE: {Role.SUPERVISOR: frozenset({OWN}), Role.ADMIN: frozenset({NONE})},
    # The identity rule: the registering agency, or a live referral from it
    # that shares the identity (registry.selectors.identity_get_for_user).
    Action.IDENTITY_VIEW: {Role.CASEWORKER: _HELD, Role.SUPERVISOR: _HELD | {GLASS}},
    # Only the registering agency corrects an identity; a shared referral reads it.
    Action.IDENTITY_UPDATE: {role: frozenset({OWN}) for role in AGENCY_ROLES},
    Action.SCREENING_RECORD: _CASE,
    Action.IDENTIFICATION_RECORD: _CASE,
    Action.IDENTIFICATION_CONFIRM: {Role.SUPERVISOR: frozenset({OWN})},
    Action.REFERRAL_SEND: _CASE,
    Action.REFERRAL_ANSWER: _CASE,
    Action.SERVICE_RECORD: _CASE,
    Action.STAY_RECORD: _CASE,
    Action.VISA_REQUEST: _CASE,
    Action.VISA_DECIDE: _CASE,
    Action.REPATRIATION_RECORD: _CASE,
    Action.DISBURSEMENT_RECORD: _CASE,
    Action.GRANT_RECORD: {Role.SUPERVISOR: frozenset({NONE})},
    # A supervisor records the training sessions of their own agency's officials.
    Action.TRAINING_RECORD: {Role.SUPERVISOR: frozenset({NONE})},
    # The national coordination (an analyst of a coordination agency, the
    # anti-trafficking commission) records which jurisdictions adopted a protocol.
    Action.PROTOCOL_ADOPTION_RECORD: {Role.NATIONAL_ANALYST: frozenset({NONE})},
    Action.PROCEEDING_RECORD: _CASE,
    Action.DETENTION_RECORD: _CASE,
    Action.ALERT_ACKNOWLEDGE: _CASE,
    # A case's plan, follow-ups, closure request, reopening and transfer; where the
    # country profile says so, a supervisor of the case's agency approves the closure.
    Action.CASE_RECORD: _CASE,
    Action.CASE_APPROVE: {Role.SUPERVISOR: _HELD},
    Action.PSEUDONYMOUS_READ: {Role.NATIONAL_ANALYST: frozenset({NATIONAL})},
    # The supervisor's own agency's counts: people its caseworkers hold already.
    Action.AGENCY_FIGURES_READ: {Role.SUPERVISOR: frozenset({NONE})},
    Action.LINKAGE_RUN: {Role.NATIONAL_ANALYST: frozenset({NATIONAL})},
    # A differentially private release spends privacy budget: the analyst's call.
    Action.STATISTICS_RELEASE: {Role.NATIONAL_ANALYST: frozenset({NATIONAL})},
    # Analysts decide on encodings; a supervisor only for pairs whose two
    # identities their agency may see (checked by the service).
    Action.MATCH_DECIDE: {
        Role.NATIONAL_ANALYST: frozenset({NATIONAL}),
        Role.SUPERVISOR: _HELD,
    },
    # Break-glass is for a person the agency does not hold, by definition.
    Action.BREAK_GLASS_OPEN: {Role.SUPERVISOR: frozenset({NONE})},
    Action.AUDIT_READ: {Role.AUDITOR: frozenset({NONE})},
    Action.PROFILE_LOAD: {Role.ADMIN: frozenset({NONE})},
    # Recovery of a lost authenticator: the user enrols a new one at next sign-in.
    Action.SECOND_FACTOR_RESET: {Role.ADMIN: frozenset({NONE})},
    # The second person of an account change the administrator made: a supervisor
    # of the membership's agency (checked by the service), never the administrator.
    Action.MEMBERSHIP_CONFIRM: {Role.SUPERVISOR: frozenset({NONE})},
}

# Some actions belong to one kind of agency whatever the role.
AGENCY_KINDS: dict[Action, set[str]] = {
    Action.VISA_DECIDE: {Agency.Kind.IMMIGRATION},
    Action.PROTOCOL_ADOPTION_RECORD: {Agency.Kind.COORDINATION},
}


def membership_of(user: object) -> Membership | None:
    """The membership every permission check reads; None for none, or one waiting for confirmation.

    A pending membership (an administrator's proposal, see ``accounts.services``)
    is treated as no membership at all, so nothing anywhere grants it anything.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        membership: Membership = user.membership  # type: ignore[attr-defined]
    except Membership.DoesNotExist:
        return None
    return None if membership.pending else membership


def can(user: object, action: Action) -> bool:
    membership = membership_of(user)
    if membership is None or membership.role not in MATRIX[action]:
        return False
    kinds = AGENCY_KINDS.get(action)
    return kinds is None or (membership.agency is not None and membership.agency.kind in kinds)


def allows(user: object, action: Action, relation: Relation) -> bool:
    """Whether the user's role may do ``action`` on a record in ``relation`` to their agency."""
    membership = membership_of(user)
    if membership is None or not can(user, action):
        return False
    return relation in MATRIX[action][Role(membership.role)]


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
