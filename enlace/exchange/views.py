"""The upload page, its report, and downloads: thin over services, selectors and exports."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from enlace.accounts.permissions import Action
from enlace.accounts.routes import Who, door
from enlace.core.spreadsheet import write_csv, write_xlsx
from enlace.exchange import exports
from enlace.exchange.forms import SubmissionForm
from enlace.exchange.kinds import IDENTIFICATIONS, KIND_NAMES, kind_choices
from enlace.exchange.models import Submission
from enlace.exchange.selectors import submission_list_for_user
from enlace.exchange.services import submission_create, submission_start
from enlace.statistics.selectors import private_release_latest

REPORT_COLUMNS = ("row", "agency_record_id", "column", "value", "reason")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_submission_for_user(request: HttpRequest, public_id: str) -> Submission:
    return get_object_or_404(submission_list_for_user(user=request.user), public_id=public_id)


@door(Who.CASEWORK, Action.IDENTIFICATION_RECORD)
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    form = SubmissionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        submission = submission_create(
            actor=request.user,
            filename=upload.name,
            content=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            all_or_nothing=form.cleaned_data["all_or_nothing"],
            kind=form.cleaned_data["kind"],
        )
        submission_start(submission=submission)
        if submission.status != Submission.Status.FAILED:
            return redirect("exchange:submission", public_id=submission.public_id)
        # Refused as a whole: said on the form, with a status a client can tell.
        form.add_error("file", submission.failure)
        status = 422
    elif request.method == "POST" and form.has_error("file", "too_large"):
        status = 413
    recent = submission_list_for_user(user=request.user)[:20]
    context = {"form": form, "recent": recent, "kinds": kind_choices()}
    return render(request, "exchange/submission_new.html", context, status=status)


@door(Who.SIGNED_IN, record="exchange.submission", param="public_id")
def submission_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    submission = _get_submission_for_user(request, public_id)
    return render(request, "exchange/submission_detail.html", {"submission": submission})


@door(Who.SIGNED_IN, record="exchange.submission", param="public_id")
def submission_report(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    submission = _get_submission_for_user(request, public_id)
    name = f"{submission.public_id}-report.{fmt}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(submission.errors, ensure_ascii=False, indent=1),
            content_type="application/json",
        )
    elif fmt == "csv":
        rows = ([e[c] for c in REPORT_COLUMNS] for e in submission.errors)
        response = HttpResponse(
            write_csv(REPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@door(Who.PUBLIC)
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The submission template is public: it holds no data."""
    kind = request.GET.get("kind", IDENTIFICATIONS)
    if kind not in KIND_NAMES:
        raise Http404
    if fmt == "csv":
        response = HttpResponse(exports.template_csv(kind), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.template_xlsx(kind), content_type=XLSX)
    else:
        raise Http404
    name = "enlace-submission-template" + ("" if kind == IDENTIFICATIONS else f"-{kind}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@door(Who.SIGNED_IN, Action.PERSON_VIEW)
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind == "identifications":
        columns, found = exports.CASE_COLUMNS, exports.case_rows(request.user)
    elif kind == "htcds":
        columns, found = exports.HTCDS_COLUMNS, exports.htcds_rows(request.user)
    else:
        raise Http404
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = list(found)
    exports.export_read_audit(user=request.user, kind=kind)
    if fmt == "csv":
        response = HttpResponse(write_csv(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_xlsx(columns, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="enlace-{kind}.{fmt}"'
    return response


@door(Who.PUBLIC)
def open_data(request: HttpRequest, year: int) -> HttpResponse:
    """National aggregates with small cells suppressed: public."""
    if not 1990 <= year <= 2100:
        raise Http404
    text = write_csv(exports.OPEN_DATA_COLUMNS, exports.open_data_rows(year))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enlace-open-data-{year}.csv"'
    return response


@door(Who.PUBLIC)
def open_data_private(request: HttpRequest, year: int) -> HttpResponse:
    """The latest differentially private release of a year, as recorded: public."""
    releases = list(private_release_latest(year=year))
    if not releases:
        raise Http404
    text = write_csv(exports.OPEN_DATA_PRIVATE_COLUMNS, exports.open_data_private_rows(releases))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"enlace-open-data-{year}-private.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
