"""Recording training sessions of officials and protocol adoptions: audited, permission-checked."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.permissions import Action, require
from enlace.audit.services import save_audited
from enlace.capacity.models import ProtocolAdoption, TrainingSession
from enlace.directory.models import Agency, Jurisdiction, Protocol


def _not_future(field: str, day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def training_record(
    *,
    actor: Any,
    held_on: datetime.date,
    topic: str,
    people_trained: int,
    trained_by: Agency | None = None,
) -> TrainingSession:
    """A supervisor records a session that trained officials of their agency."""
    membership = require(actor, Action.TRAINING_RECORD)
    _not_future("held_on", held_on)
    if trained_by is not None and trained_by.pk == membership.agency_id:
        trained_by = None
    session = TrainingSession(
        agency=membership.agency,
        held_on=held_on,
        topic=topic.strip(),
        people_trained=people_trained,
        trained_by=trained_by,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="training.record", obj=session)
    return session


@transaction.atomic
def protocol_adoption_record(
    *, actor: Any, jurisdiction: Jurisdiction, protocol: Protocol, adopted_on: datetime.date
) -> ProtocolAdoption:
    """The national coordination records that a jurisdiction adopted a protocol."""
    require(actor, Action.PROTOCOL_ADOPTION_RECORD)
    _not_future("adopted_on", adopted_on)
    if ProtocolAdoption.objects.filter(jurisdiction=jurisdiction, protocol=protocol).exists():
        raise ValidationError(
            {"protocol": _("This jurisdiction has already adopted this protocol.")}
        )
    adoption = ProtocolAdoption(
        jurisdiction=jurisdiction, protocol=protocol, adopted_on=adopted_on, recorded_by=actor
    )
    save_audited(actor=actor, action="protocol_adoption.record", obj=adoption)
    return adoption
