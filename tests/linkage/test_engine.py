"""The matching model on invented registries with known truth (DuckDB in memory, no database)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from enlace.linkage import engine, synthetic
from enlace.linkage.clusters import cluster, pairwise
from enlace.linkage.features import MODES, Mode, row
from enlace.linkage.scoring import score

KEY = "test-linkage-key"


@pytest.fixture(scope="module")
def registry() -> tuple[list[Any], dict[str, int]]:
    return synthetic.registry(4000, seed=11)


@pytest.fixture(scope="module")
def results(registry: Any) -> dict[Mode, tuple[list[dict[str, Any]], engine.Result]]:
    records, _truth = registry
    out = {}
    for mode in MODES:
        rows = [row(r, mode, KEY) for r in records]
        out[mode] = rows, engine.link(rows, mode, threshold=0.01)
    return out


@pytest.fixture(params=MODES)
def linked(request: Any, results: Any) -> tuple[Mode, list[dict[str, Any]], engine.Result]:
    return request.param, *results[request.param]


def test_linkage_finds_the_people_behind_the_records(registry: Any, linked: Any) -> None:
    _records, truth = registry
    _mode, _rows, result = linked
    pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    figures = pairwise(truth, cluster(truth, pairs, 0.7))
    assert figures["precision"] > 0.97 and figures["recall"] > 0.93
    error = abs(figures["people_found"] - figures["people_true"]) / figures["people_true"]
    assert error < 0.03
    assert result.pairs_compared > 0 and set(result.stages) >= {"training", "prediction"}


def test_python_scoring_gives_splinks_match_weights(results: Any) -> None:
    # The write-time matcher and the review page score encodings in Python;
    # the national run scores them in SQL. Both must say the same of every pair.
    rows, result = results["encoded"]
    by_id = {r["record_id"]: r for r in rows}
    counts = {c: Counter(r[c] for r in rows if r[c]) for c in ("given", "paternal", "maternal")}

    def share(column: str, value: Any) -> float:
        return counts[column][value] / sum(counts[column].values())

    for p in result.pairs:
        found = score(by_id[p["record_id_l"]], by_id[p["record_id_r"]], result.model, share)
        assert found.weight == pytest.approx(p["match_weight"], abs=1e-6)
        assert found.probability == pytest.approx(p["match_probability"], abs=1e-6)


def test_the_review_pattern_names_levels_and_weights_never_values(results: Any) -> None:
    rows, result = results["encoded"]
    by_id = {r["record_id"]: r for r in rows}
    p = result.pairs[0]
    found = score(by_id[p["record_id_l"]], by_id[p["record_id_r"]], result.model)
    assert set(found.pattern) <= {
        "curp",
        "passport",
        "given",
        "paternal",
        "maternal",
        "birth",
        "sex",
        "nationality",
    }
    for entry in found.pattern.values():
        assert set(entry) == {"level", "weight"}


def test_the_blocking_recall_estimate_is_near_the_truth(registry: Any, linked: Any) -> None:
    _records, truth = registry
    _mode, rows, result = linked
    by_id = {r["record_id"]: r for r in rows}
    matches = [
        (p["record_id_l"], p["record_id_r"]) for p in result.pairs if p["match_probability"] >= 0.7
    ]
    estimate = engine.blocking_recall_estimate(by_id, matches)["overall"]
    groups: dict[int, list[str]] = {}
    for record, person in truth.items():
        groups.setdefault(person, []).append(record)
    true_pairs = [(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]]
    actual = sum(any(r.agrees(by_id[a], by_id[b]) for r in engine.RULES) for a, b in true_pairs)
    assert abs(estimate - actual / len(true_pairs)) < 0.05


def test_too_few_records_link_nothing() -> None:
    assert engine.link([], "clear").pairs == []


@pytest.mark.parametrize("mode", MODES)
def test_blocking_compares_exactly_the_pairs_some_rule_agrees_on(mode: Mode) -> None:
    # The rules are written twice, as SQL for the national run and in Python
    # for the recall estimates: both must pick the same pairs.
    import duckdb

    records, _truth = synthetic.registry(300, seed=5)
    rows = [row(r, mode, KEY) for r in records]
    con = duckdb.connect()
    engine._load(con, rows, mode)
    counts = dict(engine._block(con))
    blocked = {
        tuple(sorted(p))
        for p in con.execute("SELECT join_key_l, join_key_r FROM blocked").fetchall()
    }
    expected = {
        tuple(sorted((a["record_id"], b["record_id"])))
        for i, a in enumerate(rows)
        for b in rows[i + 1 :]
        if any(rule.agrees(a, b) for rule in engine.RULES)
    }
    assert blocked == expected and sum(counts.values()) == len(blocked)
