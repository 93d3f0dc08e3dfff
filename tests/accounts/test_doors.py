"""A view's ``door`` is its route declaration: the rule it enforces is the rule ``ROUTES`` lists."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from enlace.accounts.models import Membership, Role
from enlace.accounts.permissions import Action
from enlace.accounts.routes import (
    EXCEPTIONS,
    NAMESPACES,
    ROUTES,
    Rule,
    Who,
    door,
    door_of,
    url_routes,
)
from enlace.accounts.views import membership_confirm
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in


def test_every_view_of_ours_declares_its_rule_with_a_door() -> None:
    """``EXCEPTIONS`` is for views that are not ours to decorate (Django's, the API's);
    the admin's views, ours among them, are all staff only (``NAMESPACES``)."""
    undeclared = [
        route.route
        for route in url_routes()
        if route.pattern.callback.__module__.startswith("enlace.")
        and door_of(route.pattern.callback) is None
        and route.namespace.split(":")[0] not in NAMESPACES
    ]
    assert undeclared == []
    doors = [r for r in EXCEPTIONS if door_of(_view(r)) is not None]
    assert doors == []


def _view(route: str) -> object:
    return next(r.pattern.callback for r in url_routes() if r.route == route)


def test_the_rule_survives_the_decorators_outside_the_door() -> None:
    # @require_POST wraps the door: functools.wraps carries the rule out.
    rule = Rule(Who.SUPERVISOR, Action.MEMBERSHIP_CONFIRM, "accounts.membership")
    assert door_of(membership_confirm) == rule
    assert ROUTES["accounts/pending/<int:pk>/confirm/"] == rule


@pytest.mark.parametrize(
    ("who", "action"),
    [
        (Who.STAFF, None),
        (Who.API_TOKEN, None),
        (Who.AUDITOR, None),
        (Who.ANALYST, Action.PERSON_VIEW),
    ],
)
def test_a_door_it_cannot_keep_is_refused_when_declared(who: Who, action: Action | None) -> None:
    with pytest.raises(ImproperlyConfigured):

        @door(who, action)
        def view(request: HttpRequest) -> HttpResponse:
            return HttpResponse()


@pytest.mark.django_db
def test_an_administrator_may_erase_but_not_through_the_casework_pages(
    cast: Cast, person: Person
) -> None:
    """The matrix lets an administrator erase; the erasure page is a supervisor's casework."""
    root = User.objects.create_user("root-admin", password="password")
    Membership.objects.create(user=root, role=Role.ADMIN)
    response = signed_in(root).get(f"/people/{person.public_id}/erase/")
    assert response.status_code == 403
    assert "Only caseworkers and supervisors work with cases." in response.content.decode()
