from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record, snapshot
from enlace.core.ids import public_id
from enlace.core.services import require_held, save_audited
from enlace.directory.models import Agency, Country, Jurisdiction, Protocol
from enlace.registry.models import (
    ExploitationForm,
    Identification,
    IdentificationForm,
    Identity,
    Person,
    Screening,
    identity_max_length,
)
from enlace.registry.screening import Indicator, screening_score
from enlace.registry.selectors import identity_get_for_user

IDENTITY_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "birth_date",
    "curp",
    "passport_number",
    "contact",
)


@transaction.atomic
def person_register(
    *,
    actor: Any,
    identity: Mapping[str, Any],
    sex: str = "unspecified",
    gender: str = "unknown",
    nationality: Country | None = None,
    indigenous: bool | None = None,
    disability: bool | None = None,
) -> Person:
    """Register a person for the actor's agency, with their identity in the encrypted vault."""
    membership = require(actor, Action.PERSON_REGISTER)
    assert membership.agency is not None  # case roles have one
    person = person_new(
        agency=membership.agency,
        public_id=unused_person_ids("public_id", 1)[0],
        # A new record is its own national person until linkage joins it to
        # others; drawn apart from the public id, so one never reveals the other.
        national_id=unused_person_ids("national_id", 1)[0],
        sex=sex,
        gender=gender,
        nationality=nationality,
        indigenous=indigenous,
        disability=disability,
    )
    vault = identity_new(person=person, identity=identity)
    save_audited(actor=actor, action="person.register", obj=person)
    save_audited(actor=actor, action="identity.create", obj=vault)
    person_link(person=person, identity=vault)
    return person


def person_new(*, agency: Agency, public_id: str, national_id: str, **fields: Any) -> Person:
    """A person registered by ``agency``, its fields checked, not saved yet.

    ``person_register`` saves it; an import builds many and stores them in batches.
    """
    person = Person(public_id=public_id, national_id=national_id, registered_by=agency, **fields)
    fields_check(person)
    return person


def identity_new(*, person: Person, identity: Mapping[str, Any]) -> Identity:
    """The identity vault of ``person``, its fields checked (``IDENTITY_FIELDS``,
    the model's lengths), not saved yet; the CURP in capitals."""
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError({f: _("Not an identity field.") for f in sorted(unknown)})
    vault = Identity(person=person, **identity)
    if vault.curp:
        vault.curp = vault.curp.strip().upper()
    fields_check(vault)
    return vault


def fields_check(obj: models.Model, names: Iterable[str] | None = None) -> None:
    """The model's own field rules (lengths, choices) for ``names``, or every field.

    Related records are not looked up: the database enforces foreign keys, and
    uniqueness is checked where the record is saved.
    """
    only = None if names is None else set(names)
    exclude = [
        f.name
        for f in obj._meta.concrete_fields
        if f.is_relation or (only is not None and f.name not in only)
    ]
    obj.clean_fields(exclude=exclude)
    obj.clean()


PREFIXES = {"public_id": "V", "national_id": "N"}


def unused_person_ids(field: str, n: int) -> list[str]:
    """``n`` new random ids for ``Person.public_id`` or ``Person.national_id``.

    Six characters give about a billion ids: a collision is rare, but in a
    registry of millions it is certain to happen some day, so check. A reused
    national id would join two people, a reused public id fail the insert.
    """
    ids: set[str] = set()
    while len(ids) < n:
        candidates = {public_id(PREFIXES[field]) for _ in range(n - len(ids))} - ids
        taken = Person.objects.filter(**{f"{field}__in": candidates}).values_list(field, flat=True)
        ids |= candidates - set(taken)
    return sorted(ids)


def person_link(*, person: Person, identity: Identity) -> None:
    """Store the person's linkage encoding and match it against the registry.

    Any two records linkage finds to be one human take the same
    ``national_id``; pairs it is unsure of go to the analysts' review queue.
    """
    from enlace.linkage.services import encoding_store, match_new

    encoding_store(person=person, identity=identity)
    match_new(person=person)


@transaction.atomic
def identity_update(*, actor: Any, person: Person, **changes: Any) -> Identity:
    membership = require(actor, Action.IDENTITY_UPDATE)
    if person.registered_by_id != membership.agency_id:
        # A referral that shares the identity lets the receiver read it, not rewrite it.
        raise PermissionDenied(_("Only the agency that registered this person can change it."))
    vault = identity_get_for_user(user=actor, person=person)
    if vault.erased_at is not None:
        raise ValidationError(_("This identity was erased on a legal request."))
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError({f: _("Not an identity field.") for f in sorted(unknown)})
    before = snapshot(vault)
    for name, value in changes.items():
        setattr(vault, name, value)
    fields_check(vault, changes)
    save_audited(actor=actor, action="identity.update", obj=vault, before=before)
    person_link(person=person, identity=vault)
    return vault


@transaction.atomic
def screening_record(
    *,
    actor: Any,
    person: Person,
    protocol: Protocol,
    answers: Mapping[str, bool],
    screened_on: datetime.date,
) -> Screening:
    membership = require(actor, Action.SCREENING_RECORD)
    require_held(actor=actor, person=person)
    indicators = [Indicator(i.code, i.weight) for i in protocol.indicators.all()]
    try:
        result = screening_score(indicators, answers, protocol.threshold)
    except ValueError as exc:
        raise ValidationError({"answers": str(exc)}) from None
    screening = Screening(
        person=person,
        agency=membership.agency,
        protocol=protocol,
        screened_on=screened_on,
        answers=dict(answers),
        score=result.score,
        proposes_potential_victim=result.proposes_potential_victim,
        recorded_by=actor,
    )
    save_audited(actor=actor, action="screening.record", obj=screening)
    return screening


