"""`enlace audit_verify` finds the first audit row altered, removed or cut off in the database."""

from __future__ import annotations

import io
import itertools
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from enlace.audit.models import AuditEvent
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
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


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
    events = list(AuditEvent.objects.order_by("id"))
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


def test_the_migration_chains_rows_written_before_it(cast: Cast, person: Person) -> None:
    sql("UPDATE audit_auditevent SET prev_hash = '', hash = ''")
    sql("DELETE FROM audit_chainhead")
    with pytest.raises(CommandError):
        verify()
    loader = MigrationLoader(connection)
    migration = loader.get_migration("audit", "0002_chain")
    apps = loader.project_state(("audit", "0002_chain")).apps
    # The data step, as `migrate` runs it (it needs only the editor's connection).
    migration.operations[-1].code(apps, SimpleNamespace(connection=connection))  # type: ignore[attr-defined]
    assert "The chain is intact" in verify()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(cast: Cast) -> None:
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
    assert "The chain is intact" in verify()
