"""Linkage writes: encodings and matching at every identity write, and national runs.

Reviewers' decisions are in ``review.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record
from enlace.linkage import engine
from enlace.linkage.candidates import candidate_ids
from enlace.linkage.clusters import cluster
from enlace.linkage.comparisons import fits
from enlace.linkage.features import (
    BLOCKING_COLUMNS,
    EXACT_COLUMNS,
    Record,
    batch,
    estimated_birth_year,
    row,
    year_bands,
)
from enlace.linkage.models import Encoding, LinkageRun, MatchPair
from enlace.linkage.scoring import Score, score
from enlace.linkage.selectors import latest_run
from enlace.registry.models import Identification, Identity, Person, Sex
from enlace.registry.services import unused_person_ids

# The link threshold where pairwise F1 peaks on FEBRL3, FEBRL4 and the invented
# Mexican registries (bench/febrl.py, bench/linkage.py); pairs from LOWER up
# to it go to review.
UPPER = 0.4
LOWER = 0.2
TOKENS = (*EXACT_COLUMNS, *BLOCKING_COLUMNS)
BLOOMS = ("given_bf", "paternal_bf", "maternal_bf", "dob_bf")
SEX = {Sex.FEMALE: "F", Sex.MALE: "M"}


def identity_record(identity: Identity) -> Record:
    """The identifiers of a vault entry as a record to link, keyed by the person's pk."""
    return Record(
        record_id=str(identity.person_id),
        given_names=identity.given_names,
        paternal_surname=identity.paternal_surname,
        maternal_surname=identity.maternal_surname,
        birth_date=identity.birth_date,
        curp=identity.curp,
        passport_number=identity.passport_number,
    )


def encoding_store(*, person: Person, identity: Identity) -> Encoding:
    """Write the person's encoding from the identity just saved; part of every identity write."""
    values = row(identity_record(identity), "encoded", settings.LINKAGE_KEY)
    fields = {k: values[k] for k in TOKENS + BLOOMS}
    if values["birth_year"] is not None:
        fields.update(birth_year=values["birth_year"], birth_year_exact=True)
    else:
        # Keep a year estimated from an age; a date, once known, replaces it.
        fields.update(birth_year_exact=False)
        estimate = _estimated_birth_years([person.pk]).get(person.pk)
        fields.update(birth_year=estimate)
    encoding, _created = Encoding.objects.update_or_create(person=person, defaults=fields)
    return encoding


def encodings_agree_with_key(key: str) -> bool | None:
    """Whether ``key`` makes of a stored identity the tokens stored for it; None if none is.

    Checked when a database gets its key check: one that already holds
    encodings (an upgrade) must record the key they were made with.
    """
    encoding = (
        Encoding.objects.filter(person__identity__erased_at=None)
        .select_related("person__identity")
        .order_by("pk")
        .first()
    )
    if encoding is None:
        return None
    made = row(identity_record(encoding.person.identity), "encoded", key)
    stored = {c: getattr(encoding, c) for c in TOKENS if getattr(encoding, c) is not None}
    return all(made[c] == value for c, value in stored.items())


@batch()
@transaction.atomic
def encodings_rebuild(*, actor: Any) -> int:
    """Encode every identity again: after the linkage key changes, or to fill a new registry.

    Runs as a national analyst, who never sees the identities it reads.
    """
    require(actor, Action.LINKAGE_RUN)
    count = 0
    # An erased identity has no encoding: it must not join anyone again.
    not_erased = Identity.objects.filter(erased_at=None)
    for identity in not_erased.select_related("person").iterator(chunk_size=2000):
        encoding_store(person=identity.person, identity=identity)
        count += 1
    audit_record(
        actor=actor,
        action="linkage.encode",
        obj=Encoding(),  # all of them
        after={"identities": count},
    )
    return count


def exact_keys(values: Mapping[str, Any]) -> set[str]:
    """Keys on which two records are one person before any model is trained:
    the CURP, or every name with the birth date."""
    keys = set()
    if values.get("curp"):
        keys.add(f"curp|{values['curp']}")
    if values.get("given") and values.get("paternal") and values.get("dob"):
        names = (values["given"], values["paternal"], values["maternal"] or "", values["dob"])
        keys.add("names|" + "|".join(names))
    return keys


def comparison_rows(encodings: Iterable[Encoding | dict[str, Any]]) -> list[dict[str, Any]]:
    """Encodings as the rows the engine compares, with the person's statistical variables."""
    rows = []
    for e in encodings:
        values = e if isinstance(e, dict) else _values(e)
        year = values["birth_year"]
        rows.append(
            {
                "record_id": str(values["person_id"]),
                "source": values["person__registered_by__code"],
                **{k: values[k] for k in TOKENS},
                **{k: bytes(values[k]) if values[k] is not None else None for k in BLOOMS},
                "sex": SEX.get(values["person__sex"]),
                "nationality": values["person__nationality__iso3"],
                "jurisdiction": None,
                "birth_year": year,
                "birth_year_exact": values["birth_year_exact"],
                **year_bands(year),
            }
        )
    return rows


