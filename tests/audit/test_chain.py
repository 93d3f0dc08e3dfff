"""`enlace audit_verify` finds the first audit row altered, removed or cut off in the database."""

from __future__ import annotations

import datetime
import io
import itertools
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal
from enlace.audit.services import audit_record
from enlace.exchange.generate import submission_generate
from enlace.exchange.importer import submission_import
from enlace.registry.models import Person
from enlace.registry.services import identity_update
from tests.conftest import Cast


def verify(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("audit_verify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def ids() -> list[int]:
    """The rows in chain order, sealed first (what a tampering test then changes)."""
    seal()
    return list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_trail_passes_with_a_summary(cast: Cast, person: Person) -> None:
    identity_update(actor=cast.alice, person=person, contact="Otra calle 5")
    rows = ids()
    assert len(rows) >= 4
    out = verify("--chunk-size", "2")  # several fetches
    assert f"{len(rows)} rows checked (ids {rows[0]} to {rows[-1]})." in out
    assert "The chain is intact" in out


def test_json_values_hash_as_the_database_gives_them_back(cast: Cast) -> None:
    # PostgreSQL's jsonb returns 1e20 as an integer and keeps 0.1 and 2.5 as written.
    after = {"big": 1e20, "tenth": 0.1, "whole": 2.0, "nested": [{"x": 2.5}], "text": "ñ €"}
    audit_record(actor=None, action="test.json", object_type="t", object_id="1", after=after)
    assert "The chain is intact" in verify()


def test_each_row_links_to_the_one_before(cast: Cast, person: Person) -> None:
    seal()
    assert not AuditEvent.objects.filter(seq=None).exists()
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == len(events)


def test_it_names_a_row_altered_with_sql(cast: Cast, person: Person) -> None:
    rows = ids()
    target = rows[1]
    sql("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", "mallory", target)
    with pytest.raises(CommandError, match=rf"Row {target} was altered"):
        verify()


def test_it_names_a_row_whose_snapshot_was_altered(cast: Cast, person: Person) -> None:
    seal()
    target = AuditEvent.objects.get(action="person.register").id
    sql("UPDATE audit_auditevent SET after = %s WHERE id = %s", '{"sex": "male"}', target)
    with pytest.raises(CommandError, match=rf"Row {target} was altered"):
        verify()


def test_it_names_the_row_after_a_deleted_one(cast: Cast, person: Person) -> None:
    first, gone, following, *_ = ids()
    sql("DELETE FROM audit_auditevent WHERE id = %s", gone)
    with pytest.raises(CommandError, match=rf"Row {following} does not follow row {first}"):
        verify()


def test_it_notices_rows_cut_from_the_end_against_a_kept_hash(cast: Cast, person: Person) -> None:
    *kept, last = ids()
    kept_hash = verify().split("Last hash: ")[1].strip()
    sql("DELETE FROM audit_auditevent WHERE id = %s", last)
    verify()  # what is left still fits: only the hash kept outside shows the cut
    with pytest.raises(CommandError, match=rf"rows after row {kept[-1]} are missing"):
        verify("--expect", kept_hash)


def test_it_notices_a_row_rewritten_with_a_recomputed_hash(cast: Cast, person: Person) -> None:
    from enlace.audit import chain

    _first, second, third, *_ = ids()
    event = AuditEvent.objects.get(id=second)
    assert event.hash
    content = {**event.chain_content(), "action": "nothing.happened"}
    sql(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        "nothing.happened",
        chain.link(event.prev_hash, content),
        second,
    )
    with pytest.raises(CommandError, match=rf"Row {third} does not follow row {second}"):
        verify()


def test_an_import_joins_the_chain(cast: Cast) -> None:
    from enlace.exchange.services import agency_system_user

    audit_record(actor=cast.alice, action="test.before", object_type="test", object_id="1")
    data, _bad = submission_generate(5, agency_code="FGE-PUE", seed=1)
    result = submission_import(actor=agency_system_user(agency=cast.agency("FGE-PUE")), data=data)
    assert result.stored == 5
    audit_record(actor=cast.alice, action="test.after", object_type="test", object_id="2")
    assert AuditEvent.objects.filter(action="person.register").count() == 5
    assert "The chain is intact" in verify()


def _run_data_step(name: str) -> None:
    loader = MigrationLoader(connection)
    migration = loader.get_migration("audit", name)
    apps = loader.project_state(("audit", name)).apps
    # The data step, as `migrate` runs it (it needs only the editor's connection).
    [step] = [op for op in migration.operations if isinstance(op, RunPython)]
    step.code(apps, SimpleNamespace(connection=connection))  # type: ignore[arg-type]


def test_the_migrations_chain_and_number_rows_written_before_them(
    cast: Cast, person: Person
) -> None:
    rows = ids()
    # As before the chain (0002) and the seal numbers (0003) existed.
    sql("UPDATE audit_auditevent SET prev_hash = '', hash = '', seq = NULL")
    sql("DELETE FROM audit_chainhead")
    _run_data_step("0002_chain")
    _run_data_step("0003_seal")
    # The rows were already chained, in id order: their seal numbers follow id order.
    numbered = list(AuditEvent.objects.order_by("seq").values_list("id", "seq"))
    assert numbered == [(row, n) for n, row in enumerate(sorted(rows), start=1)]
    assert "The chain is intact" in verify("--no-seal")
    assert "0 rows sealed." in verify()


def test_an_unsealed_row_is_sealed_by_verify_and_a_late_one_fails_it(
    cast: Cast, person: Person
) -> None:
    seal()
    audit_record(actor=None, action="test.fresh", object_type="t", object_id="1")
    fresh = AuditEvent.objects.get(action="test.fresh")
    assert (fresh.seq, fresh.hash) == (None, "")
    out = verify("--no-seal")
    assert "1 rows are not sealed yet." in out and "The chain is intact" in out
    assert "1 rows sealed." in verify()
    assert AuditEvent.objects.get(pk=fresh.pk).seq == AuditEvent.objects.count()
    # A row written long ago and never sealed: the sealer stopped, or it was slipped in.
    late = audit_record(actor=None, action="test.late", object_type="t", object_id="2")
    sql(
        "UPDATE audit_auditevent SET at = %s WHERE id = %s",
        late.at - datetime.timedelta(minutes=6),
        late.pk,
    )
    late_message = rf"1 rows were written more than 300 seconds ago and not sealed \(ids {late.pk}"
    with pytest.raises(CommandError, match=late_message):
        verify("--no-seal")
    assert verify("--no-seal", "--grace", "600")  # a longer grace accepts it
    with pytest.raises(CommandError, match="They are sealed now"):
        verify()
    assert "The chain is intact" in verify()


def test_rows_sealed_out_of_id_order_verify(cast: Cast, person: Person) -> None:
    # Transactions commit in another order than they took their ids: the chain
    # follows the order the sealer took the rows in.
    seal()
    top = AuditEvent.objects.count()
    first = audit_record(actor=None, action="test.a", object_type="t", object_id="1")
    second = audit_record(actor=None, action="test.b", object_type="t", object_id="2")
    assert first.pk < second.pk
    # The first row's transaction is "still open": hidden from the sealer.
    sql("UPDATE audit_auditevent SET seq = -1 WHERE id = %s", first.pk)
    assert seal() == 1
    sql("UPDATE audit_auditevent SET seq = NULL WHERE id = %s", first.pk)  # "committed"
    assert seal() == 1
    order = dict(AuditEvent.objects.filter(seq__gt=top).values_list("id", "seq"))
    assert order == {second.pk: top + 1, first.pk: top + 2}
    assert "The chain is intact" in verify("--no-seal")


@pytest.mark.django_db(transaction=True)
def test_a_commit_seals_only_once_some_row_is_older_than_the_age(cast: Cast) -> None:
    seal()

    def write(object_id: str) -> AuditEvent:
        with transaction.atomic():
            return audit_record(
                actor=None, action="test.write", object_type="t", object_id=object_id
            )

    # A fresh row waits: the commit asks once whether an old row waits, and seals nothing.
    first = write("1")
    second = write("2")
    assert set(AuditEvent.objects.filter(seq=None)) == {first, second}
    # The first row's age passes (2 seconds by default): the next commit seals them all.
    sql(
        "UPDATE audit_auditevent SET at = %s WHERE id = %s",
        first.at - datetime.timedelta(seconds=3),
        first.pk,
    )
    write("3")
    assert not AuditEvent.objects.filter(seq=None).exists()
    assert "The chain is intact" in verify("--no-seal")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(cast: Cast, settings: Any) -> None:
    settings.AUDIT_SEAL_ON_COMMIT_AFTER = (
        0  # every commit seals, or leaves it to the sealer then running
    )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(
                        actor=None, action="test.write", object_type="t", object_id=f"{n}-{i}"
                    )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.write").count() == 30
    # Each commit sealed, or left its rows to the sealer then running: none is left.
    assert not AuditEvent.objects.filter(seq=None).exists()
    assert "The chain is intact" in verify("--no-seal")
