"""The people pages: the agency's list, search before registering, register, the person's
page, erasure on a legal request, and a supervisor's break-glass access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.accounts.permissions import Action, can
from enlace.accounts.routes import PERSON, Who, door
from enlace.directory.models import Country
from enlace.funds.models import Fund
from enlace.linkage.selectors import person_known_elsewhere
from enlace.registry import services as registry
from enlace.registry.access import break_glass_open, person_read_audit
from enlace.registry.models import Gender, Identification, Person, Sex, identity_max_length
from enlace.registry.selectors import (
    break_glass_active_for_user,
    identification_list_for_user,
    identity_get_for_user,
    person_get_for_user,
    person_list_for_user,
    person_search_for_user,
    person_under_break_glass,
)
from enlace.web.pages import (
    DateInput,
    agency_of,
    call,
    form_context,
    is_htmx,
    page,
    query_without_page,
    to_bool,
    yes_no_unknown,
)
from enlace.web.selectors import person_timeline_for_user

# Forms -----------------------------------------------------------------------------------------


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Public id"), required=False, max_length=12)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Any")), *Sex.choices], required=False)
    status = forms.ChoiceField(
        label=_("Identification"),
        choices=[("", _("Any")), *Identification.Status.choices],
        required=False,
    )


class PersonSearchForm(forms.Form):
    given_names = forms.CharField(
        label=_("Given names"), required=False, max_length=identity_max_length("given_names")
    )
    paternal_surname = forms.CharField(
        label=_("Paternal surname"),
        required=False,
        max_length=identity_max_length("paternal_surname"),
    )
    maternal_surname = forms.CharField(
        label=_("Maternal surname"),
        required=False,
        max_length=identity_max_length("maternal_surname"),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    curp = forms.CharField(label=_("CURP"), required=False, max_length=identity_max_length("curp"))

    # The live search runs as the user types: a letter or two would show, and
    # audit as read, every person of the agency whose name contains them.
    MIN_NAME_LETTERS = 3

    def has_terms(self) -> bool:
        data = self.cleaned_data
        names = (data.get(f) or "" for f in ("given_names", "paternal_surname", "maternal_surname"))
        return bool(
            data.get("birth_date")
            or data.get("curp")
            or any(len(n.strip()) >= self.MIN_NAME_LETTERS for n in names)
        )


class PersonRegisterForm(PersonSearchForm):
    given_names = forms.CharField(
        label=_("Given names"), max_length=identity_max_length("given_names")
    )
    paternal_surname = forms.CharField(
        label=_("Paternal surname"), max_length=identity_max_length("paternal_surname")
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        required=False,
        max_length=identity_max_length("passport_number"),
    )
    contact = forms.CharField(
        label=_("Safe contact"),
        required=False,
        max_length=identity_max_length("contact"),
        help_text=_("A telephone, address or person through whom the person can be reached."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNSPECIFIED)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Country.objects.all(), required=False
    )
    indigenous = forms.TypedChoiceField(
        label=_("Indigenous"), choices=yes_no_unknown, coerce=to_bool, required=False
    )
    disability = forms.TypedChoiceField(
        label=_("Disability"), choices=yes_no_unknown, coerce=to_bool, required=False
    )
    consent = forms.BooleanField(
        label=_("The person agreed to be registered, after being told what is recorded and why."),
        error_messages={"required": _("Registration needs the person's consent.")},
    )

    def clean_curp(self) -> str:
        curp: str = self.cleaned_data.get("curp", "").strip().upper()
        if curp and len(curp) != 18:
            raise forms.ValidationError(_("A CURP has 18 characters."))
        return curp

    def identity(self) -> dict[str, Any]:
        names = ("given_names", "paternal_surname", "maternal_surname", "birth_date", "curp")
        fields = (*names, "passport_number", "contact")
        return {f: self.cleaned_data[f] for f in fields if self.cleaned_data.get(f)}


class ErasureForm(forms.Form):
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        max_length=identity_max_length("erasure_reference"),
        help_text=_(
            "The number of the ARCO cancellation request or court order. "
            "Kept encrypted; do not write the person's name."
        ),
    )
    understood = forms.BooleanField(
        label=_(
            "I understand that the names, birth date, CURP, passport and contact are "
            "erased for good, and that this person can no longer be linked to new records."
        ),
    )


class BreakGlassForm(forms.Form):
    public_id = forms.CharField(
        label=_("Person's public id"),
        max_length=14,
        help_text=_("As another agency gave it to you, e.g. V-7F3K9Q."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why you need this person's record now. Do not write names."),
    )
    hours = forms.IntegerField(
        label=_("Hours"),
        min_value=1,
        initial=1,
        help_text=_("Access ends on its own after this many hours."),
    )

    def clean_public_id(self) -> str:
        value: str = self.cleaned_data["public_id"].strip().upper()
        person = Person.objects.filter(public_id=value).first()
        if person is None:
            raise forms.ValidationError(_("No person has this public id."))
        self.cleaned_data["person"] = person
        return value


# Views -----------------------------------------------------------------------------------------


@door(Who.CASEWORK, Action.PERSON_VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
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
        {"form": form, "page": page(request, people), "query": query_without_page(request)},
    )


@door(Who.CASEWORK, Action.IDENTITY_VIEW)
def person_search(request: HttpRequest) -> HttpResponse:
    """Search before registering: the people the agency already holds that match."""
    form = PersonSearchForm(request.POST or None)
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
    if is_htmx(request):
        return render(request, "web/_search_results.html", context)
    return render(request, "web/person_search.html", context)


@door(Who.CASEWORK, Action.PERSON_REGISTER)
def person_register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("prefill"):
        # From the search: what was typed carries over, so nothing is typed twice.
        typed = PersonSearchForm.base_fields
        form = PersonRegisterForm(initial={k: v for k, v in request.POST.items() if k in typed})
    elif request.method == "POST":
        form = PersonRegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person = call(
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
                    request,
                    gettext("Registered as %(id)s. Now screen them.") % {"id": person.public_id},
                )
                return redirect("person-screen", public_id=person.public_id)
    else:
        form = PersonRegisterForm()
    return render(request, "web/person_register.html", {"form": form})


@door(Who.CASEWORK, Action.PERSON_VIEW, record=PERSON, param="public_id")
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
    agency = agency_of(request)
    timeline = person_timeline_for_user(user=request.user, person=person)
    # The agency's own case, if it has one, is on the timeline already.
    cases = [e.obj for e in timeline if e.kind == "case" and e.obj.agency_id == agency.pk]
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "identity": identity,
            "timeline": timeline,
            # Linkage hints are for the holding agency's casework, not for break-glass.
            "known_elsewhere": not break_glass
            and person_known_elsewhere(user=request.user, person=person),
            "operates_shelters": agency.shelters.exists(),
            "administers_funds": Fund.objects.filter(administrator=agency).exists(),
            "decides_visas": can(request.user, Action.VISA_DECIDE),
            "confirms": can(request.user, Action.IDENTIFICATION_CONFIRM),
            "ruled_out_reasons": Identification.RuledOut.choices,
            "corrects": not break_glass
            and can(request.user, Action.IDENTITY_UPDATE)
            and person.registered_by_id == agency.pk
            and identity is not None
            and identity.erased_at is None,
            # The registering agency's supervisor, where there is an identity left to erase.
            "erases": not break_glass
            and can(request.user, Action.PERSON_ERASE)
            and person.registered_by_id == agency.pk
            and identity is not None
            and identity.erased_at is None,
            "agency": agency,
            "break_glass": break_glass,
            "case": None if break_glass else next(iter(cases), None),
        },
    )


@door(Who.SUPERVISOR, Action.PERSON_ERASE, record=PERSON, param="public_id")
def person_erase(request: HttpRequest, public_id: str) -> HttpResponse:
    """A supervisor of the registering agency erases the identity on a legal request."""
    person = person_get_for_user(user=request.user, public_id=public_id)
    form = ErasureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call(
            form,
            registry.person_erase,
            actor=request.user,
            person=person,
            legal_reference=form.cleaned_data["legal_reference"],
        )
    ):
        messages.success(
            request, gettext("The identity of %(id)s was erased.") % {"id": person.public_id}
        )
        return redirect("person-detail", public_id=person.public_id)
    title, button = _("Erase the identity on a legal request"), _("Erase")
    return render(request, "web/person_form.html", form_context(person, form, title, button))


@door(Who.SUPERVISOR, Action.BREAK_GLASS_OPEN)
def break_glass(request: HttpRequest) -> HttpResponse:
    """A supervisor opens time-limited read access to a person their agency does not hold."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = call(
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
                gettext("Break-glass access open until %(time)s. Every read is audited.")
                % {"time": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")},
            )
            return redirect("person-detail", public_id=grant.person.public_id)
    grants = break_glass_active_for_user(user=request.user).select_related("person")
    return render(request, "web/break_glass.html", {"form": form, "grants": grants})
