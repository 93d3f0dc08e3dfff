from __future__ import annotations

import itertools
import logging
import traceback
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from enlace.accounts.models import Membership, Role
from enlace.accounts.permissions import Action, case_agency, membership_of, require
from enlace.audit.services import audit_record, snapshot
from enlace.core.ids import public_id
from enlace.core.services import validate
from enlace.directory.models import Agency
from enlace.exchange.importer import ImportResult, submission_import
from enlace.exchange.kinds import IDENTIFICATIONS, KIND_NAMES, columns_of, records_import
from enlace.exchange.models import Submission
from enlace.exchange.reading import SubmissionError, read_table

logger = logging.getLogger(__name__)


@transaction.atomic
def agency_system_user(*, agency: Agency, purpose: str = "import") -> Any:
    """The account an agency's system acts as (``import@FGE-PUE``), created on first use.

    It is a caseworker of the agency with no usable password: it cannot sign
    in, and what it writes is audited under its name.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=f"{purpose}@{agency.code}")
    if created:
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, agency=agency, role=Role.CASEWORKER)
        audit_record(actor=None, action="user.create", obj=user, after={"agency": agency.code})
    return user


@transaction.atomic
def submission_create(
    *,
    actor: Any,
    filename: str,
    content: bytes,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    kind: str = IDENTIFICATIONS,
) -> Submission:
    """Queue a file for import by the actor's agency.

    A file of identifications needs the right to register people and record
    identifications; each row of a file of records is checked by the record's
    own service (``enlace.exchange.kinds``).
    """
    if kind not in KIND_NAMES:
        raise ValidationError({"kind": _("Not a kind of submission: %s.") % ", ".join(KIND_NAMES)})
    if kind == IDENTIFICATIONS:
        require(actor, Action.PERSON_REGISTER)
        membership = require(actor, Action.IDENTIFICATION_RECORD)
    else:
        found = membership_of(actor)
        if found is None or case_agency(actor) is None:
            raise PermissionDenied(_("Only an agency's staff import its records."))
        membership = found
    submission = Submission(
        public_id=public_id("S"),
        kind=kind,
        agency=membership.agency,
        submitted_by=actor,
        filename=filename[:200],
        content=content,
        dry_run=dry_run,
        # A file of records is always all or nothing (enlace.exchange.kinds).
        all_or_nothing=all_or_nothing or kind != IDENTIFICATIONS,
    )
    validate(submission)
    submission.save()
    audit_record(
        actor=actor, action="submission.create", obj=submission, after=_snapshot(submission)
    )
    return submission


def _snapshot(submission: Submission) -> dict[str, Any]:
    # The file itself is not audit material: it holds identities.
    values = snapshot(submission)
    values["content"] = f"[{len(submission.content)} bytes]"
    values["errors"] = len(submission.errors)
    return values


def submission_run(*, submission: Submission) -> ImportResult | None:
    """Import a claimed (or inline) submission, recording progress and its report."""
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.RUNNING, started_at=timezone.now()
    )

    def progress(phase: str, done: int, total: int) -> None:
        Submission.objects.filter(pk=submission.pk).update(
            total_rows=total, processed_rows=min(done, total)
        )

    before = _snapshot(submission)
    result = None
    try:
        if submission.kind == IDENTIFICATIONS:
            result = submission_import(
                actor=submission.submitted_by,
                data=bytes(submission.content),
                dry_run=submission.dry_run,
                all_or_nothing=submission.all_or_nothing,
                progress=progress,
            )
        else:
            result = records_import(
                actor=submission.submitted_by,
                kind=submission.kind,
                data=bytes(submission.content),
                dry_run=submission.dry_run,
                progress=progress,
            )
    except (SubmissionError, PermissionDenied) as exc:
        submission.failure = str(exc) or _("Permission denied.")
        submission.status = Submission.Status.FAILED
    except Exception as exc:  # whatever a file provokes, the queue goes on
        # The message may quote a cell of the file: the log has the type and
        # the frames, the submission a reason without either.
        logger.error(
            "Submission %s failed: %s\n%s",
            submission.public_id,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        submission.failure = _(
            "The file could not be imported because of an unexpected error; it was logged."
        )
        submission.status = Submission.Status.FAILED
    else:
        submission.status = Submission.Status.DONE
        submission.total_rows = submission.processed_rows = result.total
        submission.stored = result.stored
        submission.updated = result.updated
        submission.unchanged = result.unchanged
        submission.rejected = result.rejected
        submission.errors = [e.as_dict() for e in result.errors]
    submission.finished_at = timezone.now()
    submission.started_at = submission.started_at or submission.finished_at
    with transaction.atomic():
        submission.save()
        audit_record(
            actor=submission.submitted_by,
            action="submission.run",
            obj=submission,
            before=before,
            after=_snapshot(submission),
        )
    return result


class SubmissionRunFailed(Exception):
    """What the task table keeps of a submission that could not be run: its id, no content."""


@task()
def submission_import_task(submission_id: int) -> str:
    """Import one queued submission (run by ``enlace worker``): a summary of counts.

    Whatever the file provokes is recorded in the submission by
    ``submission_run``. What fails around it (a row that cannot be read or
    decrypted, the database) fails the submission here, with a reason, and
    the task; the worker goes on with the next.
    """
    claimed = Submission.objects.filter(pk=submission_id, status=Submission.Status.QUEUED).update(
        status=Submission.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"  # run already, or removed since
    public_id = Submission.objects.filter(pk=submission_id).values_list("public_id", flat=True)[0]
    try:
        submission = Submission.objects.select_related("agency").get(pk=submission_id)
        result = submission_run(submission=submission)
    except Exception as exc:
        # The message may quote a cell: the log has the type and the frames.
        logger.error(
            "Submission %s could not be run: %s\n%s",
            public_id,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        Submission.objects.filter(pk=submission_id).update(
            status=Submission.Status.FAILED,
            failure=_("The submission could not be run; it was logged."),
            finished_at=timezone.now(),
        )
        raise SubmissionRunFailed(f"{public_id}: {type(exc).__name__}") from None
    summary = result.summary() if result else f"failed: {submission.failure}"
    return f"{public_id} {submission.agency.code}: {summary}"


def submission_start(*, submission: Submission) -> None:
    """Import a small submission at once; enqueue a large one for the worker.

    Only the rows that decide it are read here (a CSV is counted for the
    progress bar, being cheap to read): a large workbook is read by the
    worker, not during the request.
    """
    inline = settings.IMPORT_INLINE_MAX_ROWS
    data = bytes(submission.content)
    total = 0
    try:
        columns = columns_of(submission.kind)
        rows = sum(1 for _row in itertools.islice(read_table(data, columns=columns)[1], inline + 1))
        if rows > inline and data[:4] != b"PK\x03\x04":
            total = sum(1 for _row in read_table(data, columns=columns)[1])
    except SubmissionError:
        rows = 0  # run now: it fails at once, with the reason in the submission
    if rows <= inline:
        claimed = Submission.objects.filter(
            pk=submission.pk, status=Submission.Status.QUEUED
        ).update(status=Submission.Status.RUNNING)
        if claimed:
            submission_run(submission=submission)
            submission.refresh_from_db()
    else:
        Submission.objects.filter(pk=submission.pk).update(total_rows=total)
        submission.total_rows = total
        # A row of the task table, in this transaction: the worker sees it once committed.
        submission_import_task.enqueue(submission.pk)
