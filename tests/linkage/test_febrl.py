"""FEBRL3 and FEBRL4, the standard benchmarks, at the link threshold the registry uses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from enlace.linkage import engine
from enlace.linkage.clusters import cluster, pairwise
from enlace.linkage.features import Mode, batch, row
from enlace.linkage.services import UPPER

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from febrl import febrl3, febrl4

TARGET: dict[Mode, float] = {"clear": 0.99, "encoded": 0.98}


@pytest.mark.slow
@pytest.mark.parametrize("dataset", [febrl3, febrl4], ids=["FEBRL3", "FEBRL4"])
@pytest.mark.parametrize("mode", ["clear", "encoded"])
def test_pairwise_f1_reaches_the_target(dataset: object, mode: Mode) -> None:
    records, truth = dataset()  # type: ignore[operator]
    with batch():
        rows = [row(r, mode, "test-linkage-key") for r in records]
    result = engine.link(rows, mode, threshold=UPPER)
    pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    assert pairwise(truth, cluster(truth, pairs, UPPER))["f1"] >= TARGET[mode]