VALUES = (
    "person_id",
    "person__registered_by__code",
    "person__sex",
    "person__nationality__iso3",
    "birth_year",
    "birth_year_exact",
    *TOKENS,
    *BLOOMS,
)


def _values(encoding: Encoding) -> dict[str, Any]:
    return Encoding.objects.filter(pk=encoding.pk).values(*VALUES).get()


def _estimated_birth_years(person_ids: Iterable[int]) -> dict[int, int]:
    """A birth year from the age at the earliest identification, where there is no date."""
    rows = Identification.objects.filter(
        age_at_identification__isnull=False, person_id__in=list(person_ids)
    )
    years: dict[int, int] = {}
    for person_id, on, age in rows.order_by("-identified_on").values_list(
        "person_id", "identified_on", "age_at_identification"
    ):
        if age is not None:
            years[person_id] = estimated_birth_year(age, on)
    return years


def registry_rows() -> list[dict[str, Any]]:
    return comparison_rows(Encoding.objects.values(*VALUES).order_by("person_id").iterator())


# --- write time -------------------------------------------------------------------


def match_new(*, person: Person) -> list[MatchPair]:
    """Match one record against the registry as it is written.

    Candidates are the records sharing a blocking key with it. They are
    scored with the latest run's model: at or above the link threshold the
    record joins their national person, in the review band a pair goes to
    review. Before any run, records sharing a CURP, or names and birth date,
    link. Returns the pairs sent to review. The caseworker is told no more
    than that the person may be known elsewhere.
    """
    try:
        encoding = Encoding.objects.get(person=person)
    except Encoding.DoesNotExist:
        return []
    [me] = comparison_rows([_values(encoding)])
    found = candidate_ids(me)
    found.discard(person.pk)
    if not found:
        return []
    candidates = comparison_rows(Encoding.objects.filter(person_id__in=found).values(*VALUES))
    run = latest_run()
    if run is not None and not fits(run.model or {}):
        # A run from before an upgrade changed the comparisons: link on exact keys until the next.
        run = None
    linked: dict[int, Score] = {}
    review: list[tuple[int, Score]] = []
    frequency = _frequency()
    for other in candidates:
        other_id = int(other["record_id"])
        if run is None:
            if exact_keys(me) & exact_keys(other):
                linked[other_id] = Score(probability=1.0, weight=0.0, pattern={})
            continue
        result = score(me, other, run.model, frequency)
        if result.probability >= run.upper:
            linked[other_id] = result
        elif result.probability >= run.lower:
            review.append((other_id, result))
    for other_id, result in sorted(linked.items()):
        if not national_groups_join(person, other_id):
            # A reviewer split these people: a reviewer looks again.
            review.append((other_id, result))
    return [_pending(person.pk, other, result) for other, result in review]


def national_groups_join(person: Person, other_id: int) -> bool:
    """Give the person's national group and the other record's one id (a match as the person
    is written, or a reviewer's merge), unless a reviewer split any two of their records;
    False then."""
    other = Person.objects.filter(pk=other_id).values_list("national_id", flat=True).get()
    if other == person.national_id:
        return True
    groups = {person.national_id, other}
    # Lock order (docs/audit.md): every person of both groups, in key order, before any changes.
    members = dict(
        Person.objects.filter(national_id__in=groups)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "national_id")
    )
    splits = MatchPair.objects.filter(
        status=MatchPair.Status.SPLIT, left_id__in=members, right_id__in=members
    ).values_list("left_id", "right_id")
    if any(members[a] != members[b] for a, b in splits):
        return False
    # The record being written joins the group it matched, which keeps its id.
    target = other
    Person.objects.filter(national_id__in=groups).update(national_id=target)
    person.national_id = target
    return True


def match_if_age_only(*, person: Person, age: int, on: Any) -> None:
    """An age is the first birth year a record without a birth date has: store it, match."""
    if Encoding.objects.filter(person=person, birth_year=None).update(
        birth_year=estimated_birth_year(age, on)
    ):
        match_new(person=person)


def _frequency() -> Any:
    """Term frequencies as Splink computes them: the share of the non-missing values."""
    totals: dict[str, int] = {}
    counts: dict[tuple[str, Any], int] = {}

    def share(column: str, value: Any) -> float | None:
        # Called with the new record's value for every candidate: counted once.
        if value is None:
            return None
        if column not in totals:
            totals[column] = Encoding.objects.exclude(**{column: None}).count()
        if (column, value) not in counts:
            counts[column, value] = Encoding.objects.filter(**{column: value}).count()
        return max(counts[column, value], 1) / max(totals[column], 1)

    return share


def _pending(a: int, b: int, result: Score) -> MatchPair:
    left, right = sorted((int(a), int(b)))
    pair, _created = MatchPair.objects.get_or_create(
        left_id=left,
        right_id=right,
        defaults={
            "probability": result.probability,
            "match_weight": result.weight,
            "pattern": result.pattern,
        },
    )
    return pair


# --- national runs ------------------------------------------------------------------


