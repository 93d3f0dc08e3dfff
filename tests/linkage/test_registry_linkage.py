"""Linkage over the registry: national runs, review decisions, write-time matching."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from enlace.accounts.models import Role
from enlace.audit.models import AuditEvent
from enlace.justice.models import Alert
from enlace.justice.services import detention_record
from enlace.linkage import synthetic
from enlace.linkage.models import Encoding, MatchPair
from enlace.linkage.review import match_decide, national_people_range
from enlace.linkage.selectors import person_known_elsewhere, review_queue
from enlace.linkage.services import linkage_run
from enlace.registry.models import Person
from enlace.registry.services import identification_record, person_register
from tests.conftest import DAY, IDENTITY, Cast, _load_mx, _user

NO_CURP = {k: v for k, v in IDENTITY.items() if k != "curp"}


def _register(size: int = 400) -> dict[int, int]:
    """An invented registry written through the services: person pk → true person."""
    records, truth = synthetic.registry(size, seed=4)
    actors = [
        _user(f"registrar-{code}", Role.CASEWORKER, code)
        for code in ("FGE-PUE", "FEVIMTRA", "INM", "CEAV", "FGE-JAL")
    ]
    out = {}
    for i, r in enumerate(records):
        identity = {
            "given_names": r.given_names,
            "paternal_surname": r.paternal_surname,
            "maternal_surname": r.maternal_surname,
            "birth_date": r.birth_date,
            "curp": r.curp,
        }
        sex = {"female": "female", "male": "male"}.get(r.sex, "unspecified")
        actor = actors[i % len(actors)]
        person = person_register(actor=actor, identity=identity, sex=sex)
        if r.age is not None:
            identification_record(
                actor=actor,
                person=person,
                identified_on=datetime.date(2017, 12, 31),
                forms=["unspecified"],
                age_at_identification=r.age,
            )
        out[person.pk] = truth[r.record_id]
    return out


def _groups() -> set[frozenset[int]]:
    by_national: dict[str, set[int]] = {}
    for pk, national in Person.objects.values_list("pk", "national_id"):
        by_national.setdefault(national, set()).add(pk)
    return {frozenset(g) for g in by_national.values()}


@pytest.fixture(scope="module")
def module_registry(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[int, int]]:
    # Written once for the module and rolled back after it; each test runs in
    # its own rolled-back transaction inside.
    with django_db_blocker.unblock(), transaction.atomic():
        _load_mx()
        yield _register()
        transaction.set_rollback(True)


@pytest.fixture
def registry(module_registry: dict[int, int], cast: Cast) -> dict[int, int]:
    return module_registry


def test_a_run_counts_people_not_records(cast: Cast, registry: dict[int, int]) -> None:
    run = linkage_run(actor=cast.ana)

    people = len(set(registry.values()))
    assert run.records == len(registry) > people
    assert abs(run.people - people) / people < 0.03
    assert Person.objects.values("national_id").distinct().count() == run.people
    # Most true people are exactly one national person.
    exact = sum(
        1
        for g in _groups()
        if len({registry[pk] for pk in g}) == 1
        and Counter(registry.values())[registry[next(iter(g))]] == len(g)
    )
    assert exact / people > 0.95
    event = AuditEvent.objects.get(action="linkage.run")
    assert event.after is not None and event.after["people"] == run.people


def test_national_ids_are_stable_when_the_records_do_not_change(
    cast: Cast, registry: dict[int, int]
) -> None:
    linkage_run(actor=cast.ana)
    before = dict(Person.objects.values_list("pk", "national_id"))
    linkage_run(actor=cast.ana)
    assert dict(Person.objects.values_list("pk", "national_id")) == before


def test_merge_and_split_decisions_survive_a_rerun(cast: Cast, registry: dict[int, int]) -> None:
    linkage_run(actor=cast.ana)
    # Split two records linkage joined; merge two it kept apart.
    national = dict(Person.objects.values_list("pk", "national_id"))
    joined = next(g for g in _groups() if len(g) == 2)
    a, b = sorted(joined)
    c, d = sorted(pk for pk in registry if national[pk] not in (national[a],))[:2]
    assert national[c] != national[d]
    left, right, third, fourth = (Person.objects.get(pk=pk) for pk in (a, b, c, d))
    match_decide(actor=cast.ana, left=left, right=right, decision="split", reason="two people")
    match_decide(actor=cast.ana, left=third, right=fourth, decision="merged", reason="one")

    linkage_run(actor=cast.ana)

    national = dict(Person.objects.values_list("pk", "national_id"))
    assert national[a] != national[b]
    assert national[c] == national[d]
    assert MatchPair.objects.filter(status__in=["merged", "split"]).count() == 2
    assert AuditEvent.objects.filter(action__in=["match.merged", "match.split"]).count() == 2


def test_a_pair_above_the_link_threshold_kept_apart_goes_to_review(
    cast: Cast, registry: dict[int, int]
) -> None:
    run = linkage_run(actor=cast.ana)
    # Three records linkage joined; a reviewer says the first and last are two people.
    group = sorted(next(g for g in _groups() if len(g) >= 3))
    first, last = (Person.objects.get(pk=pk) for pk in (group[0], group[-1]))
    match_decide(actor=cast.ana, left=first, right=last, decision="split")

    run = linkage_run(actor=cast.ana)

    # The records between them now match two people strongly: an analyst sees
    # each strong pair the run could not link, rather than nobody.
    national = dict(Person.objects.values_list("pk", "national_id"))
    assert national[group[0]] != national[group[-1]]
    strong = [p for p in review_queue(user=cast.ana) if (p.probability or 0) >= run.upper]
    assert strong
    assert all(national[p.left_id] != national[p.right_id] for p in strong)
    assert any({p.left_id, p.right_id} <= set(group) for p in strong)


def test_the_review_queue_holds_uncertain_pairs_without_values(
    cast: Cast, registry: dict[int, int]
) -> None:
    run = linkage_run(actor=cast.ana, upper=0.999999, lower=0.01)
    queue = list(review_queue(user=cast.ana))
    assert run.pairs_to_review == len(queue) > 0
    national = dict(Person.objects.values_list("pk", "national_id"))
    for pair in queue:
        # Below the link threshold, or above it and kept apart: never one person already.
        assert (pair.probability or 0) >= 0.01
        assert national[pair.left_id] != national[pair.right_id]
        assert pair.left_id < pair.right_id
        text = repr(pair.pattern)
        assert all(set(entry) == {"level", "weight"} for entry in pair.pattern.values())
        assert "HERN" not in text.upper()
    low, high = national_people_range(registry)
    assert low < high == run.people
    # Caseworkers have no queue.
    assert not review_queue(user=cast.alice).exists()


def test_only_analysts_run_linkage(cast: Cast) -> None:
    for user in (cast.alice, cast.sam, cast.audrey, cast.nobody):
        with pytest.raises(PermissionDenied):
            linkage_run(actor=user)


def test_a_supervisor_decides_only_on_records_they_may_see(cast: Cast) -> None:
    ours = person_register(actor=cast.alice, identity=NO_CURP)
    theirs = person_register(actor=cast.fernanda, identity={**NO_CURP, "given_names": "Lupe"})
    with pytest.raises(Http404):
        match_decide(actor=cast.sam, left=ours, right=theirs, decision="merged")
    with pytest.raises(PermissionDenied):
        match_decide(actor=cast.alice, left=ours, right=theirs, decision="merged")


def test_records_are_encoded_without_names_in_clear(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)
    encoding = Encoding.objects.get(person=person)
    stored = repr(Encoding.objects.filter(pk=encoding.pk).values().get())
    for value in ("Hern", "HERN", "1999-03-14", "19990314", "HEZG", "Guadalupe", "GUADALUPE"):
        assert value not in stored
    assert encoding.birth_year == 1999 and encoding.given_bf is not None


def test_a_new_record_is_matched_at_write_time_after_a_run(
    cast: Cast, registry: dict[int, int]
) -> None:
    linkage_run(actor=cast.ana)
    first = person_register(actor=cast.alice, identity=NO_CURP, sex="female")
    # Another agency writes her with a typo and without the maternal surname.
    second = person_register(
        actor=cast.fernanda,
        identity={**NO_CURP, "paternal_surname": "Hernandes", "maternal_surname": ""},
        sex="female",
    )
    first.refresh_from_db()
    pending = MatchPair.objects.filter(left=first, right=second, status="pending").exists()
    assert first.national_id == second.national_id or pending
    assert person_known_elsewhere(user=cast.alice, person=first)
    with pytest.raises(Http404):
        person_known_elsewhere(user=cast.charlie, person=first)


def test_a_stranger_is_not_known_elsewhere(cast: Cast) -> None:
    person = person_register(actor=cast.alice, identity=IDENTITY)
    assert not person_known_elsewhere(user=cast.alice, person=person)


def test_detention_alerts_every_agency_that_identified_the_human(cast: Cast) -> None:
    # FEVIMTRA identified her; later the INM detains a record linked to hers.
    identified = person_register(actor=cast.fernanda, identity=IDENTITY)
    identification_record(
        actor=cast.fernanda, person=identified, identified_on=DAY, forms=["sex_trafficking"]
    )
    detained = person_register(
        actor=cast.ines, identity={**IDENTITY, "given_names": "GUADALUPE MARIA"}
    )
    identified.refresh_from_db()
    assert detained.national_id == identified.national_id

    detention_record(actor=cast.ines, person=detained, kind="detention", occurred_on=DAY)

    alerts = {(a.agency.code, a.person_id) for a in Alert.objects.select_related("agency")}
    assert alerts == {("FEVIMTRA", identified.pk), ("INM", detained.pk)}


def test_a_merge_never_joins_people_a_reviewer_split(cast: Cast) -> None:
    other = {**NO_CURP, "given_names": "Rosa", "birth_date": datetime.date(1980, 1, 2)}
    first = person_register(actor=cast.alice, identity=IDENTITY)
    second = person_register(actor=cast.fernanda, identity=other)
    again = person_register(actor=cast.ines, identity=other)  # linked to the second
    second.refresh_from_db()
    assert again.national_id == second.national_id != first.national_id
    match_decide(actor=cast.ana, left=first, right=second, decision="split")

    with pytest.raises(ValidationError):
        match_decide(actor=cast.ana, left=first, right=again, decision="merged")
    first.refresh_from_db()
    assert first.national_id != again.national_id


def test_a_run_over_too_few_records_leaves_write_time_matching_working(cast: Cast) -> None:
    linkage_run(actor=cast.ana)
    first = person_register(actor=cast.alice, identity=IDENTITY)
    second = person_register(actor=cast.fernanda, identity=IDENTITY)
    first.refresh_from_db()
    assert first.national_id == second.national_id


def test_an_age_gives_a_record_without_a_birth_date_a_year_to_be_found_by(cast: Cast) -> None:
    undated = {k: v for k, v in NO_CURP.items() if k != "birth_date"}
    person = person_register(actor=cast.alice, identity=undated)
    identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["unspecified"],
        age_at_identification=18,
    )
    encoding = Encoding.objects.get(person=person)
    # Aged 18 on 1 June 2017: born between June 1998 and May 1999, mostly in 1998.
    assert (encoding.birth_year, encoding.birth_year_exact) == (1998, False)


@pytest.mark.parametrize(
    "every", [pytest.param(5, id="a fifth"), pytest.param(1, id="all", marks=pytest.mark.slow)]
)
def test_write_time_candidates_are_the_records_some_rule_pairs_with(
    cast: Cast, registry: dict[int, int], every: int
) -> None:
    # match_new looks candidates up with the same rules the national run joins on:
    # the database filter and the rules' Python form pick the same records (for a
    # fifth of the registry's records in make test, every one in make test-slow).
    from enlace.linkage import engine
    from enlace.linkage.candidates import candidate_ids
    from enlace.linkage.services import VALUES, comparison_rows

    rows = comparison_rows(Encoding.objects.values(*VALUES).order_by("person_id"))
    for me in rows[::every]:
        got = {str(pk) for pk in candidate_ids(me)} - {me["record_id"]}
        expected = {
            other["record_id"]
            for other in rows
            if other is not me
            and any(rule.agrees(me, other) for rule in engine.RULES if rule.stored)
        }
        assert got == expected, me["record_id"]


def test_a_rule_across_columns_finds_candidates_in_both_directions(cast: Cast) -> None:
    # Same birth date; only Ana's paternal initial meets Rosa's given initial.
    from enlace.linkage import engine
    from enlace.linkage.candidates import candidate_filters
    from enlace.linkage.services import VALUES, comparison_rows

    born = datetime.date(1990, 4, 2)
    rosa = person_register(
        actor=cast.alice,
        identity={"given_names": "Rosa", "paternal_surname": "López", "birth_date": born},
    )
    ana = person_register(
        actor=cast.alice,
        identity={"given_names": "Ana", "paternal_surname": "Ruiz", "birth_date": born},
    )
    [me] = comparison_rows(Encoding.objects.filter(person=ana).values(*VALUES))
    rule = next(r for r in engine.RULES if r.name == "birth date and initials swapped")
    found = Encoding.objects.none()
    for arm in candidate_filters(rule, me):
        found |= Encoding.objects.filter(arm)
    assert found.filter(person=rosa).exists()


def test_every_write_time_lookup_is_served_by_an_index(cast: Cast) -> None:
    # Matching at write time must cost the same in a registry of millions:
    # each rule's lookup is an index search, never a scan of the encodings.
    from django.db import connection

    from enlace.linkage import engine
    from enlace.linkage.candidates import candidate_filters
    from enlace.linkage.services import VALUES, comparison_rows

    full = person_register(actor=cast.alice, identity={**IDENTITY, "passport_number": "G1234567"})
    [me] = comparison_rows(Encoding.objects.filter(person=full).values(*VALUES))
    arms = [
        (rule.name, arm)
        for rule in engine.RULES
        if rule.stored
        for arm in candidate_filters(rule, me)
    ]
    assert {name for name, _arm in arms} == {rule.name for rule in engine.RULES if rule.stored}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The table is tiny here: forbid the scan, and see whether an index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
        for name, arm in arms:
            sql, params = (
                Encoding.objects.filter(arm).values_list("person_id").query.sql_with_params()
            )
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on linkage_encoding" not in plan, (name, plan)
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = "\n".join(row[-1] for row in cursor.fetchall())
                assert "SCAN linkage_encoding" not in plan, (name, plan)
