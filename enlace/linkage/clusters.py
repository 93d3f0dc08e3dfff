"""From scored pairs to clusters (one cluster, one person), respecting reviewers. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Membership:
    cluster_id: str
    # The highest probability that joined the record to its cluster; None alone.
    probability: float | None


def cluster(
    record_ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    threshold: float,
    *,
    merges: Iterable[tuple[str, str]] = (),
    splits: Iterable[tuple[str, str]] = (),
    within: Iterable[tuple[str, str, float]] = (),
) -> dict[str, Membership]:
    """Join records by pairs at or above ``threshold``, strongest first.

    Two groups join only when the pairs scored between them hold on average
    (mean probability at or above ``threshold``), not on the strength of one
    pair: a record that matches one member of a group strongly and the others
    poorly is a near namesake, and a chain of such pairs would join different
    people. ``within`` adds scores of pairs that only inform that average
    (``engine.Result.within``: the other pairs inside a chain).

    A reviewer's merge joins two records whatever their score; a reviewer's
    split keeps two records apart: a pair that would put them in one cluster
    is skipped, even when other pairs lead there. The cluster id is the
    smallest record id in the cluster.
    """
    pairs = list(pairs)
    parent: dict[str, str] = {r: r for r in record_ids}
    size: dict[str, int] = dict.fromkeys(parent, 1)
    members: dict[str, list[str]] = {}
    known: dict[tuple[str, str], float] = {}
    for a, b, probability in (*pairs, *within):
        known[(a, b) if a < b else (b, a)] = probability
    best: dict[str, float] = {}
    # Only records under a split decision are tracked: for each cluster root,
    # the constrained records it holds and the records it must not take in.
    holds: dict[str, set[str]] = {}
    refuses: dict[str, set[str]] = {}
    for a, b in splits:
        if a in parent and b in parent:
            holds.setdefault(a, set()).add(a)
            holds.setdefault(b, set()).add(b)
            refuses.setdefault(a, set()).add(b)
            refuses.setdefault(b, set()).add(a)

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def alike(ra: str, rb: str) -> bool:
        scores = [
            p
            for x in members.get(ra, [ra])
            for y in members.get(rb, [rb])
            if (p := known.get((x, y) if x < y else (y, x))) is not None
        ]
        return sum(scores) >= threshold * len(scores)

    def join(a: str, b: str, probability: float, *, decided: bool = False) -> None:
        ra, rb = root(a), root(b)
        if ra == rb:
            return
        if not decided and size[ra] * size[rb] > 1 and not alike(ra, rb):
            return
        if refuses and (
            refuses.get(ra, set()) & holds.get(rb, set())
            or refuses.get(rb, set()) & holds.get(ra, set())
        ):
            return
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
        members.setdefault(ra, [ra]).extend(members.pop(rb, [rb]))
        if rb in holds:
            holds.setdefault(ra, set()).update(holds.pop(rb))
            refuses.setdefault(ra, set()).update(refuses.pop(rb))
        for x in (a, b):
            if probability > best.get(x, 0.0):
                best[x] = probability

    for a, b in merges:
        if a in parent and b in parent:
            join(a, b, 1.0, decided=True)
    for a, b, probability in sorted(pairs, key=lambda p: -p[2]):
        if probability < threshold:
            break
        join(a, b, probability)

    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    out: dict[str, Membership] = {}
    for group in groups.values():
        cluster_id = min(group)
        for x in group:
            out[x] = Membership(cluster_id, best.get(x))
    return out


def pairwise(truth: Mapping[str, object], clusters: Mapping[str, Membership]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of clusters against the true person of each record."""
    true_groups: dict[object, list[str]] = {}
    found_groups: dict[str, list[str]] = {}
    for record, person in truth.items():
        true_groups.setdefault(person, []).append(record)
        found_groups.setdefault(clusters[record].cluster_id, []).append(record)

    def pairs(groups: Iterable[list[str]]) -> int:
        return sum(len(g) * (len(g) - 1) // 2 for g in groups)

    both: dict[tuple[object, str], int] = {}
    for record, person in truth.items():
        k = (person, clusters[record].cluster_id)
        both[k] = both.get(k, 0) + 1
    agree = sum(n * (n - 1) // 2 for n in both.values())
    found, true = pairs(found_groups.values()), pairs(true_groups.values())
    precision = agree / found if found else 1.0
    recall = agree / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "people_true": len(true_groups),
        "people_found": len(found_groups),
    }
