"""Benchmark: importing a submission against a raw bulk insert of the same rows.

    .venv/bin/python bench/import_rows.py [--rows 100000 1000000]

Builds a database of its own (var/bench-import.sqlite3, or DATABASE_URL with
"bench" in its name). For each size it generates a clean submission, imports
it as the agency's import account (parsing, validation, linkage tokens,
encryption, audit rows), then reads back every row the import wrote, empties
those tables and inserts the same rows again with multi-row ``INSERT``
statements in one transaction (the import's own raw insert, 1,000 rows a
statement): no parsing, no validation, no encryption, no ORM. The ratio
import/baseline is the figure; rows per second are printed for both.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")
# Debug mode keeps every query in memory: a million rows would not fit.
os.environ["ENLACE_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from enlace.audit.models import AuditEvent  # noqa: E402
from enlace.directory.models import Agency  # noqa: E402
from enlace.exchange.bulk import insert_rows  # noqa: E402
from enlace.exchange.generate import submission_generate  # noqa: E402
from enlace.exchange.importer import submission_import  # noqa: E402
from enlace.exchange.services import agency_system_user  # noqa: E402

AGENCY = "FGE-PUE"
# Parents first: the order rows are inserted in.
TABLES = (
    "registry_person",
    "registry_identity",
    "linkage_encoding",
    "registry_identification",
    "registry_identificationform",
    "audit_auditevent",
)


def _rows_of(table: str, since_audit: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    where = f" WHERE id > {since_audit}" if table == "audit_auditevent" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}{where} ORDER BY id")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        rows = [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in r) for r in rows]
    return columns, rows


def _empty(since_audit: int) -> None:
    with connection.cursor() as cursor:
        for table in reversed(TABLES):
            where = f" WHERE id > {since_audit}" if table == "audit_auditevent" else ""
            cursor.execute(f"DELETE FROM {table}{where}")


def baseline(since_audit: int) -> tuple[float, int]:
    """Seconds to insert the import's rows again, raw; and how many rows that is."""
    stash = []
    for table in TABLES:
        columns, rows = _rows_of(table, since_audit)
        file = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        pickle.dump(rows, file)
        stash.append((table, columns, file, len(rows)))
        del rows
    _empty(since_audit)
    elapsed = 0.0
    total = 0
    for table, columns, file, _n in stash:
        file.seek(0)
        rows = pickle.load(file)  # noqa: S301 - our own temporary file
        file.close()
        start = time.perf_counter()
        with transaction.atomic():
            insert_rows(table, columns, rows)
        elapsed += time.perf_counter() - start
        total += len(rows)
    return elapsed, total


def measure(rows: int) -> None:
    agency = Agency.objects.get(code=AGENCY)
    actor = agency_system_user(agency=agency)
    data, _bad = submission_generate(rows, agency_code=AGENCY, seed=rows)
    since_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    start = time.perf_counter()
    result = submission_import(actor=actor, data=data)
    import_s = time.perf_counter() - start
    assert result.stored == rows, result.summary()
    base_s, written = baseline(since_audit)
    print(
        f"{connection.vendor:<10} rows={rows:>9}  import={rows / import_s:9.0f} rows/s "
        f"({import_s:7.1f} s)  raw insert={rows / base_s:9.0f} rows/s "
        f"({base_s:6.1f} s, {written} table rows)  ratio={import_s / base_s:5.2f}",
        flush=True,
    )
    _empty(since_audit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to empty {name!r}: a benchmark database has 'bench' in its name")
    if "registry_person" in connection.introspection.table_names():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("profile_load", "MX", verbosity=0)
    for rows in args.rows:
        measure(rows)


if __name__ == "__main__":
    main()
