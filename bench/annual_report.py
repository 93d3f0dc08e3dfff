"""Benchmark: the annual report against the same counts written by hand in SQL.

    .venv/bin/python bench/annual_report.py [--factor 100] [--repeat 5]

Builds a database of its own (var/bench.sqlite3, or DATABASE_URL), loads the
demo data, times ``annual_report(2017)`` and a hand-written SQL baseline that
computes the same counts on the same database, then copies the data until it
is ``factor`` times larger and times both again. Machines are noisy, so the
result is the ratio report/baseline measured in the same run, not seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from enlace.demo.large import demo_scale  # noqa: E402
from enlace.demo.seed import demo_load  # noqa: E402
from enlace.reports.annual import annual_report  # noqa: E402

YEAR = 2017
GOV = "('federal', 'state', 'municipal')"
DOMESTIC = f"""
    FROM registry_identification i
    JOIN registry_person p ON p.id = i.person_id
    JOIN directory_agency a ON a.id = i.agency_id
    WHERE i.status = 'identified' AND i.country_abroad_id IS NULL AND a.level IN {GOV}
      AND i.identified_on BETWEEN %(start)s AND %(end)s"""

# The same figures as the report, by hand: one statement per table, each run
# for the years the report shows it for (the year, and earlier years for
# totals, levels, abroad and visas).
TOTAL, FORMS, LEVELS, SEX, ABROAD, ASSISTED, SHELTERED, VISAS, DISBURSED = range(9)
YEARS = {TOTAL: 3, LEVELS: 3, ABROAD: 2, VISAS: 2}
BASELINE = [
    f"SELECT COUNT(DISTINCT p.national_id) {DOMESTIC}",
    f"""SELECT f.form, COUNT(DISTINCT p.national_id) {
        DOMESTIC.replace(
            "WHERE", "JOIN registry_identificationform f ON f.identification_id = i.id WHERE"
        )
    }
        GROUP BY f.form""",
    f"SELECT a.level, COUNT(DISTINCT p.national_id) {DOMESTIC} GROUP BY a.level",
    f"""SELECT SUM(CASE WHEN m > 0 AND w = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN w > 0 AND m = 0 THEN 1 ELSE 0 END), COUNT(*)
        FROM (SELECT q.national_id,
                     SUM(CASE WHEN q.sex = 'male' THEN 1 ELSE 0 END) AS m,
                     SUM(CASE WHEN q.sex = 'female' THEN 1 ELSE 0 END) AS w
              FROM registry_person q
              WHERE q.national_id IN (SELECT p.national_id {DOMESTIC})
              GROUP BY q.national_id) s""",
    """SELECT c.iso2, COUNT(DISTINCT p.national_id)
       FROM registry_identification i JOIN registry_person p ON p.id = i.person_id
       JOIN directory_country c ON c.id = i.country_abroad_id
       WHERE i.status = 'identified' AND i.identified_on BETWEEN %(start)s AND %(end)s
       GROUP BY c.iso2""",
    """SELECT a.code, COUNT(DISTINCT p.national_id)
       FROM assistance_servicedelivery s JOIN registry_person p ON p.id = s.person_id
       JOIN directory_agency a ON a.id = s.agency_id
       WHERE s.started_on BETWEEN %(start)s AND %(end)s GROUP BY a.code""",
    """SELECT h.code, COUNT(DISTINCT p.national_id)
       FROM assistance_stay s JOIN registry_person p ON p.id = s.person_id
       JOIN assistance_shelter h ON h.id = s.shelter_id
       WHERE s.admitted_on <= %(end)s AND (s.discharged_on IS NULL OR s.discharged_on >= %(start)s)
       GROUP BY h.code""",
    """SELECT COUNT(DISTINCT p.national_id)
       FROM immigration_visarequest v JOIN registry_person p ON p.id = v.person_id
       WHERE v.outcome = 'granted' AND v.decided_on BETWEEN %(start)s AND %(end)s""",
    """SELECT f.code, SUM(d.amount), COUNT(DISTINCT p.national_id)
       FROM funds_disbursement d JOIN registry_person p ON p.id = d.person_id
       JOIN funds_fund f ON f.id = d.fund_id
       WHERE d.paid_on BETWEEN %(start)s AND %(end)s GROUP BY f.code""",
    """SELECT a.code, SUM(g.amount), COUNT(DISTINCT g.grantee_id),
              (SELECT COUNT(DISTINCT p.national_id)
               FROM assistance_servicedelivery s JOIN registry_person p ON p.id = s.person_id
               JOIN funds_grant h ON h.id = s.grant_id
               WHERE h.grantor_id = a.id AND h.awarded_on BETWEEN %(start)s AND %(end)s)
       FROM funds_grant g JOIN directory_agency a ON a.id = g.grantor_id
       WHERE g.awarded_on BETWEEN %(start)s AND %(end)s GROUP BY a.id, a.code""",
]


def baseline() -> list[Any]:
    results = []
    with connection.cursor() as cursor:
        for index, sql in enumerate(BASELINE):
            for year in range(YEAR, YEAR - YEARS.get(index, 1), -1):
                cursor.execute(sql, {"start": f"{year}-01-01", "end": f"{year}-12-31"})
                results.append(cursor.fetchall())
    return results


def timed(func: Callable[[], Any], repeat: int) -> float:
    func()  # warm caches; the first run is not measured
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(label: str, repeat: int) -> None:
    report_s = timed(lambda: annual_report(YEAR), repeat)
    baseline_s = timed(baseline, repeat)
    total = annual_report(YEAR)["identified"]["total"]
    print(
        f"{label:<10} identified={total:>8}  report={report_s * 1000:8.1f} ms  "
        f"baseline={baseline_s * 1000:8.1f} ms  ratio={report_s / baseline_s:5.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to empty {name!r}: a benchmark database has 'bench' in its name")
    if _has_tables():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("profile_load", "MX", verbosity=0)
    demo_load()
    print(f"database: {connection.vendor}")
    measure("demo", args.repeat)
    demo_scale(
        factor=args.factor, progress=lambda i, n: print(f"\rcopy {i}/{n}", end="", flush=True)
    )
    print()
    measure(f"demo x{args.factor}", args.repeat)


def _has_tables() -> bool:
    return "registry_person" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