@transaction.atomic
def identification_record(
    *,
    actor: Any,
    person: Person,
    identified_on: datetime.date,
    forms: Iterable[str],
    status: str = Identification.Status.POTENTIAL,
    jurisdiction: Jurisdiction | None = None,
    country_abroad: Country | None = None,
    protocol: Protocol | None = None,
    age_at_identification: int | None = None,
    consent_to_share: bool = False,
    agency_record_id: str | None = None,
) -> Identification:
    """Record that the actor's agency identified ``person`` as a (potential) victim."""
    membership = require(actor, Action.IDENTIFICATION_RECORD)
    require_held(actor=actor, person=person)
    forms = sorted(set(forms))
    bad = [f for f in forms if f not in ExploitationForm.values]
    if bad:
        raise ValidationError({"forms": _("Unknown form of exploitation: %s") % ", ".join(bad)})
    if status != Identification.Status.NOT_A_VICTIM and not forms:
        forms = [ExploitationForm.UNSPECIFIED]
    if identified_on > timezone.localdate():
        raise ValidationError({"identified_on": _("An identification cannot be in the future.")})
    if jurisdiction and country_abroad:
        raise ValidationError(
            {"country_abroad": _("Give a jurisdiction or a country abroad, not both.")}
        )
    identification = Identification(
        person=person,
        agency=membership.agency,
        agency_record_id=agency_record_id or None,
        identified_on=identified_on,
        jurisdiction=jurisdiction,
        country_abroad=country_abroad,
        protocol=protocol,
        status=status,
        age_at_identification=age_at_identification,
        consent_to_share=consent_to_share,
        recorded_by=actor,
    )
    save_audited(
        actor=actor, action="identification.record", obj=identification, also={"forms": forms}
    )
    IdentificationForm.objects.bulk_create(
        [IdentificationForm(identification=identification, form=f) for f in forms]
    )
    if age_at_identification is not None:
        from enlace.linkage.services import match_if_age_only

        # An age is the first birth year a record without a birth date has.
        match_if_age_only(person=person, age=age_at_identification, on=identified_on)
    return identification


@transaction.atomic
def identification_confirm(*, actor: Any, identification: Identification) -> Identification:
    """A supervisor confirms a potential victim as identified."""
    membership = require(actor, Action.IDENTIFICATION_CONFIRM)
    if identification.agency_id != membership.agency_id:
        raise PermissionDenied(_("Only the identifying agency can confirm its identifications."))
    if identification.status != Identification.Status.POTENTIAL:
        raise ValidationError({"status": _("Only a potential victim can be confirmed.")})
    before = snapshot(identification)
    identification.status = Identification.Status.IDENTIFIED
    identification.confirmed_by = actor
    identification.confirmed_at = timezone.now()
    save_audited(actor=actor, action="identification.confirm", obj=identification, before=before)
    return identification


@transaction.atomic
def person_erase(*, actor: Any, person: Person, legal_reference: str) -> Identity:
    """Erase a person's identity on a legal request, keeping the pseudonymous record.

    Removed: every identity field, the linkage encoding (tokens of the names,
    CURP and birth date), pending review pairs and the reasons written on
    decided ones, and the free-text reasons of the person's referrals and visa
    requests (written about the person, they may name them). Kept, so that
    published figures do not change: the person row (public id, national id,
    sex, nationality), identifications with their ages, referrals and
    services. Linkage runs read encodings only, so the erased record keeps its
    national id and joins no one new. Break-glass reasons are kept: they are
    the evidence an auditor reviews a supervisor's access by.
    """
    from enlace.immigration.models import VisaRequest
    from enlace.linkage.models import Encoding, MatchPair
    from enlace.referrals.models import Referral

    membership = require(actor, Action.PERSON_ERASE)
    if membership.role == Role.SUPERVISOR and person.registered_by_id != membership.agency_id:
        raise PermissionDenied(_("Only the registering agency's supervisor can erase a person."))
    legal_reference = legal_reference.strip()
    if not legal_reference:
        raise ValidationError(
            {"legal_reference": _("Give the legal reference of the erasure request.")}
        )
    limit = identity_max_length("erasure_reference")
    if len(legal_reference) > limit:
        raise ValidationError({"legal_reference": _("At most %d characters.") % limit})
    vault, _created = Identity.objects.select_for_update().get_or_create(person=person)
    if vault.erased_at is not None:
        raise ValidationError(_("This identity was already erased."))
    before = snapshot(vault)
    for name in IDENTITY_FIELDS:
        setattr(vault, name, None if name == "birth_date" else "")
    vault.erased_at = timezone.now()
    vault.erasure_reference = legal_reference
    vault.save()
    encodings, _kinds = Encoding.objects.filter(person=person).delete()
    pairs = Q(left=person) | Q(right=person)
    pending, _kinds = MatchPair.objects.filter(pairs, status=MatchPair.Status.PENDING).delete()
    # A reviewer's reason was written looking at both identities.
    MatchPair.objects.filter(pairs).update(reason="")
    referral_reasons = Referral.objects.filter(person=person).exclude(reason="").update(reason="")
    visa_reasons = (
        VisaRequest.objects.filter(person=person)
        .exclude(refusal_reason="")
        .update(refusal_reason="")
    )
    audit_record(
        actor=actor,
        action="person.erase",
        obj=person,
        before=before,
        # The legal reference is in the vault, encrypted: "[encrypted]" here.
        after={
            **snapshot(vault),
            "encodings_deleted": encodings,
            "pending_pairs_deleted": pending,
            "referral_reasons_cleared": referral_reasons,
            "visa_reasons_cleared": visa_reasons,
        },
    )
    return vault
