"""A transaction that PostgreSQL aborts to break a deadlock runs again, and both succeed;
any other database error is raised at once, and nested transactions are not retried."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from enlace.assistance.models import Shelter
from enlace.core.retry import run_retried
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def _lock(pk: int) -> None:
    list(Shelter.objects.select_for_update().filter(pk=pk).values_list("pk"))


def test_a_deadlocked_transaction_runs_again(cast: Cast) -> None:
    first, second = Shelter.objects.order_by("pk").values_list("pk", flat=True)[:2]
    if connection.vendor != "postgresql":
        # One writer at a time: no deadlock to break; the work runs once.
        runs: list[int] = []

        def work() -> str:
            runs.append(1)
            return "done"

        assert run_retried(work) == "done"
        assert runs == [1]
        return
    both_hold = threading.Barrier(2)
    attempts = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def crossing(name: str, one: int, other: int) -> None:
        def work() -> None:
            attempts[name] += 1
            _lock(one)
            if attempts[name] == 1:
                both_hold.wait(timeout=30)  # each holds its first row: opposite orders meet
            _lock(other)

        try:
            run_retried(work)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=crossing, args=("a", first, second)),
        threading.Thread(target=crossing, args=("b", second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # PostgreSQL aborted exactly one of them, which ran again and went through.
    assert sorted(attempts.values()) == [1, 2]


def test_other_errors_are_not_retried(cast: Cast) -> None:
    runs: list[int] = []

    def broken() -> None:
        runs.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(DatabaseError):
        run_retried(broken)
    assert runs == [1]


def test_inside_a_transaction_it_is_not_retried(cast: Cast) -> None:
    runs: list[int] = []

    def work() -> str:
        runs.append(1)
        return "nested"

    with transaction.atomic():
        assert run_retried(work) == "nested"
    assert runs == [1]
