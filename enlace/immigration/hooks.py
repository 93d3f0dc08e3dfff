"""immigration's hooks: what an erasure clears of a person's visa requests."""

from __future__ import annotations

from enlace.immigration.models import VisaRequest
from enlace.registry.models import Person
from enlace.registry.services import erasure_step


@erasure_step
def _clear_reasons(person: Person) -> dict[str, int]:
    # Written about the person, a refusal reason may name them.
    cleared = (
        VisaRequest.objects.filter(person=person)
        .exclude(refusal_reason="")
        .update(refusal_reason="")
    )
    return {"visa_reasons_cleared": cleared}
