"""The case pages: open a person's case, its plan (goals and follow-ups), closing it
(with a supervisor's approval where the profile asks for one), reopening it, and
transferring it to another agency (a referral the receiver accepts or declines)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from enlace.accounts.permissions import Action, can
from enlace.accounts.routes import PERSON, Who, door
from enlace.assistance.models import ServiceKind
from enlace.cases import services as cases
from enlace.cases.models import Case, FollowUp, Goal
from enlace.cases.selectors import (
    case_get_for_user,
    follow_up_get_for_user,
    goal_get_for_user,
)
from enlace.registry.access import person_read_audit
from enlace.registry.selectors import person_get_for_user
from enlace.web.pages import DateInput, agency_of, call, form_context, today
from enlace.web.referrals import ReferralSendForm

NOTE = forms.CharField(
    label=_("Note"),
    required=False,
    max_length=1000,
    widget=forms.Textarea(attrs={"rows": 2}),
    help_text=Goal._meta.get_field("note").help_text,
)

# Forms -----------------------------------------------------------------------------------------


class OpenForm(forms.Form):
    opened_on = forms.DateField(label=_("Opened on"), initial=today, widget=DateInput())


class GoalForm(forms.Form):
    category = forms.ChoiceField(label=_("Goal"), choices=Goal.Category.choices)
    services = forms.MultipleChoiceField(
        label=_("Services it needs"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = NOTE


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=FollowUp.Kind.choices)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    note = NOTE


class CloseForm(forms.Form):
    # No reason is chosen for the caseworker: they say why.
    reason = forms.ChoiceField(
        label=_("Why the case closes"),
        choices=[
            ("", "—"),
            *[c for c in Case.ClosureReason.choices if c[0] != Case.ClosureReason.TRANSFERRED],
        ],
    )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices)


class TransferForm(ReferralSendForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].label = _("Transfer to")
        self.fields["consent"].label = _("The person agreed to have their case transferred.")


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.CASE_RECORD, record=PERSON, param="public_id")
def case_open(request: HttpRequest, public_id: str) -> HttpResponse:
    # The person's page links to the agency's case once there is one; a second
    # opening is refused by the service, beside the date.
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = call(form, cases.case_open, actor=request.user, person=person, **form.cleaned_data)
        if case:
            messages.success(request, gettext("Case opened."))
            return redirect("case-detail", pk=case.pk)
    title, button = _("Open a case"), _("Open the case")
    return render(request, "web/person_form.html", form_context(person, form, title, button))


def _case_page(request: HttpRequest, case: Case, **forms_: forms.Form) -> HttpResponse:
    own = case.agency_id == agency_of(request).pk
    person_read_audit(actor=request.user, people=[case.person], via="web")
    context = {
        "case": case,
        "person": case.person,
        "own": own,
        "approves": own and can(request.user, Action.CASE_APPROVE),
        "today": timezone.localdate(),
        "close_form": forms_.get("close_form") or CloseForm(),
        "transfers": case.transfers.select_related("referral__to_agency"),
    }
    return render(request, "web/case_detail.html", context)


@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, case_get_for_user(user=request.user, pk=pk))


def _case_form(
    request: HttpRequest, case: Case, form: forms.Form, service: Any, *, done: str, title: Any
) -> HttpResponse:
    """A form about a case: on a valid POST the service writes it, back to the case."""
    if (
        request.method == "POST"
        and form.is_valid()
        and call(form, service, actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, done)
        return redirect("case-detail", pk=case.pk)
    context = {"person": case.person, "form": form, "title": title, "button": gettext("Record")}
    return render(request, "web/record_form.html", context)


@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_form(
        request,
        case_get_for_user(user=request.user, pk=pk),
        GoalForm(request.POST or None),
        cases.goal_add,
        done=gettext("Goal added to the case plan."),
        title=_("Add a goal to the case plan"),
    )


@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_form(
        request,
        case_get_for_user(user=request.user, pk=pk),
        FollowUpForm(request.POST or None),
        cases.follow_up_schedule,
        done=gettext("Follow-up scheduled."),
        title=_("Schedule a follow-up"),
    )


@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def case_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    planned = sorted({s for goal in case.goals.all() for s in goal.services})
    form = TransferForm(
        request.POST or None, own_agency=agency_of(request), initial={"services": planned}
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = call(
                form, cases.case_transfer, actor=request.user, case=case, **form.cleaned_data
            )
        except PermissionDenied as exc:
            form.add_error("shares_identity", str(exc))
            transfer = None
        if transfer is not None:
            messages.success(
                request,
                gettext("Transfer sent to %(agency)s: the case moves when it accepts.")
                % {"agency": transfer.referral.to_agency.code},
            )
            return redirect("case-detail", pk=case.pk)
    title, button = _("Transfer the case to another agency"), _("Send the transfer")
    return render(request, "web/person_form.html", form_context(case.person, form, title, button))


@require_POST
@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        closed = call(form, cases.case_close, actor=request.user, case=case, **form.cleaned_data)
        if closed:
            if closed.is_closed:
                messages.success(request, gettext("Case closed."))
            else:
                messages.success(request, gettext("Closure asked for: a supervisor approves it."))
            return redirect("case-detail", pk=pk)
    return _case_page(request, case, close_form=form)


def _action(request: HttpRequest, case: Case, service: Any, done: str) -> HttpResponse:
    form = forms.Form(request.POST)
    form.is_valid()  # no fields: errors come from the service
    if call(form, service, actor=request.user, case=case):
        messages.success(request, done)
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return redirect("case-detail", pk=case.pk)


@require_POST
@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.case")
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    return _action(request, case, cases.case_reopen, gettext("Case reopened."))


@require_POST
@door(Who.SUPERVISOR, Action.CASE_APPROVE, record="cases.case")
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    return _action(request, case, cases.case_closure_approve, gettext("Closure approved."))


@require_POST
@door(Who.SUPERVISOR, Action.CASE_APPROVE, record="cases.case")
def case_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, pk=pk)
    return _action(
        request, case, cases.case_closure_refuse, gettext("Closure refused: the case stays open.")
    )


@require_POST
@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.goal")
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = goal_get_for_user(user=request.user, pk=pk)
    form = GoalStatusForm(request.POST)
    if form.is_valid() and call(
        form, cases.goal_status_set, actor=request.user, goal=goal, **form.cleaned_data
    ):
        messages.success(request, gettext("Goal updated."))
    return redirect("case-detail", pk=goal.case_id)


@require_POST
@door(Who.CASEWORK, Action.CASE_RECORD, record="cases.followup")
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_get_for_user(user=request.user, pk=pk)
    form = forms.Form(request.POST)
    form.is_valid()
    if call(form, cases.follow_up_done, actor=request.user, follow_up=follow_up):
        messages.success(request, gettext("Follow-up done."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return redirect("case-detail", pk=follow_up.case_id)
