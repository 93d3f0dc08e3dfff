"""`enlace link --queue`: a national analyst's run left to the worker, audited under the analyst."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from enlace.linkage.models import LinkageRun
from enlace.registry.services import person_register
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


# A worker process started and stopped: make test-slow runs it.
@pytest.mark.slow
def test_the_worker_runs_a_queued_linkage_run(cast: Cast) -> None:
    for _ in range(2):
        person_register(actor=cast.alice, identity={"curp": "HEZG990314MPLRRD03"})
    out = io.StringIO()

    call_command("link", user=cast.ana.username, queue=True, stdout=out)

    assert "queued" in out.getvalue() and not LinkageRun.objects.exists()
    call_command("worker", batch=True, no_schedule=True, stdout=io.StringIO())
    run = LinkageRun.objects.get()
    assert (run.run_by, run.records, run.people) == (cast.ana, 2, 1)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_it_refuses_to_queue_a_run_for_someone_who_may_not_run_one(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        call_command("link", user=cast.alice.username, queue=True, stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()
