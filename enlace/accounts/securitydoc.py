"""The generated parts of ``docs/security.md``: the permission matrix and the route rules.

The doc keeps its prose by hand; each generated part sits between
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` and is rewritten by
``enlace security_doc --write``. A test fails when a part is stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import translation

from enlace.accounts.models import Role
from enlace.accounts.permissions import MATRIX, Relation
from enlace.accounts.routes import NAMESPACES, ROUTES

ROLES = list(Role)


def matrix_markdown() -> str:
    """Role by action, each cell the relations to the record under which the role may act."""
    with translation.override("en"):
        labels = [str(r.label) for r in ROLES]
    lines = [
        "| action | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(ROLES),
    ]
    for action, roles in MATRIX.items():
        cells = [
            ", ".join(rel for rel in Relation if rel in roles[r]) if r in roles else "—"
            for r in ROLES
        ]
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def routes_markdown() -> str:
    lines = ["| route | who | action | record named |", "|---|---|---|---|"]
    rules = [(f"`/{route}`", rule) for route, rule in ROUTES.items()]
    rules += [(f"every `{ns}:` route", rule) for ns, rule in NAMESPACES.items()]
    for label, rule in rules:
        record = f"`{rule.record}` by `{rule.param}`" if rule.record else ""
        action = f"`{rule.action}`" if rule.action else ""
        lines.append(f"| {label} | {rule.who} | {action} | {record} |")
    return "\n".join(lines) + "\n"


PARTS: dict[str, Callable[[], str]] = {"matrix": matrix_markdown, "routes": routes_markdown}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- generated: {name} -->\n)(.*?)(<!-- end: {name} -->)", re.S)


def render(text: str) -> str:
    """``text`` with every generated part replaced by its current content."""
    for name, make in PARTS.items():
        found = _block(name).search(text)
        if found is None:
            raise ValueError(f"docs/security.md has no '<!-- generated: {name} -->' part")
        text = text[: found.start(2)] + make() + text[found.end(2) :]
    return text
