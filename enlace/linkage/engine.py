"""Probabilistic record linkage: a Fellegi–Sunter model with Splink on DuckDB.

Input: comparison rows (``features.row``) in either mode; output: scored pairs
and the time and size of each stage. Nothing here touches the database of
the application, and in encoded mode nothing here sees a name.

The model is trained without labels on each run: the probability that two
random records match from the records that agree on a deterministic rule,
u-probabilities from random pairs, and m-probabilities by expectation
maximisation on two blocking passes (birth date, then names), so that each
comparison is estimated in a pass that does not block on it.
"""

from __future__ import annotations

import contextlib
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from enlace.linkage.comparisons import splink_comparisons
from enlace.linkage.features import Mode

logger = logging.getLogger(__name__)

# Training uses at most this many records: m and u do not need more, and the
# model is then applied to all of them.
TRAINING_SAMPLE = 150_000


@dataclass(frozen=True)
class Rule:
    """A blocking rule: pairs that agree on ``left`` columns against ``right`` ones."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...] = ()
    # Columns that must not disagree: equal, or missing on either side.
    compatible: tuple[str, ...] = ()

    @property
    def sql(self) -> str:
        right = self.right or self.left
        equal = [f'l."{a}" = r."{b}"' for a, b in zip(self.left, right, strict=True)]
        fits = [
            f'(l."{c}" = r."{c}" OR l."{c}" IS NULL OR r."{c}" IS NULL)' for c in self.compatible
        ]
        return " AND ".join(equal + fits)

    def agrees(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        right = self.right or self.left
        if any(a[c] is not None and b[c] is not None and a[c] != b[c] for c in self.compatible):
            return False
        return all(
            a[x] is not None and a[x] == b[y] for x, y in zip(self.left, right, strict=True)
        ) or (
            bool(self.right)
            and all(
                b[x] is not None and b[x] == a[y] for x, y in zip(self.left, right, strict=True)
            )
        )


# Chosen for recall: each rule catches the pairs the others miss when a field
# is wrong or absent (a typo in a surname, a date that is only an estimated
# year, names swapped). Pairs no rule produces are never compared.
RULES = (
    Rule("CURP", ("curp",)),
    Rule("passport", ("passport",)),
    Rule("birth date (sex not different)", ("dob",), compatible=("sex",)),
    Rule("birth date and given names", ("dob_set", "given")),
    Rule("birth date and paternal surname", ("dob_set", "paternal")),
    Rule("birth date and maternal surname", ("dob_set", "maternal")),
    Rule(
        "given names and paternal surname (maternal not different)",
        ("given", "paternal"),
        compatible=("maternal",),
    ),
    # Birth years in two-year bands, twice offset: years a year apart (an
    # estimated age) share at least one band.
    *(
        Rule(f"{label} and birth year ({band})", (*names, f"birth_year_{band}"))
        for label, names in (
            ("given names and paternal surname", ("given", "paternal")),
            ("given names and maternal surname", ("given", "maternal")),
            ("both surnames", ("paternal", "maternal")),
        )
        for band in ("even", "odd")
    ),
    Rule("given name and surname swapped", ("given", "paternal"), ("paternal", "given")),
)


@dataclass
class Result:
    """Scored pairs above the lower threshold, and what it took to get them."""

    pairs: list[dict[str, Any]]
    stages: dict[str, float] = field(default_factory=dict)
    pairs_compared: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict)


def _load(con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]], mode: Mode) -> None:
    source = pa.Table.from_pylist(list(rows))  # noqa: F841 - DuckDB reads it by name
    select = "*"
    if mode == "encoded":
        bits = []
        for column in ("given", "paternal", "maternal", "dob"):
            bits.append(f'"{column}_bf"::BIT AS "{column}_bf"')
            bits.append(f'bit_count("{column}_bf"::BIT) AS "{column}_pc"')
        blobs = ", ".join(f'"{c}_bf"' for c in ("given", "paternal", "maternal", "dob"))
        select = f"* EXCLUDE ({blobs}), {', '.join(bits)}"
    con.execute(f"CREATE OR REPLACE TABLE records AS SELECT {select} FROM source")  # noqa: S608


def settings(mode: Mode) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=splink_comparisons(mode),
        blocking_rules_to_generate_predictions=list[Any]([rule.sql for rule in RULES]),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def link(
    rows: Sequence[Mapping[str, Any]],
    mode: Mode,
    *,
    threshold: float = 0.5,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Score every blocked pair; keep those with match probability ≥ ``threshold``."""
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
        return _link(rows, mode, threshold, result, stage)


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
    result: Result,
    stage: Callable[[str], None],
) -> Result:
    con = duckdb.connect()
    _load(con, rows, mode)
    db_api = DuckDBAPI(connection=con)
    records = db_api.register("records")
    stage("load")

    sample = 1.0 if len(rows) <= 100_000 else 0.1
    counts = count_comparisons_from_blocking_rules(
        records,
        blocking_rules=[rule.sql for rule in RULES],
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        record_sample_proportion=sample,
    )
    result.rule_counts = {
        rule.name: int(count["marginal_comparison_count"])
        for rule, count in zip(RULES, counts, strict=True)
    }
    result.pairs_compared = sum(result.rule_counts.values())
    stage("blocking")

    linker = _trained(con, db_api, mode, len(rows))
    result.model = linker.misc.save_model_to_json()
    stage("training")

    table = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    ).as_pyarrow_table()
    columns = [c for c in table.column_names if c.startswith(("gamma_", "bf_"))]
    keep = ["record_id_l", "record_id_r", "match_probability", "match_weight"]
    result.pairs = table.select(keep + columns).to_pylist()
    stage("prediction")
    return result


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
    trainer = Linker(db_api.register(name), settings(mode))
    trainer.training.estimate_probability_two_random_records_match(DETERMINISTIC, recall=0.8)
    trainer.training.estimate_u_using_random_sampling(max_pairs=5e5, seed=1)
    for rule in (block_on("dob_set"), block_on("given", "paternal")):
        before = trainer.misc.save_model_to_json()
        try:
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except ValueError as error:
            # Very clean data leave some levels never seen among likely matches
            # (m = 0), and the failed pass leaves the model half-changed: go
            # back to the model before it, with its starting values.
            logger.warning("A training pass was skipped: %s", error)
            trainer = Linker(db_api.register(name), before)
    if name == "records":
        return trainer
    linker = Linker(db_api.register("records"), trainer.misc.save_model_to_json())
    # How likely two random records are to match depends on how many there are.
    linker.training.estimate_probability_two_random_records_match(DETERMINISTIC, recall=0.8)
    return linker


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
