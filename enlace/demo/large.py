"""Large data sets for benchmarks: the demo's pseudonymous records, copied.

Copy ``c`` of a record gets national id ``<national id>.c`` and a new
public id, so a data set ``factor`` times larger reports exactly ``factor``
times the demo's figures. Bulk inserts, no identities, no audit rows: this
is benchmark material, never case data, and is refused in production.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from enlace.assistance.models import ServiceDelivery, Stay
from enlace.funds.models import Disbursement
from enlace.immigration.models import VisaRequest
from enlace.registry.models import Identification, IdentificationForm, Person

BATCH = 5000
# Person-level records copied with each person; fields other than these are kept.
RECORDS: list[type[models.Model]] = [ServiceDelivery, Stay, VisaRequest, Disbursement]


@transaction.atomic
def demo_scale(*, factor: int, progress: Callable[[int, int], None] | None = None) -> int:
    """Add ``factor - 1`` copies of every person and their records; returns persons added."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Benchmark data is never created in production.")
    persons = _rows(Person)
    identifications = _rows(Identification)
    forms = list(IdentificationForm.objects.values_list("identification_id", "form"))
    records = {model: _rows(model) for model in RECORDS}
    added = 0
    for copy in range(1, factor):
        person_ids = _copy(Person, persons, suffix=copy)
        identification_ids = _copy(Identification, identifications, person_ids=person_ids)
        IdentificationForm.objects.bulk_create(
            [IdentificationForm(identification_id=identification_ids[i], form=f) for i, f in forms],
            batch_size=BATCH,
        )
        for model, rows in records.items():
            _copy(model, rows, person_ids=person_ids)
        added += len(persons)
        if progress:
            progress(copy, factor - 1)
    return added


def _rows(model: type[models.Model]) -> list[dict[str, Any]]:
    return [dict(row) for row in model._default_manager.values()]


def _copy(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    person_ids: dict[int, int] | None = None,
    suffix: int | None = None,
) -> dict[int, int]:
    """Insert copies of ``rows``; map each old primary key to its copy's."""
    objs = []
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        if person_ids is not None:
            values["person_id"] = person_ids[values["person_id"]]
        if suffix is not None:
            # Derived from the original's, so unique without a look-up.
            values["public_id"] = f"{values['public_id']}.{suffix}"
            values["national_id"] = f"{values['national_id']}.{suffix}"
        if "agency_record_id" in values:
            values["agency_record_id"] = None
        objs.append(model(**values))
    created = model._default_manager.bulk_create(objs, batch_size=BATCH)
    if any(obj.pk is None for obj in created):
        raise RuntimeError("this database does not return primary keys from bulk inserts")
    return {row["id"]: obj.pk for row, obj in zip(rows, created, strict=True)}
