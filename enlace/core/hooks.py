"""core's own hooks: the key check at every start, and the retention of sign-in records."""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import checks
from django.db.models import QuerySet
from django.db.models.signals import post_migrate

from enlace.core.keys import key_check_store, key_problems
from enlace.core.retention import Rule, retention_rule


def keys_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: the configured keys are those the database was written with."""
    return [checks.Error(problem, id="enlace.E001") for problem in key_problems()]


def _store_key_check(using: str = "default", **kwargs: Any) -> None:
    key_check_store()


# Not tagged "database": runserver runs only untagged checks, and a wrong key
# must stop it as it stops migrate and check.
checks.register(keys_check)
post_migrate.connect(_store_key_check, sender=apps.get_app_config("core"))


def _sessions(cutoff: datetime.datetime) -> QuerySet[Any]:
    return Session.objects.filter(expire_date__lt=cutoff)


def _sign_ins(cutoff: datetime.datetime) -> QuerySet[Any]:
    return AccessLog.objects.filter(attempt_time__lt=cutoff)


def _failed_sign_ins(cutoff: datetime.datetime) -> QuerySet[Any]:
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff)


# Session keys are secrets: the audit row counts them only.
retention_rule(Rule("sessions", "Expired sessions", _sessions, None))
# django-axes' records of who signed in, and failed to, from which address.
retention_rule(Rule("sign_ins", "Records of sign-ins (user, address, browser)", _sign_ins, None))
retention_rule(
    Rule(
        "failed_sign_ins",
        "Records of failed sign-ins, the lockout counters",
        _failed_sign_ins,
        None,
    )
)
