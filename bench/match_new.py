"""Benchmark: write-time matching's candidate lookup against a lookup of one token.

    .venv/bin/python bench/match_new.py [--rows 10000 100000] [--sample 200]

Builds a database of its own (var/bench-match.sqlite3, or DATABASE_URL with
"bench" in its name) and fills it with generated submission rows, imported as
an agency's import account does. For a random sample of the stored records it
then times ``linkage.candidates.candidate_ids`` (every blocking rule, in both
directions, as ``match_new`` looks them up at each identity write) against the
baseline of the same records' lookup by their birth-date token alone (one
indexed equality) in the same run. The ratio is the figure: it should stay
flat as the registry grows, since every rule's lookup is served by an index.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-match.sqlite3'}")
os.environ["ENLACE_DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from enlace.directory.models import Agency  # noqa: E402
from enlace.exchange.generate import submission_generate  # noqa: E402
from enlace.exchange.importer import submission_import  # noqa: E402
from enlace.exchange.services import agency_system_user  # noqa: E402
from enlace.linkage.candidates import candidate_ids  # noqa: E402
from enlace.linkage.models import Encoding  # noqa: E402
from enlace.linkage.services import VALUES, comparison_rows  # noqa: E402


def fresh() -> None:
    if "registry_person" in connection.introspection.table_names():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("profile_load", "MX", verbosity=0)


def fill(rows: int) -> None:
    """A registry of ``rows`` generated records, imported as an agency's account does."""
    fresh()
    agency = Agency.objects.get(code="FGE-PUE")
    data, _bad = submission_generate(rows, agency_code="FGE-PUE", seed=rows)
    result = submission_import(actor=agency_system_user(agency=agency), data=data)
    assert result.stored == rows, result.summary()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # PostgreSQL's autovacuum does this on its own


def measure(rows: int, sample: int) -> None:
    fill(rows)
    ids = list(Encoding.objects.values_list("pk", flat=True))
    picked = random.Random(rows).sample(ids, min(sample, len(ids)))  # noqa: S311 - a sample
    records = comparison_rows(Encoding.objects.filter(pk__in=picked).values(*VALUES))

    start = time.perf_counter()
    found = sum(len(candidate_ids(me)) for me in records)
    rules_s = time.perf_counter() - start
    start = time.perf_counter()
    for me in records:
        list(Encoding.objects.filter(dob=me["dob"]).values_list("person_id", flat=True))
    base_s = time.perf_counter() - start

    per = 1000 / len(records)
    print(
        f"{connection.vendor:<10} encodings={Encoding.objects.count():>9}  "
        f"rules={rules_s * per:7.2f} ms/record ({found / len(records):5.1f} candidates)  "
        f"one token={base_s * per:6.2f} ms/record  ratio={rules_s / base_s:6.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing to empty {name!r}: a benchmark database has 'bench' in its name")
    for rows in sorted(args.rows):
        measure(rows, args.sample)


if __name__ == "__main__":
    main()
