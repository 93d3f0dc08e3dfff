"""The review of uncertain matches: agreement patterns and weights, never names for analysts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, membership_of
from enlace.accounts.routes import Who, door
from enlace.linkage.models import MatchPair
from enlace.linkage.review import match_decide, national_people_range
from enlace.linkage.selectors import latest_run, match_pair_get, review_queue
from enlace.registry.access import person_read_audit
from enlace.registry.models import Identity, Person
from enlace.registry.selectors import identity_get_for_user

# How each comparison is named on the page.
COMPARISONS = {
    "curp": gettext_lazy("CURP"),
    "passport": gettext_lazy("Passport"),
    "given": gettext_lazy("Given names"),
    "paternal": gettext_lazy("Paternal surname"),
    "maternal": gettext_lazy("Maternal surname"),
    "birth": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "nationality": gettext_lazy("Nationality"),
}
LEVELS = {
    "missing": gettext_lazy("missing on one side"),
    "exact": gettext_lazy("the same"),
    "swapped with the paternal surname": gettext_lazy("swapped with the paternal surname"),
    "swapped with the given names": gettext_lazy("swapped with the given names"),
    "swapped with the maternal surname": gettext_lazy("swapped with the maternal surname"),
    "the same first given name": gettext_lazy("the same first given name"),
    "very similar": gettext_lazy("very similar"),
    "similar": gettext_lazy("similar"),
    "day and month swapped": gettext_lazy("day and month swapped"),
    "one digit different": gettext_lazy("one digit different"),
    "within a year of an estimate": gettext_lazy("within a year of an age estimate"),
    "within three years of an estimate": gettext_lazy("within three years of an age estimate"),
    "different": gettext_lazy("different"),
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (MatchPair.Status.MERGED, gettext_lazy("The same person")),
            (MatchPair.Status.SPLIT, gettext_lazy("Different people")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What decided it, without names."),
    )


@door(Who.REVIEWER, Action.MATCH_DECIDE)
def review_list(request: HttpRequest) -> HttpResponse:
    queue = review_queue(user=request.user).order_by("-probability", "pk")
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    context: dict[str, object] = {"page": page, "run": latest_run()}
    membership = membership_of(request.user)
    if membership is not None and membership.role == Role.NATIONAL_ANALYST:
        context["people_range"] = national_people_range(Person.objects.values("pk"))
    return render(request, "linkage/review_list.html", context)


@door(Who.REVIEWER, Action.MATCH_DECIDE, record="linkage.matchpair")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = match_pair_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            match_decide(
                actor=request.user,
                left=pair.left,
                right=pair.right,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Decision recorded. Later runs respect it."))
            return redirect("linkage-review")
    rows = [
        {
            "name": COMPARISONS.get(name, name),
            "level": LEVELS.get(entry["level"], entry["level"]),
            "weight": entry["weight"],
        }
        for name, entry in pair.pattern.items()
    ]
    return render(
        request,
        "linkage/review_detail.html",
        {"pair": pair, "rows": rows, "form": form, "identities": _identities(request, pair)},
    )


def _identities(request: HttpRequest, pair: MatchPair) -> list[Identity] | None:
    """Both identities, for a reviewer whose agency may read both; None for everyone else."""
    membership = membership_of(request.user)
    if membership is None or membership.role == Role.NATIONAL_ANALYST:
        return None
    try:
        found = [
            identity_get_for_user(user=request.user, person=p) for p in (pair.left, pair.right)
        ]
    except Http404:
        return None
    # Both identities are shown: a read of both people's records.
    person_read_audit(
        actor=request.user,
        people=[pair.left, pair.right],
        via="web.linkage-review",
        identity_shown=True,
        break_glass=False,  # both records are the supervisor's agency's
    )
    return found
