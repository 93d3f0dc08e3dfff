"""referrals' hooks: what an erasure clears of a person's referrals."""

from __future__ import annotations

from enlace.referrals.models import Referral
from enlace.registry.models import Person
from enlace.registry.services import erasure_step


@erasure_step
def _clear_reasons(person: Person) -> dict[str, int]:
    # Written about the person, a reason may name them.
    cleared = Referral.objects.filter(person=person).exclude(reason="").update(reason="")
    return {"referral_reasons_cleared": cleared}
