"""Probabilistic record linkage: a Fellegi–Sunter model with Splink on DuckDB.

Input: comparison rows (``features.row``) in either mode; output: scored pairs
and the time and size of each stage. Nothing here touches the database of
the application, and in encoded mode nothing here sees a name.

The model is trained without labels on each run: the probability that two
random records match from the records that agree on a deterministic rule,
u-probabilities from random pairs, and m-probabilities by expectation
maximisation on two blocking passes (birth date, then a shared CURP or
passport, or all three names), so that each comparison is estimated in a pass
that does not block on it. Pairs at or above the link threshold that chain
records together have every other pair of the chain scored too, so that
``clusters.cluster`` can judge a group whole.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

# Splink exports no exception types of its own; training raises this one.
from splink.internals.exceptions import EMTrainingException

from enlace.linkage.bloom import BITS
from enlace.linkage.comparisons import WORDS, splink_comparisons
from enlace.linkage.features import BLOCKING_COLUMNS, EXACT_COLUMNS, FUZZY_COLUMNS, Mode
from enlace.linkage.rules import RULES

logger = logging.getLogger(__name__)

# Training uses at most this many records: m and u do not need more, and the
# model is then applied to all of them.
TRAINING_SAMPLE = 150_000


@dataclass
class Result:
    """Scored pairs above the lower threshold, and what it took to get them."""

    pairs: list[dict[str, Any]]
    stages: dict[str, float] = field(default_factory=dict)
    pairs_compared: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)
    # Every other pair of records that the link threshold's pairs chain into one
    # group, scored too (most below ``threshold``): what ``clusters.cluster``
    # needs to judge a cluster as a whole rather than by its strongest pair.
    within: list[dict[str, Any]] = field(default_factory=list)


def _load(con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]], mode: Mode) -> None:
    source = pa.Table.from_pylist(list(rows))
    if mode == "encoded":
        # Tokens only ever meet in equalities: as 64-bit hashes of themselves
        # they join and compare several times faster than as 64-character
        # strings (two different tokens share a hash with odds of about one
        # in 10^7 for a registry of a million).
        hashed = [
            f'CASE WHEN "{c}" IS NOT NULL THEN hash("{c}") END AS "{c}"'
            for c in (*EXACT_COLUMNS, *BLOCKING_COLUMNS)
        ]
        # Each encoding as 64-bit words (``comparisons.WORDS``): the levels
        # count an intersection word by word, several times faster than
        # making a bitstring for each pair.
        bits = []
        for column in FUZZY_COLUMNS:
            bits.append(f'bit_count("{column}_bf"::BIT) AS "{column}_pc"')
            source = _with_words(source, f"{column}_bf", column)
        # Both surnames as one encoding (``comparisons.surnames_bits``).
        surnames = (
            "CASE WHEN paternal_bf IS NOT NULL THEN paternal_bf::BIT"
            f" | coalesce(maternal_bf::BIT, bitstring('0', {BITS})) END"
        )
        bits += [
            f"bit_count({surnames}) AS surnames_pc",
            f"hash({surnames}) AS surnames",
        ]
        bits += [
            f'CASE WHEN paternal_bf IS NOT NULL THEN "paternal_w{i}"'
            f' | coalesce("maternal_w{i}", 0::UBIGINT) END AS "surnames_w{i}"'
            for i in range(WORDS)
        ]
        blobs = ", ".join(f'"{c}_bf"' for c in FUZZY_COLUMNS)
        select = f"* EXCLUDE ({blobs}) REPLACE ({', '.join(hashed)}), {', '.join(bits)}"
    else:
        select = (
            "*, CASE WHEN paternal IS NOT NULL THEN array_to_string(list_sort(string_split("
            "concat_ws(' ', paternal, maternal), ' ')), ' ') END AS surnames"
        )
    con.register("source", source)
    con.execute(f"CREATE OR REPLACE TABLE records AS SELECT {select} FROM source")  # noqa: S608
    con.unregister("source")


def _with_words(table: pa.Table, name: str, prefix: str) -> pa.Table:
    """The table with the encodings of column ``name`` as WORDS columns of 64-bit words."""
    values = table.column(name).to_pylist()
    missing = np.array([v is None for v in values], dtype=bool)
    empty = bytes(BITS // 8)
    joined = b"".join(empty if v is None else v for v in values)
    words = np.frombuffer(joined, dtype=np.uint64).reshape(len(values), WORDS)
    for i in range(WORDS):
        table = table.append_column(f"{prefix}_w{i}", pa.array(words[:, i], mask=missing))
    return table


def settings(mode: Mode) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=splink_comparisons(mode),
        blocking_rules_to_generate_predictions=list[Any]([rule.sql for rule in RULES]),
        # Only the probabilities are read: the per-comparison levels and
        # weights of a pair shown for review are recomputed in Python
        # (``scoring.score``) for the few pairs that need them.
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def link(
    rows: Sequence[Mapping[str, Any]],
    mode: Mode,
    *,
    threshold: float = 0.5,
    link: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Score every blocked pair; keep those with match probability ≥ ``threshold``.

    With ``link`` (the link threshold), also score every pair of records that
    pairs at or above it chain together (``Result.within``).
    """
    say = progress or (lambda _: None)
    result = Result(pairs=[])
    if len(rows) < 2:
        return result
    started = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        result.stages[name] = now - started
        started = now
        say(name)

    with _quiet():
        return _link(rows, mode, threshold, link, result, stage)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Splink narrates every step at INFO and warns of sampled counts: keep logs for Enlace."""
    splink = logging.getLogger("splink")
    level = splink.level
    splink.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        splink.setLevel(level)


def _link(
    rows: Sequence[Mapping[str, Any]],
    mode: Mode,
    threshold: float,
    link: float | None,
    result: Result,
    stage: Callable[[str], None],
) -> Result:
    con = duckdb.connect()
    _load(con, rows, mode)
    db_api = DuckDBAPI(connection=con)
    stage("load")

    counts = dict(_block(con))
    result.rule_counts = {rule.name: counts.get(k, 0) for k, rule in enumerate(RULES)}
    result.pairs_compared = sum(result.rule_counts.values())
    stage("blocking")

    linker = _trained(con, db_api, mode, len(rows))
    result.model = linker.misc.save_model_to_json()
    stage("training")

    linker.table_management.register_blocked_pairs_for_predict(db_api.register("blocked"))
    table = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    ).as_pyarrow_table()
    keep = ["record_id_l", "record_id_r", "match_probability", "match_weight"]
    result.pairs = table.select(keep).to_pylist()
    stage("prediction")
    if link is not None:
        within = _within(result.pairs, link)
        if within:
            source = pa.table(  # noqa: F841 - DuckDB reads it by name
                {
                    "match_key": ["0"] * len(within),
                    "join_key_l": [a for a, _b in within],
                    "join_key_r": [b for _a, b in within],
                }
            )
            con.execute("CREATE OR REPLACE TABLE within_pairs AS SELECT * FROM source")
            linker.table_management.register_blocked_pairs_for_predict(
                db_api.register("within_pairs")
            )
            table = linker.inference.predict(warning_mode="never").as_pyarrow_table()
            result.within = table.select(keep).to_pylist()
        stage("groups")
    return result


# Groups larger than this are left to their scored pairs: a chain that long
# is already suspect, and its pairs grow with the square of its size.
LARGEST_GROUP = 150


def _within(pairs: Sequence[Mapping[str, Any]], link: float) -> list[tuple[str, str]]:
    """The pairs of records chained by pairs at or above ``link`` that are not in ``pairs``."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p["match_probability"] >= link:
            a, b = root(p["record_id_l"]), root(p["record_id_r"])
            if a != b:
                parent[b] = a
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    scored = {(p["record_id_l"], p["record_id_r"]) for p in pairs}
    out = []
    for group in groups.values():
        if 2 < len(group) <= LARGEST_GROUP:
            for a, b in itertools.combinations(sorted(group), 2):
                if (a, b) not in scored:
                    out.append((a, b))
    return out


