from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.linkage import engine
from enlace.linkage.clusters import cluster
from enlace.linkage.features import MODES, batch
from enlace.linkage.features import rows as features_rows
from enlace.linkage.records_file import (
    Problems,
    RecordsFileError,
    read_records,
    write_clusters,
)
from enlace.linkage.services import UPPER


class Command(BaseCommand):
    help = (
        "Link the records of a CSV file into people: writes record_id,cluster_id,"
        "match_probability. Columns (any subset, with record_id): "
        "record_id, source, given_names, paternal_surname, maternal_surname, sex, "
        "birth_date, age, recorded_on, nationality, curp, jurisdiction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--mode", choices=MODES, default="encoded")
        parser.add_argument("--threshold", type=float, default=UPPER)

    @batch()
    def handle(self, *args: Any, **options: Any) -> None:
        mode = options["mode"]
        try:
            records, problems = read_records(options["input"])
        except (RecordsFileError, UnicodeDecodeError) as error:
            raise CommandError(f"{options['input']}: {error}") from error
        except OSError as error:
            raise CommandError(f"{options['input']}: {error.strerror}") from error
        if not records:
            write_clusters(options["output"], [], {})
            self._summary(problems, len(records))
            return
        started = time.perf_counter()
        rows: list[dict[str, Any]] = []
        step = max(1, len(records) // 50)
        for start in range(0, len(records), step):
            rows += features_rows(records[start : start + step], mode, settings.LINKAGE_KEY)
            self._bar("encoding" if mode == "encoded" else "normalising", len(rows), len(records))
        stages = {"read and encode": time.perf_counter() - started}

        result = engine.link(
            rows,
            mode,
            threshold=options["threshold"],
            link=options["threshold"],
            progress=lambda stage: self.stderr.write(f"  {stage} done"),
        )
        started = time.perf_counter()
        pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
        within = [
            (p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.within
        ]
        clusters = cluster(
            [r.record_id for r in records], pairs, options["threshold"], within=within
        )
        write_clusters(options["output"], records, clusters)
        stages.update(result.stages)
        stages["cluster and write"] = time.perf_counter() - started

        by_id = {r["record_id"]: r for r in rows}
        recall = engine.blocking_recall_estimate(by_id, [(a, b) for a, b, _p in pairs])
        people = len({m.cluster_id for m in clusters.values()})
        out = self.stdout.write
        out(f"{len(records)} records, {people} people, {len(pairs)} pairs linked.")
        out(f"Pairs compared: {result.pairs_compared}")
        for rule, n in result.rule_counts.items():
            out(f"  {n:>10}  {rule} (recall estimate {recall[rule]:.3f})")
        out(f"Blocking recall, estimated without labels: {recall['overall']:.4f}")
        out("Seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        self._summary(problems, len(records))

    def _summary(self, problems: Problems, linked: int) -> None:
        # Column names, counts and row numbers only: the output may be shared
        # with someone who must not see a person's values.
        lines = problems.lines()
        if not lines:
            self.stdout.write(f"All values usable; {linked} records linked.")
            return
        self.stdout.write(
            f"Values treated as unknown ({linked} records linked; "
            "skipped rows are not in the output):"
        )
        for line in lines:
            self.stdout.write(f"  {line}")

    def _bar(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        end = "\n" if done == total else ""
        sys.stderr.write(
            f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}"
        )
        sys.stderr.flush()
