"""``/healthz`` and ``/readyz``: for the load balancer and the service manager, no sign-in.

They reveal nothing of the records: ``/healthz`` answers while the process
does; ``/readyz`` names which of its checks failed (the database, the keys,
the migrations), never why in detail, which goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from enlace.accounts.routes import Who, door
from enlace.core.keys import key_problems

logger = logging.getLogger(__name__)


def _database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _keys() -> bool:
    problems = key_problems()
    for problem in problems:
        logger.error("Not ready: %s", problem)
    return not problems


def _migrations() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        logger.error("Not ready: %s migrations not applied", len(pending))
    return not pending


CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database,
    "keys": _keys,
    "migrations": _migrations,
}


@door(Who.PUBLIC)
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is looked at (a restart would not fix the database)."""
    return JsonResponse({"status": "ok"})


@door(Who.PUBLIC)
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers, the keys read it, every migration is applied."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = "ok" if check() else "failed"
        except DatabaseError as exc:
            logger.error("Not ready: %s check: %s", name, type(exc).__name__)
            checks[name] = "failed"
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "failed", **checks}, status=200 if ready else 503
    )
