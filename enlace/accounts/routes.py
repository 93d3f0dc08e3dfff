"""Who may reach every URL route, and which record its URL names.

A view declares its own rule, and the same decorator enforces it::

    @door(Who.CASEWORK, Action.VISA_DECIDE, record="immigration.visarequest")
    def visa_decide(request, pk): ...

``door`` lets in only who the rule names (an anonymous visitor goes to the
login page, another role gets a 403) and keeps the rule on the view. Past the
door the record's scope is checked by the scoped selectors (another agency's
record is a 404) and the action by the services.

``ROUTES`` is every declaration, keyed by the route as Django resolves it
(``request.resolver_match.route``): the doors of the resolved views, and
``EXCEPTIONS`` for the routes whose views are not ours to decorate (Django's
sign-in and language switch, the API's operations, the admin's sign-in).
``NAMESPACES`` covers a whole namespace (the Django admin, which checks staff
status on every one of its views). ``tests/security`` walks the URL
configuration and fails for a route declared nowhere, then tries every route
as the people its rule keeps out; ``docs/security.md`` lists the declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action, can, case_agency

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


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


PERSON = "registry.person"

# Doors that let in the roles the matrix allows the rule's action, and what the
# others read on the 403 page. A casework door lets in caseworkers and supervisors,
# whatever the action: the service checks it.
REFUSALS: dict[Action, Promise] = {
    Action.PERSON_ERASE: _("Only a supervisor can erase a person's identity."),
    Action.BREAK_GLASS_OPEN: _("Only supervisors may open break-glass access."),
    Action.MEMBERSHIP_CONFIRM: _("Only supervisors confirm accounts."),
    Action.CASE_APPROVE: _("Only a supervisor approves a case's closure."),
    Action.PSEUDONYMOUS_READ: _("National figures are for national analysts."),
    Action.AGENCY_FIGURES_READ: _("An agency's figures are for its supervisors."),
    Action.GRANT_RECORD: _("Only supervisors record grants."),
    Action.TRAINING_RECORD: _("Only supervisors record their agency's training sessions."),
    Action.PROTOCOL_ADOPTION_RECORD: _(
        "Only the national coordination records the adoption of protocols."
    ),
    Action.MATCH_DECIDE: _("Only national analysts and supervisors review matches."),
    Action.AUDIT_READ: _("Only auditors read the audit trail."),
}
BY_ACTION = {Who.SUPERVISOR, Who.ANALYST, Who.REVIEWER, Who.AUDITOR}
CASEWORK_ONLY = _("Only caseworkers and supervisors work with cases.")


def door(
    who: Who, action: Action | None = None, *, record: str | None = None, param: str = "pk"
) -> Callable[[V], V]:
    """The view's access rule: enforced at its entry, and kept on it for ``ROUTES``."""
    rule = Rule(who, action, record, param)
    if who in (Who.STAFF, Who.API_TOKEN):
        raise ImproperlyConfigured(f"a {who} route is declared in EXCEPTIONS or NAMESPACES")
    if who in BY_ACTION and action not in REFUSALS:
        raise ImproperlyConfigured(f"a {who} door needs an action of REFUSALS, not {action}")

    def decorate(view: V) -> V:
        if who == Who.PUBLIC:
            entry: Any = view
        else:

            @login_required
            @wraps(view)
            def entry(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                _enter(rule, request.user)
                return view(request, *args, **kwargs)

        entry.door = rule  # copied onto outer decorators by functools.wraps
        return entry

    return decorate


def _enter(rule: Rule, user: object) -> None:
    """PermissionDenied unless the signed-in user's role is one the rule lets in."""
    if rule.who in BY_ACTION:
        assert rule.action is not None
        if not can(user, rule.action):
            raise PermissionDenied(REFUSALS[rule.action])
    # A supervisor's door is casework too: an administrator erases with `enlace erase`.
    if rule.who in (Who.CASEWORK, Who.SUPERVISOR) and case_agency(user) is None:
        raise PermissionDenied(CASEWORK_ONLY)


def door_of(view: object) -> Rule | None:
    """The rule a view declared with ``door``, or None."""
    rule = getattr(view, "door", None)
    return rule if isinstance(rule, Rule) else None


EXCEPTIONS: dict[str, Rule] = {
    # Django's own views.
    "accounts/login/": Rule(Who.PUBLIC),
    "accounts/logout/": Rule(Who.PUBLIC),
    "i18n/setlang/": Rule(Who.PUBLIC),
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
    "api/v1/identifications/<pk>/detail": Rule(
        Who.API_TOKEN, Action.IDENTIFICATION_RECORD, "registry.identification"
    ),
    "api/v1/referrals": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/referrals/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "referrals.referral"),
    "api/v1/services": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/services/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "assistance.servicedelivery"),
    "api/v1/stays": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/stays/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "assistance.stay"),
    "api/v1/visa-requests": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/visa-requests/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "immigration.visarequest"),
    "api/v1/referrals/<pk>/accept": Rule(
        Who.API_TOKEN, Action.REFERRAL_ANSWER, "referrals.referral"
    ),
    "api/v1/referrals/<pk>/decline": Rule(
        Who.API_TOKEN, Action.REFERRAL_ANSWER, "referrals.referral"
    ),
    "api/v1/referrals/<pk>/complete": Rule(
        Who.API_TOKEN, Action.REFERRAL_ANSWER, "referrals.referral"
    ),
    "api/v1/referrals/<pk>/revoke": Rule(Who.API_TOKEN, Action.REFERRAL_SEND, "referrals.referral"),
    "api/v1/stays/<pk>/discharge": Rule(Who.API_TOKEN, Action.STAY_RECORD, "assistance.stay"),
    "api/v1/visa-requests/<pk>/decision": Rule(
        Who.API_TOKEN, Action.VISA_DECIDE, "immigration.visarequest"
    ),
    "api/v1/visa-requests/<pk>/extensions": Rule(
        Who.API_TOKEN, Action.VISA_DECIDE, "immigration.visarequest"
    ),
    "api/v1/repatriations": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/repatriations/<pk>": Rule(
        Who.API_TOKEN, Action.PERSON_VIEW, "immigration.repatriation"
    ),
    "api/v1/persons/<public_id>/identity-corrections": Rule(
        Who.API_TOKEN, Action.IDENTITY_UPDATE, PERSON, "public_id"
    ),
    "api/v1/proceedings": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/proceedings/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "justice.participation"),
    "api/v1/proceedings/<pk>/protection-measures": Rule(
        Who.API_TOKEN, Action.PROCEEDING_RECORD, "justice.participation"
    ),
    "api/v1/proceedings/<pk>/restitution-orders": Rule(
        Who.API_TOKEN, Action.PROCEEDING_RECORD, "justice.participation"
    ),
    "api/v1/proceedings/<pk>/restitution-payments": Rule(
        Who.API_TOKEN, Action.PROCEEDING_RECORD, "justice.participation"
    ),
    "api/v1/proceedings/<pk>/conclusion": Rule(
        Who.API_TOKEN, Action.PROCEEDING_RECORD, "justice.participation"
    ),
    "api/v1/grants": Rule(Who.API_TOKEN, Action.GRANT_RECORD),
    "api/v1/detentions": Rule(Who.API_TOKEN, Action.DETENTION_RECORD),
    "api/v1/detentions/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "justice.detentionevent"),
    "api/v1/cases": Rule(Who.API_TOKEN, Action.PERSON_VIEW),
    "api/v1/cases/<pk>": Rule(Who.API_TOKEN, Action.PERSON_VIEW, "cases.case"),
    "api/v1/cases/<pk>/goals": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.case"),
    "api/v1/cases/<pk>/follow-ups": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.case"),
    "api/v1/cases/<pk>/close": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.case"),
    "api/v1/cases/<pk>/reopen": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.case"),
    "api/v1/cases/<pk>/transfer": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.case"),
    "api/v1/follow-ups/<pk>/done": Rule(Who.API_TOKEN, Action.CASE_RECORD, "cases.followup"),
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


def _declarations() -> dict[str, Rule]:
    """The doors of the resolved views and the exceptions, by route."""
    found = dict(EXCEPTIONS)
    for route in url_routes():
        rule = door_of(route.pattern.callback)
        if rule is None:
            continue
        if found.setdefault(route.route, rule) != rule or route.route in EXCEPTIONS:
            raise ImproperlyConfigured(f"/{route.route} is declared twice")
    # By route, not by the order of the URL configuration: where an app's routes
    # are included does not reorder docs/security.md.
    return dict(sorted(found.items()))


class _Routes(Mapping[str, Rule]):
    """``_declarations()``, read on first use: the URL configuration imports the views,
    and the views import this module."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] | None = None

    def _load(self) -> dict[str, Rule]:
        if self._rules is None:
            self._rules = _declarations()
        return self._rules

    def __getitem__(self, route: str) -> Rule:
        return self._load()[route]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


ROUTES: Mapping[str, Rule] = _Routes()


def rule_for(route: str, namespace: str = "") -> Rule | None:
    """The declared rule of a route, or None if it has none (a test fails then)."""
    if route in ROUTES:
        return ROUTES[route]
    return NAMESPACES.get(namespace.split(":")[0])
