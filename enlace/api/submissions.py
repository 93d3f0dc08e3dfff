"""Submissions: files of records uploaded by the token's agency, and their reports."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from enlace.api.common import ERRORS, ErrorOut, Pagination, PublicId
from enlace.exchange.kinds import SubmissionKind
from enlace.exchange.reading import limits_from_settings, too_large
from enlace.exchange.selectors import submission_list_for_user
from enlace.exchange.services import submission_create, submission_start


class SubmissionOut(Schema):
    public_id: str
    kind: str
    agency: str = Field(validation_alias="agency.code")
    filename: str
    dry_run: bool
    all_or_nothing: bool
    status: str
    total_rows: int
    processed_rows: int
    stored: int
    updated: int
    unchanged: int
    rejected: int
    failure: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class RowErrorOut(Schema):
    row: int
    agency_record_id: str
    column: str
    value: str
    reason: str


router = Router(tags=["submissions"])


@router.post("", response={201: SubmissionOut, 413: ErrorOut, **ERRORS})
def submission_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    all_or_nothing: Form[bool] = False,
    kind: Form[SubmissionKind] = SubmissionKind.IDENTIFICATIONS,
) -> Any:
    """Upload a CSV or XLSX file; small files are imported at once, large ones queued.

    ``kind`` says what each row records: identifications (the default) or a
    kind of record about people the agency holds (docs/data-exchange.md).

    A file over a size limit answers 413, a file refused as a whole (unreadable,
    over another limit, a control character, a wrong header) 422, with the reason.
    """
    # The size Django measured while receiving it: the file is not read into memory.
    if error := too_large(file.size or 0, limits_from_settings()):
        return Status(413, {"detail": str(error)})
    submission = submission_create(
        actor=request.user,
        filename=file.name or "submission",
        content=file.read(),
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
        kind=kind.value,
    )
    submission_start(submission=submission)
    if submission.status == submission.Status.FAILED:
        return Status(422, {"detail": submission.failure})
    return Status(201, submission)


@router.get("", response={200: list[SubmissionOut], **ERRORS})
@paginate(Pagination)
def submission_list(request: HttpRequest) -> QuerySet[Any]:
    return submission_list_for_user(user=request.user).order_by("-pk")


@router.get("/{public_id}", response={200: SubmissionOut, **ERRORS})
def submission_get(request: HttpRequest, public_id: PublicId) -> Any:
    return get_object_or_404(submission_list_for_user(user=request.user), public_id=public_id)


@router.get("/{public_id}/report", response={200: list[RowErrorOut], **ERRORS})
def submission_report(request: HttpRequest, public_id: PublicId) -> Any:
    """The rejected rows: row, agency_record_id, column, value shown, reason."""
    found = get_object_or_404(submission_list_for_user(user=request.user), public_id=public_id)
    return found.errors
