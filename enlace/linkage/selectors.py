"""Linkage reads, scoped by the user: the review queue and what a caseworker may learn."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, can, case_agency, membership_of
from enlace.linkage.models import LinkageRun, MatchPair
from enlace.registry.models import Person
from enlace.registry.selectors import person_is_held_by


def match_pairs_for_user(*, user: Any) -> QuerySet[MatchPair]:
    """Pairs a user may review: an analyst all (pseudonymous); a supervisor those whose two
    records their agency registered (they may then decide with names); anyone else none."""
    pairs = MatchPair.objects.select_related("left", "right")
    membership = membership_of(user)
    if not can(user, Action.MATCH_DECIDE) or membership is None:
        return pairs.none()
    if membership.role == Role.NATIONAL_ANALYST:
        return pairs
    agency = case_agency(user)
    return pairs.filter(left__registered_by=agency, right__registered_by=agency)


def review_queue(*, user: Any) -> QuerySet[MatchPair]:
    return match_pairs_for_user(user=user).filter(status=MatchPair.Status.PENDING)


def match_pair_get(*, user: Any, pk: int) -> MatchPair:
    try:
        return match_pairs_for_user(user=user).get(pk=pk)
    except MatchPair.DoesNotExist:
        raise Http404 from None


def person_known_elsewhere(*, user: Any, person: Person) -> bool:
    """Whether linkage says another agency may hold this person too; never which one."""
    if not person_is_held_by(user=user, person=person):
        raise Http404
    others = Person.objects.filter(national_id=person.national_id).exclude(
        registered_by=person.registered_by_id
    )
    pending = MatchPair.objects.filter(
        Q(left=person) | Q(right=person), status=MatchPair.Status.PENDING
    )
    # One query, for a page that shows it on every visit.
    return Person.objects.filter(pk=person.pk).filter(Exists(others) | Exists(pending)).exists()


def latest_run() -> LinkageRun | None:
    """The last finished run with a trained model (a run over too few records trains none)."""
    runs = LinkageRun.objects.exclude(finished_at=None).order_by("-started_at", "-pk")
    return next((run for run in runs[:10] if run.model), None)
