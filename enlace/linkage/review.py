"""Reviewers' decisions on pairs of records, and what the pairs still in review leave open."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record, snapshot
from enlace.core.services import lock
from enlace.linkage.models import MatchPair
from enlace.linkage.services import national_groups_join
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user


@transaction.atomic
def match_decide(
    *, actor: Any, left: Person, right: Person, decision: str, reason: str = ""
) -> MatchPair:
    """Decide that two records are the same person (merge) or two people (split).

    The decision holds in every later run. A merge joins the two national
    persons now; a split takes effect at the next run, which re-clusters.
    """
    membership = require(actor, Action.MATCH_DECIDE)
    if membership.role != Role.NATIONAL_ANALYST:
        # A supervisor decides with names: only on two records their agency registered.
        if not left.registered_by_id == right.registered_by_id == membership.agency_id:
            raise Http404
        for person in (left, right):
            identity_get_for_user(user=actor, person=person)
    if decision not in (MatchPair.Status.MERGED, MatchPair.Status.SPLIT):
        raise ValidationError({"decision": _("Choose same person or different people.")})
    if left.pk == right.pk:
        raise ValidationError(_("A record cannot be paired with itself."))
    first, second = sorted((left.pk, right.pk))
    pair, _created = MatchPair.objects.get_or_create(left_id=first, right_id=second)
    lock(pair)
    before = snapshot(pair)
    pair.status = decision
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.reason = reason
    pair.save()
    audit_record(
        actor=actor, action=f"match.{decision}", obj=pair, before=before, after=snapshot(pair)
    )
    if decision == MatchPair.Status.MERGED:
        person = Person.objects.get(pk=first)
        if not national_groups_join(person, second):
            raise ValidationError(
                _("A reviewer decided that records of these two people are different people.")
            )
    return pair


def national_people_range(records: Any) -> tuple[int, int]:
    """How many people the records are: if every pair in review were one person, and as linked.

    ``records`` is a query of person pks. The second figure is the count at
    the link threshold; the first is the least it could be if reviewers
    merged every pending pair among the records.
    """
    national = dict(Person.objects.filter(pk__in=records).values_list("pk", "national_id"))
    high = len(set(national.values()))
    parent = {n: n for n in national.values()}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    pending = MatchPair.objects.filter(
        status=MatchPair.Status.PENDING, left_id__in=records, right_id__in=records
    ).values_list("left_id", "right_id")
    for a, b in pending:
        ra, rb = root(national[a]), root(national[b])
        if ra != rb:
            parent[rb] = ra
    low = len({root(n) for n in parent})
    return low, high
