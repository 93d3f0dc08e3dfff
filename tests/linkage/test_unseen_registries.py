"""Linkage on registries written apart from the model, with other names and other noise.

``linkage.synthetic`` is the generator the model was first written against;
these two (``linkage.generators``) were not: Colombian and Chilean name
frequencies with sound-alike spellings, and agencies' habits (capitals, cut
fields, initials, both surnames in one field, ages instead of dates).
"""

from __future__ import annotations

import pytest

from enlace.linkage import engine
from enlace.linkage.clusters import cluster, pairwise
from enlace.linkage.features import batch, row
from enlace.linkage.generators import GENERATORS
from enlace.linkage.services import UPPER


@pytest.mark.parametrize("generator", ["latam", "agencies"])
def test_it_counts_the_people_of_a_registry_it_was_not_tuned_on(generator: str) -> None:
    records, truth = GENERATORS[generator](4000, seed=3)
    with batch():
        rows = [row(r, "encoded", "test-linkage-key") for r in records]
    result = engine.link(rows, "encoded", threshold=UPPER, link=UPPER)
    pairs = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    within = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.within]
    figures = pairwise(truth, cluster(truth, pairs, UPPER, within=within))
    assert figures["precision"] >= 0.98
    assert figures["recall"] >= 0.9
    error = (figures["people_found"] - figures["people_true"]) / figures["people_true"]
    assert abs(error) <= 0.04
