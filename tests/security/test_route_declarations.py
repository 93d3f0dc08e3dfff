"""Every route of the URL configuration declares its access rule (``enlace/accounts/routes.py``).

Generated from the URL configuration itself: a new page, API operation or
admin view with no declaration fails here until someone says who may reach it.
"""

from __future__ import annotations

import pytest
from ninja.operation import PathView

from enlace.accounts.routes import NAMESPACES, ROUTES, Route, Who, rule_for, url_routes
from enlace.api.api import api

ROUTE_LIST = list(url_routes())


def _id(route: Route) -> str:
    return f"{route.namespace}:{route.name}" if route.name else route.route


@pytest.mark.parametrize("route", ROUTE_LIST, ids=_id)
def test_it_declares_who_may_reach_the_route(route: Route) -> None:
    assert rule_for(route.route, route.namespace) is not None, (
        f"/{route.route} ({route.name or 'unnamed'}) has no access rule: "
        "declare it in enlace/accounts/routes.py"
    )


def test_every_declaration_names_a_route_that_exists() -> None:
    existing = {r.route for r in ROUTE_LIST}
    namespaces = {r.namespace.split(":")[0] for r in ROUTE_LIST}
    assert [r for r in ROUTES if r not in existing] == []
    assert [n for n in NAMESPACES if n not in namespaces] == []


def test_the_walk_reaches_the_api_operations_and_the_admin() -> None:
    routes = {r.route for r in ROUTE_LIST}
    assert "api/v1/persons/<public_id>" in routes
    assert any(r.namespace == "admin" for r in ROUTE_LIST)


def _api_operations() -> list[tuple[str, str, bool]]:
    """Each operation django-ninja serves, from the URL patterns it generated (as mounted)."""
    found = []
    for route in ROUTE_LIST:
        cells = getattr(route.pattern.callback, "__closure__", None) or ()
        for view in [c.cell_contents for c in cells if isinstance(c.cell_contents, PathView)]:
            for operation in view.operations:
                auth = bool(operation.auth_callbacks)
                found.append((route.route, ",".join(operation.methods), auth))
    assert len(found) >= len(api.get_openapi_schema()["paths"])
    return found


@pytest.mark.parametrize(("route", "methods", "authenticated"), _api_operations())
def test_api_operations_need_a_token_unless_declared_public(
    route: str, methods: str, authenticated: bool
) -> None:
    rule = rule_for(route)
    assert rule is not None, f"{methods} /{route} has no access rule"
    assert authenticated is (rule.who == Who.API_TOKEN), f"{methods} /{route}"
