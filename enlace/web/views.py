"""Pages of the browser interface: a form, a service call, a template.

People are read only through the scoped selectors (another agency's record
is a 404) and changed only through services (which check permission and
write the audit row).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, can, case_agency, membership_of
from enlace.assistance import services as assistance
from enlace.assistance.selectors import shelter_list_with_occupancy, stay_get_for_user
from enlace.core.http import next_path
from enlace.directory.models import Agency, Protocol
from enlace.funds import services as funds
from enlace.funds.models import Fund
from enlace.immigration import services as immigration
from enlace.immigration.selectors import visa_request_get_for_user
from enlace.justice import services as justice
from enlace.justice.selectors import alert_get_for_user, participation_get_for_user
from enlace.linkage.selectors import person_known_elsewhere
from enlace.referrals import services as referrals
from enlace.referrals.models import Referral
from enlace.referrals.selectors import (
    referral_get_for_user,
    referral_inbox_for,
    referral_list_for_user,
)
from enlace.registry import services as registry
from enlace.registry.access import break_glass_open, person_read_audit
from enlace.registry.models import Person
from enlace.registry.selectors import (
    break_glass_active_for_user,
    identification_get_for_user,
    identification_list_for_user,
    identity_get_for_user,
    person_get_for_user,
    person_list_for_user,
    person_search_for_user,
    person_under_break_glass,
)
from enlace.web import forms as web_forms
from enlace.web.figures import national_figures
from enlace.web.selectors import open_work_for_user, person_timeline_for_user

PAGE_SIZE = 25
V = TypeVar("V", bound=Callable[..., HttpResponse])


def casework(view: V) -> V:
    """Signed in, with a role that works an agency's cases; a 403 for other roles."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if case_agency(request.user) is None:
            raise PermissionDenied(_("Only caseworkers and supervisors work with cases."))
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _agency(request: HttpRequest) -> Agency:
    agency = case_agency(request.user)
    assert agency is not None  # @casework checked it
    return agency


