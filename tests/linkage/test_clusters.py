from __future__ import annotations

from enlace.linkage.clusters import cluster, pairwise

IDS = ["a", "b", "c", "d"]


def test_pairs_above_the_threshold_join_and_the_strongest_probability_is_kept() -> None:
    found = cluster(IDS, [("a", "b", 0.95), ("b", "c", 0.8), ("c", "d", 0.4)], 0.7)
    assert {found[x].cluster_id for x in "abc"} == {"a"} and found["d"].cluster_id == "d"
    assert found["b"].probability == 0.95 and found["c"].probability == 0.8
    assert found["d"].probability is None


def test_a_merge_joins_below_the_threshold() -> None:
    found = cluster(IDS, [("c", "d", 0.4)], 0.7, merges=[("c", "d")])
    assert found["c"].cluster_id == found["d"].cluster_id == "c"


def test_a_split_keeps_two_records_apart_even_through_a_chain() -> None:
    pairs = [("a", "b", 0.99), ("b", "c", 0.98)]
    found = cluster(IDS, pairs, 0.7, splits=[("a", "c")])
    assert found["a"].cluster_id == found["b"].cluster_id
    assert found["c"].cluster_id != found["a"].cluster_id


def test_pairwise_figures_count_pairs() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    found = cluster(IDS, [("a", "b", 0.9), ("c", "d", 0.9)], 0.5)
    figures = pairwise(truth, found)
    # Found pairs: ab, cd; true pairs: ab, ac, bc.
    assert figures["precision"] == 0.5 and figures["recall"] == 1 / 3
    assert figures["people_found"] == 2 and figures["people_true"] == 2


def test_a_record_like_one_member_and_unlike_the_rest_stays_apart() -> None:
    # c matches a, but not b, a's strong match: a near namesake of the pair.
    pairs = [("a", "b", 0.99), ("a", "c", 0.9)]
    apart = cluster(IDS, pairs, 0.7, within=[("b", "c", 0.01)])
    assert apart["a"].cluster_id == apart["b"].cluster_id != apart["c"].cluster_id
    # Without the score of b and c, the one pair decides.
    assert len({m.cluster_id for m in cluster(IDS, pairs, 0.7).values()}) == 2