def linkage_run(
    *,
    actor: Any,
    upper: float = UPPER,
    lower: float = LOWER,
    progress: Any = None,
) -> LinkageRun:
    """Link the whole registry: cluster, assign national ids, refill the review queue.

    Reviewers' decisions are kept and respected: a merged pair is one person
    and a split pair two, whatever the scores. A national id stays with the
    records that had it: each cluster keeps the id most of its members had,
    so a cluster whose members do not change keeps its id.
    """
    require(actor, Action.LINKAGE_RUN)
    if not 0 < lower <= upper < 1:
        raise ValidationError(_("Thresholds must satisfy 0 < review ≤ link < 1."))
    run = LinkageRun.objects.create(run_by=actor, upper=upper, lower=lower)
    rows = registry_rows()
    result = engine.link(rows, "encoded", threshold=lower, link=upper, progress=progress)
    decided = list(
        MatchPair.objects.exclude(status=MatchPair.Status.PENDING).values_list(
            "left_id", "right_id", "status"
        )
    )
    merges = [(str(a), str(b)) for a, b, s in decided if s == MatchPair.Status.MERGED]
    splits = [(str(a), str(b)) for a, b, s in decided if s == MatchPair.Status.SPLIT]
    ids = [r["record_id"] for r in rows]
    scored = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.pairs]
    within = [(p["record_id_l"], p["record_id_r"], p["match_probability"]) for p in result.within]
    clusters = cluster(ids, scored, upper, merges=merges, splits=splits, within=within)
    decided_pairs = {tuple(sorted((int(a), int(b)))) for a, b, _s in decided}
    by_id = {r["record_id"]: r for r in rows}
    shares = _shares(rows)
    with transaction.atomic():
        changed = _assign_national_ids({int(k): v.cluster_id for k, v in clusters.items()})
        MatchPair.objects.filter(status=MatchPair.Status.PENDING).delete()
        pending = []
        # Every scored pair left in two clusters and not decided: the review
        # band, and pairs at or above the link threshold that clustering kept
        # apart (their groups did not hold on average, or a reviewer split
        # records of theirs): an analyst must see those too.
        for a, b, probability in scored:
            key = tuple(sorted((int(a), int(b))))
            if key not in decided_pairs and clusters[a].cluster_id != clusters[b].cluster_id:
                found = score(by_id[a], by_id[b], result.model, shares)
                pending.append(
                    MatchPair(
                        left_id=key[0],
                        right_id=key[1],
                        probability=probability,
                        match_weight=found.weight,
                        pattern=found.pattern,
                    )
                )
        MatchPair.objects.bulk_create(pending, batch_size=1000)
        run.records = len(rows)
        run.pairs_compared = result.pairs_compared
        run.pairs_linked = sum(1 for *_, p in scored if p >= upper)
        run.pairs_to_review = len(pending)
        run.people = len({m.cluster_id for m in clusters.values()})
        run.stages = {k: round(v, 3) for k, v in result.stages.items()}
        run.model = result.model
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=actor,
            action="linkage.run",
            obj=run,
            after={
                "records": run.records,
                "pairs_compared": run.pairs_compared,
                "pairs_linked": run.pairs_linked,
                "pairs_to_review": run.pairs_to_review,
                "people": run.people,
                "upper": upper,
                "lower": lower,
                "national_ids_changed": changed,
            },
        )
    return run


def _shares(rows: list[dict[str, Any]]) -> Any:
    """Term frequencies over the rows of a run, as Splink computes them."""
    counts = {
        c: Counter(r[c] for r in rows if r[c] is not None)
        for c in ("given", "paternal", "maternal")
    }
    totals = {c: sum(n.values()) for c, n in counts.items()}

    def share(column: str, value: Any) -> float | None:
        return counts[column][value] / totals[column] if value is not None else None

    return share


def _assign_national_ids(cluster_of: dict[int, str]) -> int:
    """Give each cluster a national id, keeping ids stable; return how many records changed."""
    current = dict(Person.objects.values_list("pk", "national_id"))
    members: dict[str, list[int]] = {}
    for pk, cluster_id in cluster_of.items():
        members.setdefault(cluster_id, []).append(pk)
    taken: set[str] = set()
    new: dict[int, str] = {}
    # Larger clusters choose first; ties in a fixed order.
    for cluster_id in sorted(members, key=lambda c: (-len(members[c]), c)):
        pks = members[cluster_id]
        votes = Counter(current[pk] for pk in pks if current.get(pk))
        choice = next(
            (
                nid
                for nid, _n in sorted(votes.items(), key=lambda v: (-v[1], v[0]))
                if nid not in taken
            ),
            None,
        )
        if choice is None:
            choice = unused_person_ids("national_id", 1)[0]
            while choice in taken:
                choice = unused_person_ids("national_id", 1)[0]
        taken.add(choice)
        for pk in pks:
            new[pk] = choice
    changed = [pk for pk, nid in new.items() if current.get(pk) != nid]
    for nid in {new[pk] for pk in changed}:
        Person.objects.filter(pk__in=[pk for pk in changed if new[pk] == nid]).update(
            national_id=nid
        )
    return len(changed)
