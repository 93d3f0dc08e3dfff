"""Benchmark: the annual report, the analyst's pages and the downloads against hand SQL.

    .venv/bin/python bench/annual_report.py [--factor 100] [--repeat 5] [--reuse]

Builds a database of its own (var/bench.sqlite3, or DATABASE_URL), loads the
demo data, times ``annual_report(2017)`` and a hand-written SQL baseline that
computes the same counts on the same database; then, signed in as the demo's
national analyst, the figures page, the dashboard (a breakdown with its
two-way table and trend, and a filtered one) and the PDF and XLSX downloads,
each against the hand SQL of the counts it shows. It then copies the data
until it is ``factor`` times larger (``--factor 272`` gives a million
persons) and times everything again. Machines are noisy, so the figure is the
ratio against the baseline measured in the same run; the seconds are printed
beside it. ``--reuse`` measures the data a previous run left in the database
(after a change of code, without loading it again).
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

from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from enlace.demo.accounts import demo_accounts_create  # noqa: E402
from enlace.demo.large import demo_scale  # noqa: E402
from enlace.demo.seed import demo_load  # noqa: E402
from enlace.registry.models import Person  # noqa: E402
from enlace.reports import charts  # noqa: E402
from enlace.reports.annual import annual_report  # noqa: E402
from enlace.statistics.trends import data_years  # noqa: E402

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


# The dashboard's counts by hand: identified people of a year by state, by state and
# sex (a person's sex from all their records, as breakdowns.py reads it), and the
# national total of every year of the trend.
STATE = "COALESCE(j.code, aj.code)"
BY_STATE = DOMESTIC.replace(
    "WHERE",
    """LEFT JOIN directory_jurisdiction j ON j.id = i.jurisdiction_id
    LEFT JOIN directory_jurisdiction aj ON aj.id = a.jurisdiction_id WHERE""",
)
SEX_OF_PERSON = """JOIN (SELECT national_id,
        CASE WHEN SUM(CASE WHEN sex = 'male' THEN 1 ELSE 0 END) > 0
              AND SUM(CASE WHEN sex = 'female' THEN 1 ELSE 0 END) = 0 THEN 'male'
             WHEN SUM(CASE WHEN sex = 'female' THEN 1 ELSE 0 END) > 0
              AND SUM(CASE WHEN sex = 'male' THEN 1 ELSE 0 END) = 0 THEN 'female'
             ELSE 'unspecified' END AS sex
      FROM registry_person GROUP BY national_id) s ON s.national_id = p.national_id WHERE"""
DASHBOARD = [
    f"SELECT {STATE}, COUNT(DISTINCT p.national_id) {BY_STATE} GROUP BY {STATE}",
    f"SELECT {STATE}, s.sex, COUNT(DISTINCT p.national_id) "
    f"{BY_STATE.replace('WHERE', SEX_OF_PERSON, 1)} GROUP BY {STATE}, s.sex",
]
# A state's filter on the dashboard: the same two tables within one state (Puebla).
FILTERED = [
    sql.replace("WHERE i.status", f"WHERE {STATE} = '21' AND i.status") for sql in DASHBOARD
]


def dashboard_baseline(filtered: bool) -> list[Any]:
    """The two tables of the year, then the people in every year of the trend."""
    statements = FILTERED if filtered else DASHBOARD
    trend = f"SELECT COUNT(DISTINCT p.national_id) {BY_STATE}"
    if filtered:
        trend = trend.replace("WHERE i.status", f"WHERE {STATE} = '21' AND i.status")
    results = []
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"})
            results.append(cursor.fetchall())
        for year in data_years():
            cursor.execute(trend, {"start": f"{year}-01-01", "end": f"{year}-12-31"})
            results.append(cursor.fetchall())
    return results


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


DASHBOARD_PAGE = "/dashboard/?year=2017&measure=identified&by=state&then=sex"
PAGES: list[tuple[str, str, Callable[[], Any]]] = [
    ("figures page", "/figures/?year=2017", baseline),
    ("dashboard", DASHBOARD_PAGE, lambda: dashboard_baseline(False)),
    ("dashboard, Puebla", DASHBOARD_PAGE + "&state=21", lambda: dashboard_baseline(True)),
    ("PDF download", "/figures/report.pdf?year=2017&lang=es", baseline),
    ("XLSX download", "/figures/report.xlsx?year=2017&lang=es", baseline),
]


def measure_pages(repeat: int) -> None:
    """Each page as the national analyst gets it, against the hand SQL of its counts."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="analista"))

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")

    def drawn_anew(url: str) -> None:
        """A download of figures not drawn before: the kept documents and charts dropped."""
        cache.clear()
        charts._svg.cache_clear()
        get(url)

    for label, url, hand in PAGES:
        hand_s = timed(hand, repeat)
        runs = [(label, lambda url=url: get(url))]
        if "download" in label:
            # Downloads are kept by their figures' digest: time the first one apart.
            runs = [
                (label + ", new", lambda url=url: drawn_anew(url)),
                (label + ", again", runs[0][1]),
            ]
        for name, run in runs:
            page_s = timed(run, repeat)
            print(
                f"  {name:<25} page={page_s * 1000:8.1f} ms  "
                f"baseline={hand_s * 1000:8.1f} ms  ratio={page_s / hand_s:6.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the data a previous run left in the database, without loading any",
    )
    args = parser.parse_args()

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to empty {name!r}: a benchmark database has 'bench' in its name")
    if args.reuse:
        _analyze()
        print(f"database: {connection.vendor}, persons: {Person.objects.count()}")
        measure("reused", args.repeat)
        measure_pages(args.repeat)
        return
    if _has_tables():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("profile_load", "MX", verbosity=0)
    demo_load()
    demo_accounts_create()
    _analyze()
    print(f"database: {connection.vendor}")
    measure("demo", args.repeat)
    measure_pages(args.repeat)
    demo_scale(
        factor=args.factor, progress=lambda i, n: print(f"\rcopy {i}/{n}", end="", flush=True)
    )
    print()
    _analyze()
    measure(f"demo x{args.factor}", args.repeat)
    measure_pages(args.repeat)


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a live server (it may be off
    on a test server, and without them PostgreSQL plans the copied tables as empty)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _has_tables() -> bool:
    return "registry_person" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
