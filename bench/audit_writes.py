"""Benchmark: concurrent registrations with audit rows sealed after commit, against the
same registrations serialised by one audit lock held to commit (as before issue 17).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enlace_bench \\
        .venv/bin/python bench/audit_writes.py [--threads 1 4 8] [--writes 30]

PostgreSQL only (SQLite runs one writer at a time whatever the trail does).
Empties and migrates its database first, so it refuses one whose name does
not contain "bench". For each number of threads, each thread (its own
connection) registers ``--writes`` people through ``person_register``, the
real service (encryption, linkage encoding, write-time matching, audit rows).
The baseline runs the same with a ``pre_save`` hook on audit rows that locks
the ``audit_chainhead`` row ``FOR UPDATE`` at a transaction's first audit row,
which is what every writer did before: the lock is then held through the
rest of the transaction until commit. Printed: registrations per second in
both modes and their ratio, which is the figure (absolute rates depend on the
machine and what else runs on it).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["ENLACE_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models.signals import pre_save  # noqa: E402

from enlace.accounts.models import Membership, Role  # noqa: E402
from enlace.audit.models import AuditEvent, ChainHead  # noqa: E402
from enlace.audit.sealer import seal  # noqa: E402
from enlace.directory.models import Agency  # noqa: E402
from enlace.registry.services import person_register  # noqa: E402


def fresh() -> User:
    if "registry_person" in connection.introspection.table_names():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("profile_load", "MX", verbosity=0)
    ChainHead.objects.get_or_create(pk=1)  # the baseline's lock (flush emptied it)
    user = User.objects.create_user("bench")  # never signs in: no password
    Membership.objects.create(
        user=user, role=Role.CASEWORKER, agency=Agency.objects.get(code="FGE-PUE")
    )
    return user


def _old_lock(sender: Any, instance: AuditEvent, **kwargs: Any) -> None:
    """What every audit writer did before the sealer: lock the chain head until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM audit_chainhead WHERE id = 1 FOR UPDATE")


def run(user: User, threads: int, writes: int, tag: str) -> float:
    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(writes):
                person_register(
                    actor=user,
                    identity={
                        "given_names": f"Bench {tag} {n}",
                        "paternal_surname": "Prueba",
                        "contact": f"{i}",
                    },
                )
        except BaseException as exc:  # counted below
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} writers failed: {errors[0]!r}")
    return threads * writes / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--writes", type=int, default=30, help="registrations per thread")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.")
    user = fresh()
    print("threads  sealed after commit  one lock to commit  ratio")
    for threads in args.threads:
        sealed = run(user, threads, args.writes, f"s{threads}")
        pre_save.connect(_old_lock, sender=AuditEvent, dispatch_uid="bench-old-lock")
        try:
            locked = run(user, threads, args.writes, f"l{threads}")
        finally:
            pre_save.disconnect(sender=AuditEvent, dispatch_uid="bench-old-lock")
        print(f"{threads:>7}  {sealed:>13.1f} /s  {locked:>13.1f} /s  {sealed / locked:>5.2f}")
    seal()
    call_command("audit_verify", verbosity=0)


if __name__ == "__main__":
    main()
