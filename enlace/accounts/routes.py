"""Every URL route declares who may reach it, and which record its URL names.

``ROUTES`` is keyed by the route as Django resolves it (``request.resolver_match.route``),
``NAMESPACES`` covers a whole namespace (the Django admin, which checks staff
status on every one of its views). ``tests/security`` walks the URL
configuration and fails for a route declared nowhere, then tries every route
as the people its rule keeps out; ``docs/security.md`` lists the declarations.

A declaration states the rule the view enforces; it does not enforce it. The
views enforce it with their decorators and scoped selectors, and the tests
check the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.urls import URLPattern, URLResolver, get_resolver

from enlace.accounts.permissions import Action


class Who(StrEnum):
    """Who gets past the door of a route (the record's scope is checked after)."""

    PUBLIC = "public"  # anyone: no case data behind it
    SIGNED_IN = "signed in"  # any account; what it shows depends on the role
    CASEWORK = "casework"  # caseworkers and supervisors, scoped to their agency
    SUPERVISOR = "supervisor"
    ANALYST = "national analyst"
    REVIEWER = "match reviewer"  # national analysts and supervisors
    AUDITOR = "auditor"
    STAFF = "staff"  # the Django admin: administrators only
    API_TOKEN = "API token"  # noqa: S105  (a kind of caller, not a secret)


@dataclass(frozen=True)
class Rule:
    who: Who
    # The matrix action the route rests on, when there is one.
    action: Action | None = None
    # The record the URL names ("registry.person"), looked up by the URL parameter
    # ``param``: a refused request naming a real one is audited as access.denied.
    record: str | None = None
    param: str = "pk"


def _casework(action: Action, record: str | None = None, param: str = "pk") -> Rule:
    return Rule(Who.CASEWORK, action, record, param)


PERSON = "registry.person"
_PERSON_FORM = {"record": PERSON, "param": "public_id"}

ROUTES: dict[str, Rule] = {
    # Pages (enlace.web)
    "": Rule(Who.SIGNED_IN),
    "accounts/login/": Rule(Who.PUBLIC),
    "accounts/logout/": Rule(Who.PUBLIC),
    "i18n/setlang/": Rule(Who.PUBLIC),
    # The second factor, between the password and every other page.
    "accounts/two-step/": Rule(Who.SIGNED_IN),
    "accounts/two-step/enrol/": Rule(Who.SIGNED_IN),
    "accounts/two-step/recovery-codes/": Rule(Who.SIGNED_IN),
    # The second person of an administrator's account change: a supervisor of the agency.
    "accounts/pending/": Rule(Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM),
    "accounts/pending/<int:pk>/confirm/": Rule(
        Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM, "accounts.membership"
    ),
    "accounts/pending/<int:pk>/refuse/": Rule(
        Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM, "accounts.membership"
    ),
    "people/": _casework(Action.PERSON_VIEW),
    "people/search/": _casework(Action.IDENTITY_VIEW),
    "people/new/": _casework(Action.PERSON_REGISTER),
    "people/<str:public_id>/": _casework(Action.PERSON_VIEW, **_PERSON_FORM),
    "people/<str:public_id>/screen/": _casework(Action.SCREENING_RECORD, **_PERSON_FORM),
    "people/<str:public_id>/identify/": _casework(Action.IDENTIFICATION_RECORD, **_PERSON_FORM),
    "people/<str:public_id>/refer/": _casework(Action.REFERRAL_SEND, **_PERSON_FORM),
    "people/<str:public_id>/erase/": Rule(Who.SUPERVISOR, Action.PERSON_ERASE, **_PERSON_FORM),
    "people/<str:public_id>/services/new/": _casework(Action.SERVICE_RECORD, **_PERSON_FORM),
    "people/<str:public_id>/stays/new/": _casework(Action.STAY_RECORD, **_PERSON_FORM),
    "people/<str:public_id>/visas/new/": _casework(Action.VISA_REQUEST, **_PERSON_FORM),
    "people/<str:public_id>/payments/new/": _casework(Action.DISBURSEMENT_RECORD, **_PERSON_FORM),
    "people/<str:public_id>/proceedings/new/": _casework(Action.PROCEEDING_RECORD, **_PERSON_FORM),
    "stays/<int:pk>/discharge/": _casework(Action.STAY_RECORD, "assistance.stay"),
    "visas/<int:pk>/decide/": _casework(Action.VISA_DECIDE, "immigration.visarequest"),
    "proceedings/<int:pk>/restitution/": _casework(
        Action.PROCEEDING_RECORD, "justice.participation"
    ),
    "identifications/<int:pk>/confirm/": _casework(
        Action.IDENTIFICATION_CONFIRM, "registry.identification"
    ),
    "alerts/<int:pk>/acknowledge/": _casework(Action.ALERT_ACKNOWLEDGE, "justice.alert"),
    "referrals/": _casework(Action.REFERRAL_ANSWER),
    "referrals/inbox/": _casework(Action.REFERRAL_ANSWER),
    "referrals/<int:pk>/": _casework(Action.REFERRAL_ANSWER, "referrals.referral"),
    "referrals/<int:pk>/<str:action>/": _casework(Action.REFERRAL_ANSWER, "referrals.referral"),
    "break-glass/": Rule(Who.SUPERVISOR, Action.BREAK_GLASS_OPEN),
    "figures/": Rule(Who.ANALYST, Action.PSEUDONYMOUS_READ),
    # The audit trail: audit data, never case content.
    "audit/": Rule(Who.AUDITOR, Action.AUDIT_READ),
    "audit/export/<str:file_format>/": Rule(Who.AUDITOR, Action.AUDIT_READ),
    "audit/break-glass/": Rule(Who.AUDITOR, Action.AUDIT_READ),
    "audit/accounts/": Rule(Who.AUDITOR, Action.AUDIT_READ),
    # Linkage review
    "linkage/review/": Rule(Who.REVIEWER, Action.MATCH_DECIDE),
    "linkage/review/<int:pk>/": Rule(Who.REVIEWER, Action.MATCH_DECIDE, "linkage.matchpair"),
    # Data exchange pages: any account, every read through a scoped selector.
    "exchange/submissions/new/": _casework(Action.IDENTIFICATION_RECORD),
    "exchange/submissions/<str:public_id>/": Rule(
        Who.SIGNED_IN, None, "exchange.submission", "public_id"
    ),
    "exchange/submissions/<str:public_id>/report.<str:fmt>": Rule(
        Who.SIGNED_IN, None, "exchange.submission", "public_id"
    ),
    "exchange/exports/<str:kind>.<str:fmt>": Rule(Who.SIGNED_IN, Action.PERSON_VIEW),
    "exchange/template.<str:fmt>": Rule(Who.PUBLIC),
    "exchange/open-data/<int:year>.csv": Rule(Who.PUBLIC),
    # The recorded differentially private release: published figures, no new noise.
    "exchange/open-data/<int:year>-private.csv": Rule(Who.PUBLIC),
    # The API: the schema and its docs are public, every operation needs a token.
    "api/v1/": Rule(Who.PUBLIC),
    "api/v1/openapi.json": Rule(Who.PUBLIC),
    "api/v1/docs": Rule(Who.PUBLIC),
    "api/v1/persons": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/persons/<public_id>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, PERSON, "public_id"),
    "api/v1/identifications": Rule(Who.API_TOKEN, Action.IDENTIFICATION_RECORD),
    "api/v1/identifications/<pk>": Rule(
        Who.API_TOKEN, Action.PERSON_VIEW, "registry.identification"
    ),
    "api/v1/referrals": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/referrals/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "referrals.referral"),
    "api/v1/services": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/services/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "assistance.servicedelivery"),
    "api/v1/stays": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/stays/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "assistance.stay"),
    "api/v1/visa-requests": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/visa-requests/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "immigration.visarequest"),
    "api/v1/submissions": Rule(Who.API_TOKEN, Action.IDENTIFICATION_RECORD),
    "api/v1/submissions/<public_id>": Rule(Who.API_TOKEN, None, "exchange.submission", "public_id"),
    "api/v1/submissions/<public_id>/report": Rule(
        Who.API_TOKEN, None, "exchange.submission", "public_id"
    ),
    # National aggregates, small cells suppressed: any token.
    "api/v1/statistics/<year>": Rule(Who.API_TOKEN),
    # The admin's own sign-in and sign-out; every other admin view is staff only.
    "admin/login/": Rule(Who.PUBLIC),
    "admin/logout/": Rule(Who.PUBLIC),
}

NAMESPACES: dict[str, Rule] = {
    "admin": Rule(Who.STAFF, Action.PROFILE_LOAD),
}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    namespace: str
    pattern: URLPattern


def url_routes() -> Iterator[Route]:
    """Every URL pattern of the project, with its full route and namespace."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, ns: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            else:
                yield Route(prefix + str(p.pattern), p.name or "", ns, p)

    yield from walk(get_resolver().url_patterns, "", "")


def rule_for(route: str, namespace: str = "") -> Rule | None:
    """The declared rule of a route, or None if it has none (a test fails then)."""
    if route in ROUTES:
        return ROUTES[route]
    return NAMESPACES.get(namespace.split(":")[0])