def _call(
    form: forms.Form,
    service: Callable[..., Any],
    *,
    aliases: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """Run a service; its validation errors go beside the form's fields. None if it refused."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
            return None
        for name, errors in exc.message_dict.items():
            name = (aliases or {}).get(name, name)
            form.add_error(name if name in form.fields else None, errors)
        return None


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_path(request, default))


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Home ------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    context: dict[str, Any] = {}
    if case_agency(request.user) is not None:
        assert membership is not None
        context["work"] = open_work_for_user(
            user=request.user, supervisor=membership.role == Role.SUPERVISOR
        )
    elif can(request.user, Action.PSEUDONYMOUS_READ):
        context.update(_figures_context(request))
    return render(request, "web/home.html", context)


def _figures_context(request: HttpRequest) -> dict[str, Any]:
    latest = identification_list_for_user(user=request.user).aggregate(d=Max("identified_on"))["d"]
    years = list(range(2015, timezone.localdate().year + 1))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = latest.year if latest else years[-1]
    if year not in years:
        year = years[-1]
    return {"year": year, "years": years, "figures": national_figures(year)}


# People ----------------------------------------------------------------------------------------


@casework
def person_list(request: HttpRequest) -> HttpResponse:
    form = web_forms.PersonFilterForm(request.GET or None)
    people = person_list_for_user(user=request.user).select_related("nationality", "registered_by")
    if form.is_valid():
        if q := form.cleaned_data["q"].strip().upper():
            people = people.filter(public_id__startswith=q)
        if sex := form.cleaned_data["sex"]:
            people = people.filter(sex=sex)
        if status := form.cleaned_data["status"]:
            scoped = identification_list_for_user(user=request.user)
            people = people.filter(Exists(scoped.filter(person=OuterRef("pk"), status=status)))
    return render(
        request,
        "web/person_list.html",
        {"form": form, "page": _page(request, people), "query": _query_without_page(request)},
    )


@casework
def person_search(request: HttpRequest) -> HttpResponse:
    """Search before registering: the people the agency already holds that match."""
    form = web_forms.PersonSearchForm(request.POST or None)
    results: list[Person] | None = None
    if form.is_valid() and form.has_terms():
        results = person_search_for_user(user=request.user, **form.cleaned_data)
        # The names of the people found are shown: each one read.
        person_read_audit(
            actor=request.user,
            people=results,
            via="search",
            identity_shown=True,
            break_glass=False,  # the search finds only the agency's own people
        )
    # What was typed goes on to the registration form in a POST, never in a URL.
    terms = {k: v for k, v in request.POST.items() if k in form.fields and v}
    context = {"form": form, "results": results, "terms": terms}
    if _is_htmx(request):
        return render(request, "web/_search_results.html", context)
    return render(request, "web/person_search.html", context)


@casework
def person_register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("prefill"):
        # From the search: what was typed carries over, so nothing is typed twice.
        typed = web_forms.PersonSearchForm.base_fields
        form = web_forms.PersonRegisterForm(
            initial={k: v for k, v in request.POST.items() if k in typed}
        )
    elif request.method == "POST":
        form = web_forms.PersonRegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = _call(
                form,
                registry.person_register,
                actor=request.user,
                identity=form.identity(),
                sex=data["sex"],
                gender=data["gender"],
                nationality=data["nationality"],
                indigenous=data["indigenous"],
                disability=data["disability"],
            )
            if person is not None:
                messages.success(
                    request, _("Registered as %(id)s. Now screen them.") % {"id": person.public_id}
                )
                return redirect("person-screen", public_id=person.public_id)
    else:
        form = web_forms.PersonRegisterForm()
    return render(request, "web/person_register.html", {"form": form})


@casework
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id, read_only=True)
    break_glass = person_under_break_glass(user=request.user, person=person)
    try:
        identity = identity_get_for_user(user=request.user, person=person)
    except Http404:
        identity = None
    # Every read of a person's record is in the audit trail, and says whether
    # the identity was shown.
    person_read_audit(
        actor=request.user,
        people=[person],
        via="web",
        identity_shown=identity is not None,
        break_glass=break_glass,
    )
    agency = _agency(request)
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "identity": identity,
            "timeline": person_timeline_for_user(user=request.user, person=person),
            # Linkage hints are for the holding agency's casework, not for break-glass.
            "known_elsewhere": not break_glass
            and person_known_elsewhere(user=request.user, person=person),
            "operates_shelters": agency.shelters.exists(),
            "administers_funds": Fund.objects.filter(administrator=agency).exists(),
            "decides_visas": can(request.user, Action.VISA_DECIDE),
            "confirms": can(request.user, Action.IDENTIFICATION_CONFIRM),
            # The registering agency's supervisor, where there is an identity left to erase.
            "erases": not break_glass
            and can(request.user, Action.PERSON_ERASE)
            and person.registered_by_id == agency.pk
            and identity is not None
            and identity.erased_at is None,
            "agency": agency,
            "break_glass": break_glass,
        },
    )


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """A supervisor opens time-limited read access to a person their agency does not hold."""
    if not can(request.user, Action.BREAK_GLASS_OPEN):
        raise PermissionDenied(_("Only supervisors may open break-glass access."))
    form = web_forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = _call(
            form,
            break_glass_open,
            aliases={"person": "public_id"},
            actor=request.user,
            person=form.cleaned_data["person"],
            reason=form.cleaned_data["reason"],
            hours=form.cleaned_data["hours"],
        )
        if grant is not None:
            messages.warning(
                request,
                _("Break-glass access open until %(time)s. Every read is audited.")
                % {"time": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("person-detail", public_id=grant.person.public_id)
    grants = break_glass_active_for_user(user=request.user).select_related("person")
    return render(request, "web/break_glass.html", {"form": form, "grants": grants})


@casework
def person_screen(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    agency = _agency(request)
    protocols = Protocol.objects.all()
    code = request.POST.get("protocol") or request.GET.get("protocol")
    protocol = protocols.filter(code=code).first() if code else None
    if protocol is None:
        # The protocol agencies of this kind use comes first.
        protocol = protocols.filter(used_by=agency.kind).first() or protocols.first()
    if protocol is None:
        raise Http404
    form = web_forms.ScreeningForm(request.POST or None, protocol=protocol)
    if request.method == "POST" and form.is_valid():
        screening = _call(
            form,
            registry.screening_record,
            actor=request.user,
            person=person,
            protocol=protocol,
            answers=form.answers(),
            screened_on=form.cleaned_data["screened_on"],
        )
        if screening is not None:
            if screening.proposes_potential_victim:
                text = _(
                    "Score %(score)s of %(threshold)s: the screening proposes a potential victim."
                )
            else:
                text = _(
                    "Score %(score)s of %(threshold)s: the screening does not propose a victim."
                )
            messages.success(
                request, text % {"score": screening.score, "threshold": protocol.threshold}
            )
            return redirect(
                f"{_url('person-identify', public_id)}?protocol={protocol.pk}"
                f"&proposed={int(screening.proposes_potential_victim)}"
            )
    context = {"person": person, "form": form, "protocol": protocol, "protocols": protocols}
    if _is_htmx(request):
        return render(request, "web/_screening_questions.html", context)
    return render(request, "web/person_screen.html", context)


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@casework
def person_identify(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    agency = _agency(request)
    if request.method == "POST":
        form = web_forms.IdentificationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = _call(
                form,
                registry.identification_record,
                aliases={"forms": "exploitation"},
                actor=request.user,
                person=person,
                identified_on=data["identified_on"],
                forms=data["exploitation"],
                status=data["status"],
                jurisdiction=data["jurisdiction"],
                country_abroad=data["country_abroad"],
                protocol=data["protocol"],
                age_at_identification=data["age_at_identification"],
                consent_to_share=data["consent_to_share"],
                agency_record_id=data["agency_record_id"],
            )
            if done is not None:
                messages.success(request, _("Identification recorded."))
                return redirect("person-detail", public_id=public_id)
    else:
        # Where the agency is: its state, or for a consulate the country it is in.
        form = web_forms.IdentificationForm(
            initial={
                "protocol": request.GET.get("protocol"),
                "jurisdiction": agency.jurisdiction,
                "country_abroad": agency.country,
            }
        )
    return render(request, "web/person_form.html", _form_context(person, form, "identify"))


_RECORD = gettext_lazy("Record")
_TITLES = {
    "identify": (gettext_lazy("Record an identification"), _RECORD),
    "refer": (gettext_lazy("Refer to another agency"), gettext_lazy("Send referral")),
    "service": (gettext_lazy("Record a service delivered"), _RECORD),
    "admit": (gettext_lazy("Admit to a shelter"), gettext_lazy("Admit")),
    "visa": (gettext_lazy("Request a humanitarian visa"), gettext_lazy("Request")),
    "disbursement": (gettext_lazy("Record a payment from a fund"), _RECORD),
    "proceeding": (gettext_lazy("Record participation in proceedings"), _RECORD),
    "erase": (gettext_lazy("Erase the identity on a legal request"), gettext_lazy("Erase")),
}


def _record_for_person(
    request: HttpRequest,
    person: Person,
    form: forms.Form,
    service: Callable[..., Any],
    *,
    done: str,
    what: str,
) -> HttpResponse:
    """The form page of a record about a person: on a valid POST the service writes it."""
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(form, service, actor=request.user, person=person, **form.cleaned_data)
    ):
        messages.success(request, done)
        return redirect("person-detail", public_id=person.public_id)
    return render(request, "web/person_form.html", _form_context(person, form, what))


def _form_context(person: Person, form: forms.Form, what: str, **extra: Any) -> dict[str, Any]:
    title, button = _TITLES[what]
    return {"person": person, "form": form, "title": title, "button": button, **extra}


@casework
def person_refer(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.ReferralSendForm(request.POST or None, own_agency=_agency(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = _call(
                form,
                referrals.referral_send,
                actor=request.user,
                person=person,
                to_agency=data["to_agency"],
                services=data["services"],
                consent=data["consent"],
                shares_identity=data["shares_identity"],
            )
        except PermissionDenied as exc:
            form.add_error("shares_identity", str(exc))
            referral = None
        if referral is not None:
            messages.success(
                request, _("Referral sent to %(agency)s.") % {"agency": referral.to_agency.code}
            )
            return redirect("referral-detail", pk=referral.pk)
    return render(request, "web/person_form.html", _form_context(person, form, "refer"))


@casework
def person_erase(request: HttpRequest, public_id: str) -> HttpResponse:
    """A supervisor of the registering agency erases the identity on a legal request."""
    if not can(request.user, Action.PERSON_ERASE):
        raise PermissionDenied(_("Only a supervisor can erase a person's identity."))
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.ErasureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            registry.person_erase,
            actor=request.user,
            person=person,
            legal_reference=form.cleaned_data["legal_reference"],
        )
    ):
        messages.success(
            request, _("The identity of %(id)s was erased.") % {"id": person.public_id}
        )
        return redirect("person-detail", public_id=person.public_id)
    return render(request, "web/person_form.html", _form_context(person, form, "erase"))


@casework
def service_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.ServiceForm(request.POST or None)
    return _record_for_person(
        request,
        person,
        form,
        assistance.service_record,
        done=_("Service recorded."),
        what="service",
    )


@casework
def stay_admit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    shelters = shelter_list_with_occupancy().filter(operator=_agency(request), active=True)
    form = web_forms.StayAdmitForm(request.POST or None, shelters=shelters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # An admission answers the open referral for shelter, when there is one.
        referral = (
            referral_list_for_user(user=request.user)
            .filter(person=person, to_agency=_agency(request), status=Referral.Status.ACCEPTED)
            .first()
        )
        stay = _call(
            form,
            assistance.stay_admit,
            aliases={"person": "shelter"},
            actor=request.user,
            person=person,
            shelter=data["shelter"],
            admitted_on=data["admitted_on"],
            accompanying_children=data["accompanying_children"],
            referral=referral,
        )
        if stay is not None:
            messages.success(
                request, _("Admitted to %(shelter)s.") % {"shelter": stay.shelter.name}
            )
            return redirect("person-detail", public_id=public_id)
    return render(
        request, "web/person_form.html", _form_context(person, form, "admit", shelters=shelters)
    )


@casework
def stay_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    stay = stay_get_for_user(user=request.user, pk=pk)
    form = web_forms.StayDischargeForm(request.POST or None, stay=stay)
    if request.method == "POST" and form.is_valid():
        done = _call(
            form,
            assistance.stay_discharge,
            aliases={"discharge_reason": "reason"},
            actor=request.user,
            stay=stay,
            discharged_on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("Discharge recorded."))
            return redirect("person-detail", public_id=stay.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": stay.person,
            "form": form,
            "title": _("Discharge from the shelter"),
            "button": _("Discharge"),
            "record": stay,
        },
    )


@casework
def visa_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.VisaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _call(
            form,
            immigration.visa_request,
            aliases={"person": "requested_on"},
            actor=request.user,
            person=person,
            requested_on=form.cleaned_data["requested_on"],
        )
        if done is not None:
            messages.success(request, _("Visa request recorded."))
            return redirect("person-detail", public_id=public_id)
    return render(request, "web/person_form.html", _form_context(person, form, "visa"))


@casework
def visa_decide(request: HttpRequest, pk: int) -> HttpResponse:
    visa = visa_request_get_for_user(user=request.user, pk=pk)
    if not can(request.user, Action.VISA_DECIDE):
        raise PermissionDenied(_("Only the immigration authority decides visa requests."))
    form = web_forms.VisaDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _call(
            form,
            immigration.visa_decide,
            aliases={"outcome": "granted"},
            actor=request.user,
            request=visa,
            **form.cleaned_data,
        )
        if done is not None:
            if done.valid_until:
                text = _("Visa granted, valid until %(date)s.") % {"date": done.valid_until}
            else:
                text = _("Visa refused.")
            messages.success(request, text)
            return redirect("person-detail", public_id=visa.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": visa.person,
            "form": form,
            "title": _("Decide the visa request"),
            "button": _("Record the decision"),
            "record": visa,
        },
    )


@casework
def disbursement_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.DisbursementForm(
        request.POST or None, funds=Fund.objects.filter(administrator=_agency(request))
    )
    return _record_for_person(
        request,
        person,
        form,
        funds.disbursement_record,
        done=_("Payment recorded."),
        what="disbursement",
    )


@casework
def proceeding_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = web_forms.ParticipationForm(request.POST or None)
    return _record_for_person(
        request,
        person,
        form,
        justice.participation_record,
        done=_("Participation recorded."),
        what="proceeding",
    )


@casework
def restitution_new(request: HttpRequest, pk: int) -> HttpResponse:
    participation = participation_get_for_user(user=request.user, pk=pk)
    form = web_forms.RestitutionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            justice.restitution_order_record,
            actor=request.user,
            participation=participation,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Restitution order recorded."))
        return redirect("person-detail", public_id=participation.person.public_id)
    return render(
        request,
        "web/record_form.html",
        {
            "person": participation.person,
            "form": form,
            "title": _("Record a restitution order"),
            "button": _("Record"),
            "record": participation,
        },
    )


@require_POST
@casework
def identification_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    identification = identification_get_for_user(user=request.user, pk=pk)
    try:
        registry.identification_confirm(actor=request.user, identification=identification)
        messages.success(request, _("Identification confirmed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, _url("person-detail", identification.person.public_id))


@require_POST
@casework
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_get_for_user(user=request.user, pk=pk)
    justice.alert_acknowledge(actor=request.user, alert=alert)
    messages.success(request, _("Alert acknowledged."))
    return _back(request, _url("home"))


# Referrals -------------------------------------------------------------------------------------


@casework
def referral_list(request: HttpRequest) -> HttpResponse:
    form = web_forms.ReferralFilterForm(request.GET or None)
    agency = _agency(request)
    rows = referral_list_for_user(user=request.user)
    if form.is_valid():
        if form.cleaned_data["direction"] == "sent":
            rows = rows.filter(from_agency=agency)
        elif form.cleaned_data["direction"] == "received":
            rows = rows.filter(to_agency=agency)
        if status := form.cleaned_data["status"]:
            rows = rows.filter(status=status)
    return render(
        request,
        "web/referral_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "query": _query_without_page(request),
            "agency": agency,
        },
    )


@casework
def referral_inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/referral_inbox.html",
        {"page": _page(request, referral_inbox_for(user=request.user)), "query": ""},
    )


@casework
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    context = _referral_context(request, referral)
    if context["identity"] is not None:
        # The page shows the person's identity: a read of their record.
        person_read_audit(
            actor=request.user,
            people=[referral.person],
            via="web.referral",
            identity_shown=True,
            break_glass=False,
        )
    return render(request, "web/referral_detail.html", context)


def _referral_context(
    request: HttpRequest, referral: Referral, form: forms.Form | None = None, action: str = ""
) -> dict[str, Any]:
    agency = _agency(request)
    receiving = referral.to_agency_id == agency.pk
    identity = None
    if referral.status in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED):
        try:
            identity = identity_get_for_user(user=request.user, person=referral.person)
        except Http404:
            identity = None
    return {
        "referral": referral,
        "receiving": receiving,
        "sending": referral.from_agency_id == agency.pk,
        "identity": identity,
        "person_held": referral.from_agency_id == agency.pk
        or referral.status in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED),
        "reason_form": form if action in ("decline", "revoke") else web_forms.ReasonForm(),
        "failed_action": action,
    }


_ANSWERS: dict[str, Callable[..., Referral]] = {
    "accept": referrals.referral_accept,
    "decline": referrals.referral_decline,
    "complete": referrals.referral_complete,
    "revoke": referrals.referral_revoke,
}
_DONE = {
    "accept": gettext_lazy("Referral accepted."),
    "decline": gettext_lazy("Referral declined."),
    "complete": gettext_lazy("Referral completed."),
    "revoke": gettext_lazy("Referral revoked."),
}


@require_POST
@casework
def referral_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    referral = referral_get_for_user(user=request.user, pk=pk)
    service = _ANSWERS.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {"actor": request.user, "referral": referral}
    form = web_forms.ReasonForm(request.POST)
    if action in ("decline", "revoke"):
        if not form.is_valid():
            return _referral_failed(request, referral, form, action)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(**kwargs)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _referral_failed(request, referral, form, action)
    messages.success(request, str(_DONE[action]))
    if _is_htmx(request):
        referral.refresh_from_db()
        return render(request, "web/_inbox_row.html", {"referral": referral, "answered": True})
    return redirect("referral-detail", pk=referral.pk)


def _referral_failed(
    request: HttpRequest, referral: Referral, form: forms.Form, action: str
) -> HttpResponse:
    referral.refresh_from_db()
    context = _referral_context(request, referral, form, action)
    return render(request, "web/referral_detail.html", context, status=400)


# Figures ---------------------------------------------------------------------------------------


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.PSEUDONYMOUS_READ):
        raise PermissionDenied(_("National figures are for national analysts."))
    return render(request, "web/figures.html", _figures_context(request))