def _block(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """Make the table of pairs to compare, as Splink's ``predict`` takes them; return
    how many pairs each rule adds to those of the rules before it.

    Splink would join once per rule and test every pair against all earlier
    rules to drop duplicates: with twenty rules over a million records that
    costs more than scoring. Here each rule joins on its own and one
    aggregation drops the duplicates. A rule with different left and right
    columns joins in both directions.
    """
    joins = []
    for k, rule in enumerate(RULES):
        conditions = [rule.sql]
        if rule.right:
            conditions.append(_flipped(rule.sql))
        joins += [
            f"SELECT {k} AS rule, l.record_id AS l, r.record_id AS r FROM records l "  # noqa: S608
            f"JOIN records r ON {condition} WHERE l.record_id < r.record_id"
            for condition in conditions
        ]
    con.execute(
        "CREATE OR REPLACE TABLE blocked AS SELECT CAST(min(rule) AS VARCHAR) AS match_key, "  # noqa: S608 - constants
        f"l AS join_key_l, r AS join_key_r FROM ({' UNION ALL '.join(joins)}) GROUP BY l, r"
    )
    counts = con.execute("SELECT CAST(match_key AS INTEGER), count(*) FROM blocked GROUP BY 1")
    return [(int(k), int(n)) for k, n in counts.fetchall()]


def _flipped(sql: str) -> str:
    return sql.replace('l."', 'x."').replace('r."', 'l."').replace('x."', 'r."')


DETERMINISTIC: list[Any] = [block_on("curp"), block_on("dob", "given", "paternal")]


def _trained(con: duckdb.DuckDBPyConnection, db_api: DuckDBAPI, mode: Mode, size: int) -> Linker:
    """A linker for all records with a model trained, without labels, on (a sample of) them."""
    name = "records"
    if size > TRAINING_SAMPLE:
        name = "training"
        con.execute(
            "CREATE OR REPLACE TABLE training AS SELECT * FROM records "  # noqa: S608 - constants
            f"USING SAMPLE {TRAINING_SAMPLE} ROWS (reservoir, 7)"
        )
    trainer = _with_prior(Linker(db_api.register(name), settings(mode)), db_api, name, size)
    trainer.training.estimate_u_using_random_sampling(max_pairs=5e5, seed=1)
    # Names are estimated on pairs sharing a birth date, the rest on pairs
    # sharing a CURP or a passport where there are enough of them (nearly all
    # matches), else on pairs sharing all three names: two names alone are
    # shared by so many namesakes that the birth comparison learnt from them
    # takes two different birth dates for common among matches.
    for rule in (block_on("dob_set"), _second_pass(con, name)):
        before = trainer.misc.save_model_to_json()
        try:
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except (ValueError, EMTrainingException) as error:
            # Very clean data leave some levels never seen among likely matches
            # (m = 0), and a small registry may have no pair the rule blocks
            # (no two birth dates alike); the failed pass leaves the model
            # half-changed: go back to the model before it, with its starting values.
            logger.warning("A training pass was skipped: %s", error)
            trainer = Linker(db_api.register(name), before)
    if name == "records":
        return trainer
    linker = Linker(db_api.register("records"), trainer.misc.save_model_to_json())
    # How likely two random records are to match depends on how many there are.
    return _with_prior(linker, db_api, "records", size)


# Pairs sharing an identifier needed to learn from them rather than from names.
IDENTIFIED_PAIRS = 200


def _second_pass(con: duckdb.DuckDBPyConnection, table: str) -> Any:
    for column in ("curp", "passport"):
        [(pairs,)] = con.execute(
            f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM {table} "  # noqa: S608 - constants
            f'WHERE "{column}" IS NOT NULL GROUP BY "{column}")'
        ).fetchall()
        if pairs >= IDENTIFIED_PAIRS:
            return block_on(column)
    [(maternal,)] = con.execute(
        f"SELECT avg((maternal IS NOT NULL)::INT) FROM {table}"  # noqa: S608 - constants
    ).fetchall()
    # A registry that seldom records a maternal surname has two names to share.
    names = ["given", "paternal", "maternal"] if (maternal or 0) >= 0.5 else ["given", "paternal"]
    return block_on(*names)


def _with_prior(linker: Linker, db_api: DuckDBAPI, name: str, size: int) -> Linker:
    """The linker with the probability that two random records match, from the deterministic rules.

    A small registry may have no deterministic match (the estimate is 0, whose
    logarithm scoring cannot take) or nothing but matches (Splink refuses the
    estimate): the prior is then kept between one pair in all and all pairs but one.
    """
    with contextlib.suppress(ValueError):
        linker.training.estimate_probability_two_random_records_match(DETERMINISTIC, recall=0.8)
    model = linker.misc.save_model_to_json()
    pairs = max(size * (size - 1) // 2, 1)
    prior = model["probability_two_random_records_match"]
    bounded = min(max(prior, 1 / (pairs + 1)), pairs / (pairs + 1))
    if bounded == prior:
        return linker
    model["probability_two_random_records_match"] = bounded
    return Linker(db_api.register(name), model)


def blocking_recall_estimate(
    rows: Mapping[str, Mapping[str, Any]], matches: Iterable[tuple[str, str]]
) -> dict[str, float]:
    """How much of the true matches the blocking rules reach, estimated without labels.

    For each rule, its recall is estimated as the share of the matches the
    other rules found that it finds too; assuming the rules miss pairs
    independently, the share no rule finds is the product of their misses.
    Returns each rule's estimate and the ``overall`` one. The true figure
    needs labels: ``bench/linkage.py`` prints it beside this estimate.
    """
    caught = [[rule.agrees(rows[a], rows[b]) for rule in RULES] for a, b in matches]
    out: dict[str, float] = {}
    missed_by_all = 1.0
    for k, rule in enumerate(RULES):
        others = [c for c in caught if any(c[:k] + c[k + 1 :])]
        recall = sum(c[k] for c in others) / len(others) if others else 0.0
        out[rule.name] = recall
        missed_by_all *= 1 - recall
    out["overall"] = 1 - missed_by_all
    return out
