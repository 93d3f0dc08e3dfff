"""Linkage quality and speed on invented registries with known truth.

    .venv/bin/python bench/linkage.py 200000 1000000 [--generator NAME ...] [--skip-baseline]

For each generator (``linkage.generators``: ``mexico``, the one the model was
first written against; ``latam`` and ``agencies``, written apart from it with
other names and other noise; all three by default) and each size: Enlace's
linkage in encoded mode (and clear mode below 300,000 records) beside a
plain Splink model with its default comparisons (``NameComparison`` on each
name, ``DateOfBirthComparison``, exact sex) run in the same process on the
same records. Printed per run: pairwise
precision, recall and F1 of the clusters, the error in the count of unique
people, blocking recall against the truth, pairs compared and wall time per
stage. The F1 gap and count error are the figures; the wall time is this
machine's.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from typing import Any

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

from enlace.linkage import engine  # noqa: E402
from enlace.linkage.clusters import cluster, pairwise  # noqa: E402
from enlace.linkage.features import Mode, Record  # noqa: E402
from enlace.linkage.features import rows as features_rows  # noqa: E402
from enlace.linkage.generators import GENERATORS  # noqa: E402
from enlace.linkage.services import UPPER  # noqa: E402

KEY = "benchmark-linkage-key"
THRESHOLD = float(os.environ.get("THRESHOLD", UPPER))
# Other link thresholds to report, from the same scored pairs.
SWEEP = sorted({THRESHOLD, 0.1, 0.3, 0.5, 0.7, 0.9})


def blocking_recall(rows: list[dict[str, Any]], truth: dict[str, int]) -> float:
    by_id = {r["record_id"]: r for r in rows}
    groups: dict[int, list[str]] = {}
    for record, person in truth.items():
        groups.setdefault(person, []).append(record)
    total = caught = 0
    for group in groups.values():
        for a, b in itertools.combinations(group, 2):
            total += 1
            caught += any(rule.agrees(by_id[a], by_id[b]) for rule in engine.RULES)
    return caught / total if total else 1.0


def report(name: str, figures: dict[str, float], stages: dict[str, float], extra: str) -> None:
    error = (figures["people_found"] - figures["people_true"]) / figures["people_true"]
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in stages.items())
    print(
        f"  {name:<9} precision {figures['precision']:.4f}  recall {figures['recall']:.4f}  "
        f"F1 {figures['f1']:.4f}  people {figures['people_found']:,} "
        f"(truth {figures['people_true']:,}, error {error:+.2%})  {extra}\n"
        f"            total {sum(stages.values()):.1f} s: {timing}",
        flush=True,
    )


def enlace_run(records: list[Record], truth: dict[str, int], mode: Mode) -> float:
    started = time.perf_counter()
    rows = features_rows(records, mode, KEY)
    encode = time.perf_counter() - started
    result = engine.link(rows, mode, threshold=min(SWEEP), link=THRESHOLD)
    started = time.perf_counter()
    scored = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    within = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.within]
    clusters = cluster(truth, scored, THRESHOLD, within=within)
    stages = {"encode": encode, **result.stages, "cluster": time.perf_counter() - started}
    figures = pairwise(truth, clusters)
    recall = blocking_recall(rows, truth)
    report(
        mode,
        figures,
        stages,
        f"blocking recall {recall:.4f}, pairs compared {result.pairs_compared:,}",
    )
    for threshold in SWEEP:
        if threshold != THRESHOLD:
            # The pairs within groups are those of THRESHOLD's: an approximation.
            other = pairwise(truth, cluster(truth, scored, threshold, within=within))
            error = (other["people_found"] - other["people_true"]) / other["people_true"]
            print(f"            at {threshold}: F1 {other['f1']:.4f}, people error {error:+.2%}")
    return figures["f1"]


def baseline_run(records: list[Record], truth: dict[str, int]) -> float:
    """Splink as it comes: default comparisons on the raw columns."""
    started = time.perf_counter()
    raw = pa.Table.from_pylist(  # noqa: F841 - DuckDB reads it by name
        [
            {
                "unique_id": r.record_id,
                "given_names": r.given_names or None,
                "paternal_surname": r.paternal_surname or None,
                "maternal_surname": r.maternal_surname or None,
                "birth_date": r.birth_date.isoformat() if r.birth_date else None,
                "sex": r.sex or None,
            }
            for r in records
        ]
    )
    con = duckdb.connect()
    con.execute("CREATE TABLE records AS SELECT * FROM raw")
    db_api = DuckDBAPI(connection=con)
    rules: list[Any] = [
        block_on("birth_date"),
        block_on("given_names", "paternal_surname"),
        block_on("paternal_surname", "maternal_surname"),
        block_on("given_names", "maternal_surname"),
    ]
    linker = Linker(
        db_api.register("records"),
        SettingsCreator(
            link_type="dedupe_only",
            comparisons=[
                cl.NameComparison("given_names"),
                cl.NameComparison("paternal_surname"),
                cl.NameComparison("maternal_surname"),
                cl.DateOfBirthComparison("birth_date", input_is_string=True),
                cl.ExactMatch("sex"),
            ],
            blocking_rules_to_generate_predictions=rules,
            retain_matching_columns=False,
        ),
    )
    load = time.perf_counter() - started
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_names", "paternal_surname", "birth_date")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_names", "paternal_surname")
    )
    train = time.perf_counter() - started
    started = time.perf_counter()
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pyarrow_table()
    predict = time.perf_counter() - started
    started = time.perf_counter()
    clusters = cluster(
        truth,
        zip(
            pairs["unique_id_l"].to_pylist(),
            pairs["unique_id_r"].to_pylist(),
            pairs["match_probability"].to_pylist(),
            strict=True,
        ),
        THRESHOLD,
    )
    stages = {"load": load, "training": train, "prediction": predict}
    stages["cluster"] = time.perf_counter() - started
    figures = pairwise(truth, clusters)
    report("baseline", figures, stages, "")
    return figures["f1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200_000, 1_000_000])
    parser.add_argument(
        "--generator", nargs="+", choices=sorted(GENERATORS), default=list(GENERATORS)
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-clear", action="store_true")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    for name in args.generator:
        for size in args.sizes:
            records, truth = GENERATORS[name](size, seed=size)
            people = len(set(truth.values()))
            print(f"{name}: {len(records):,} records of {people:,} people", flush=True)
            f1 = enlace_run(records, truth, "encoded")
            if size <= 300_000 and not args.skip_clear:
                enlace_run(records, truth, "clear")
            if not args.skip_baseline:
                base = baseline_run(records, truth)
                print(f"  F1 gain over the baseline (encoded): {f1 - base:+.4f}", flush=True)


if __name__ == "__main__":
    main()
