"""Where the encoded prediction stage spends its time, and what a rewrite of its SQL saves.

    .venv/bin/python bench/linkage_prediction.py [200000] [--rounds 2]

Links one ``mexico`` registry as ``engine.link`` does up to prediction,
captures the SQL Splink runs to score the blocked pairs, and times that
query beside rewrites of it, in turn in one process (the machine is shared:
only these ratios mean anything):

- ``as is``: Splink's query, each level's Dice similarity written inline
  (an intersection counted over the encodings' sixteen 64-bit words), so the
  intersection of the same two encodings is counted up to five times for a
  pair (the swapped-names level repeats in two comparisons, the
  both-surnames level in two);
- ``once``: the seven distinct intersections counted once per pair in a
  step before the comparison levels, which read them;
- ``no Bloom``: every intersection replaced by a constant, so the levels
  give other answers: the floor that the join and the weights cost.

``once`` must find the same pairs with the same weights (checked). The
capture reads Splink's generated SQL through a private method of its DuckDB
API, so this bench is a diagnosis, not code to copy into Enlace.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from typing import Any

import django

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import duckdb  # noqa: E402
from splink import DuckDBAPI  # noqa: E402

from enlace.linkage import engine  # noqa: E402
from enlace.linkage.features import rows as features_rows  # noqa: E402
from enlace.linkage.generators import GENERATORS  # noqa: E402

KEY = "benchmark-linkage-key"
# An intersection as ``comparisons._intersection`` writes it.
INTERSECTION = re.compile(
    r'\(bit_count\("(\w+)_w0_l" & "(\w+)_w0_r"\)(?: \+ bit_count\("\w+_w\d+_l" & "\w+_w\d+_r"\))*\)'
)


def captured(rows: list[dict[str, Any]]) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    """The connection after prediction, and every SQL statement prediction ran."""
    con = duckdb.connect()
    engine._load(con, rows, "encoded")
    db_api = DuckDBAPI(connection=con)
    engine._block(con)
    statements: list[str] = []
    with engine._quiet():
        linker = engine._trained(con, db_api, "encoded", len(rows))
        linker.table_management.register_blocked_pairs_for_predict(db_api.register("blocked"))
        execute = db_api._execute_sql_against_backend

        def logged(sql: str) -> Any:
            statements.append(sql)
            return execute(sql)

        db_api._execute_sql_against_backend = logged  # type: ignore[method-assign,assignment]
        linker.inference.predict(threshold_match_probability=0.1, warning_mode="never")
        db_api._execute_sql_against_backend = execute  # type: ignore[method-assign]
    return con, statements


def variants(con: duckdb.DuckDBPyConnection, statements: list[str]) -> dict[str, str]:
    # Splink drops the pruned inputs after predicting: make them again.
    for sql in statements:
        if sql.strip().startswith("CREATE TABLE __splink__df_pruned"):
            con.execute(sql)
    final = [s for s in statements if s.strip().startswith("CREATE TABLE __splink__df_predict")]
    body = final[-1].split(" AS\n", 1)[1]
    head, vectors = body.split("__splink__df_comparison_vectors as (", 1)
    vectors, tail = vectors.split("__splink__df_match_weight_parts as (", 1)
    found = {m[0]: (m[1], m[2]) for m in INTERSECTION.finditer(vectors)}
    counted = ", ".join(f'{sql} AS "i_{a}_{b}"' for sql, (a, b) in sorted(found.items()))
    levels = INTERSECTION.sub(lambda m: f'"i_{m[1]}_{m[2]}"', vectors)
    levels = levels.replace("from blocked_with_cols", "from counted")
    once = (
        f"{head}counted as (select *, {counted} from blocked_with_cols),\n"
        f"__splink__df_comparison_vectors as ({levels}"
        f"__splink__df_match_weight_parts as ({tail}"
    )
    floor = INTERSECTION.sub(lambda m: f'"{m[1]}_pc_l"', body)
    return {"as is": body, "once": once, "no Bloom": floor}


def timed(con: duckdb.DuckDBPyConnection, sql: str, profile: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run, as DuckDB's profiler counts them."""
    con.execute("PRAGMA enable_profiling='json'")
    con.execute(f"PRAGMA profiling_output='{profile}'")
    con.execute(f"CREATE OR REPLACE TABLE scored AS {sql}")
    con.execute("PRAGMA disable_profiling")
    with open(profile) as f:
        query = json.load(f)["query"]
    return query["total_time"], query["cpu_time"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    records, _truth = GENERATORS["mexico"](args.size, seed=args.size)
    rows = features_rows(records, "encoded", KEY)
    con, statements = captured(rows)
    [(pairs,)] = con.execute("SELECT count(*) FROM blocked").fetchall()
    print(f"mexico: {len(rows):,} records, {pairs:,} pairs scored", flush=True)
    queries = variants(con, statements)
    reference = None
    best: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for name, sql in queries.items():
                wall, cpu = timed(con, sql, os.path.join(folder, "profile.json"))
                found = con.execute(
                    "SELECT count(*), round(sum(match_weight), 6) FROM scored"
                ).fetchall()
                if reference is None:
                    reference = found
                same = "same pairs" if found == reference else "other pairs"
                print(f"  {name:<12} wall {wall:6.2f} s  cpu {cpu:6.2f} s  {same}", flush=True)
                old = best.get(name, (float("inf"), float("inf")))
                best[name] = (min(old[0], wall), min(old[1], cpu))
    base = best["as is"]
    print("best of the rounds, as a share of the query as is (wall, cpu):")
    for name, (wall, cpu) in best.items():
        print(f"  {name:<12} {wall / base[0]:.2f}  {cpu / base[1]:.2f}")


if __name__ == "__main__":
    main()
