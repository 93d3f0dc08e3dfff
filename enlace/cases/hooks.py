"""cases' hooks: a transfer accepted moves the case, in the acceptance's transaction."""

from __future__ import annotations

from typing import Any

from enlace.cases.models import FollowUp, Goal
from enlace.cases.services import transfer_accepted
from enlace.referrals.models import Referral
from enlace.referrals.services import on_referral_changed
from enlace.registry.models import Person
from enlace.registry.services import erasure_step


@on_referral_changed
def _transfer_answered(actor: Any, referral: Referral) -> None:
    # Declined, revoked or expired, the sender's case simply goes on.
    if referral.status == Referral.Status.ACCEPTED:
        transfer_accepted(actor=actor, referral=referral)


@erasure_step
def _clear_notes(person: Person) -> dict[str, int]:
    # Written about the person, a note may name them.
    goals = Goal.objects.filter(case__person=person).exclude(note="").update(note="")
    follow_ups = FollowUp.objects.filter(case__person=person).exclude(note="").update(note="")
    return {"case_notes_cleared": goals + follow_ups}
