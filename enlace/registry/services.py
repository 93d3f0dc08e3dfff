from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import Role
from enlace.accounts.permissions import Action, require
from enlace.audit.services import audit_record, save_audited, snapshot
from enlace.core.ids import public_id
from enlace.core.retry import retried_atomic
from enlace.core.services import lock
from enlace.directory.models import Agency, Country, CountryProfile, Jurisdiction, Protocol
from enlace.directory.selectors import vocabulary_terms
from enlace.registry.models import (
    ExploitationForm,
    Identification,
    IdentificationForm,
    Identity,
    IdentityCorrection,
    Person,
    ReferralAccess,
    Screening,
    TraffickingDetail,
    TraffickingPlace,
    identity_max_length,
)
from enlace.registry.screening import Indicator, screening_score
from enlace.registry.selectors import identity_get_for_user, require_held

IDENTITY_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "birth_date",
    "curp",
    "passport_number",
    "contact",
)


@retried_atomic
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

# What the apps above the registry do in the transaction of a registry write; each
# registers its own in its hooks.py. When an identity is stored or changed: linkage
# stores the record's encoding and matches it against the registry.
IDENTITY_WRITTEN: list[Callable[[Person, Identity], None]] = []
# When an identification gives a person's age (on the day identified): linkage
# dates a record that has no birth date by it.
AGE_RECORDED: list[Callable[[Person, int, datetime.date], None]] = []
# What a legal erasure also removes, each returning its counts for the audit row:
# linkage the encoding and review pairs, referrals and immigration their reasons.
ERASURE_STEPS: list[Callable[[Person], dict[str, int]]] = []


def on_identity_written(hook: Callable[[Person, Identity], None]) -> Callable[..., None]:
    IDENTITY_WRITTEN.append(hook)
    return hook


def on_age_recorded(hook: Callable[[Person, int, datetime.date], None]) -> Callable[..., None]:
    AGE_RECORDED.append(hook)
    return hook


def erasure_step(step: Callable[[Person], dict[str, int]]) -> Callable[[Person], dict[str, int]]:
    ERASURE_STEPS.append(step)
    return step


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
    linkage does it (``IDENTITY_WRITTEN``, filled by linkage/hooks.py).
    """
    for hook in IDENTITY_WRITTEN:
        hook(person, identity)


@retried_atomic
def identity_update(*, actor: Any, person: Person, **changes: Any) -> Identity:
    membership = require(actor, Action.IDENTITY_UPDATE)
    if person.registered_by_id != membership.agency_id:
        # A referral that shares the identity lets the receiver read it, not rewrite it.
        raise PermissionDenied(_("Only the agency that registered this person can change it."))
    # Lock order (docs/audit.md): the person first, then its records (the vault),
    # then the others linkage joins it to. Reloads the person for a retry, too.
    lock(person)
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


@retried_atomic
def identity_correct(
    *, actor: Any, person: Person, reason: str, corrected_on: datetime.date, **values: Any
) -> IdentityCorrection:
    """Correct the identity (``identity_update``), keeping what the changed fields held.

    ``values`` are the identity as it should read; only the fields that differ
    change. The previous values are stored encrypted; the audit rows name the
    fields, never a value.
    """
    if reason not in IdentityCorrection.Reason.values:
        raise ValidationError({"reason": _("Choose why the identity is corrected.")})
    vault = identity_get_for_user(user=actor, person=person)
    changed = {k: v for k, v in values.items() if k in IDENTITY_FIELDS and getattr(vault, k) != v}
    if not changed:
        raise ValidationError(_("Nothing to correct: the identity already reads so."))
    previous = {k: _plain(getattr(vault, k)) for k in changed}
    identity_update(actor=actor, person=person, **changed)
    correction = IdentityCorrection(
        person=person,
        agency=person.registered_by,
        corrected_on=corrected_on,
        reason=reason,
        fields=sorted(changed),
        previous=json.dumps(previous, ensure_ascii=False),
        recorded_by=actor,
    )
    save_audited(actor=actor, action="identity.correct", obj=correction)
    return correction


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


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


@retried_atomic
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
        # An age is the first birth year a record without a birth date has.
        for hook in AGE_RECORDED:
            hook(person, age_at_identification, identified_on)
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
def identification_rule_out(
    *, actor: Any, identification: Identification, reason: str
) -> Identification:
    """A supervisor rules a potential victim out: not a victim, for a coded reason.

    The identification stays (status ``not_a_victim``), so the screening that
    proposed it and the decision are both on the record; no count of victims
    includes it, and no non-punishment alert fires for it.
    """
    membership = require(actor, Action.IDENTIFICATION_CONFIRM)
    if identification.agency_id != membership.agency_id:
        raise PermissionDenied(_("Only the identifying agency can rule out its identifications."))
    if identification.status != Identification.Status.POTENTIAL:
        raise ValidationError({"status": _("Only a potential victim can be ruled out.")})
    if reason not in Identification.RuledOut.values:
        raise ValidationError({"ruled_out_reason": _("Choose why the person is not a victim.")})
    before = snapshot(identification)
    identification.status = Identification.Status.NOT_A_VICTIM
    identification.ruled_out_reason = reason
    identification.confirmed_by = actor
    identification.confirmed_at = timezone.now()
    save_audited(actor=actor, action="identification.rule_out", obj=identification, before=before)
    return identification


@dataclass(frozen=True)
class PlaceIn:
    """A place of recruitment, transit or exploitation, as a form or the API gives it."""

    stage: str
    country: Country
    jurisdiction: Jurisdiction | None = None
    municipality: str = ""


MUNICIPALITY_MAX_LENGTH = TraffickingPlace._meta.get_field("municipality").max_length or 100


def place_problem(*, at_home: bool, state: bool, municipality: str) -> tuple[str, str] | None:
    """The rule a place of recruitment, transit or exploitation breaks, as its part
    (``jurisdiction`` or ``municipality``) and the reason; None when it holds together.

    ``identification_detail_set`` applies it, and so does the import, row by row.
    """
    if state and not at_home:
        return "jurisdiction", _("a state is given only for a place in the country")
    if municipality and not state:
        return "municipality", _("give the state of the municipality")
    if len(municipality) > MUNICIPALITY_MAX_LENGTH:
        return "municipality", _("the municipality has at most %(n)s characters") % {
            "n": MUNICIPALITY_MAX_LENGTH
        }
    return None


def trafficking_detail_of(identification: Identification) -> dict[str, Any]:
    """An identification's trafficking detail as plain values (codes, ISO and state codes),
    read through its prefetched relations when the caller prefetched them."""
    return _detail(
        identification.trafficking_details.all(), identification.trafficking_places.all()
    )


def _detail(
    details: Iterable[TraffickingDetail], places: Iterable[TraffickingPlace]
) -> dict[str, Any]:
    detail: dict[str, Any] = {v: [] for v in TraffickingDetail.Vocabulary.values}
    for d in details:
        detail[d.vocabulary].append(d.code)
    for codes in detail.values():
        codes.sort()
    detail["places"] = [
        {
            "stage": p.stage,
            "country": p.country.iso2,
            "jurisdiction": p.jurisdiction.code if p.jurisdiction else None,
            "municipality": p.municipality,
        }
        for p in places
    ]
    return detail


def _stored_detail(identification: Identification) -> dict[str, Any]:
    """The detail as stored now, whatever the identification object has cached."""
    return _detail(
        TraffickingDetail.objects.filter(identification=identification),
        TraffickingPlace.objects.filter(identification=identification)
        .select_related("country", "jurisdiction")
        .order_by("stage", "id"),
    )


@transaction.atomic
def identification_detail_set(
    *,
    actor: Any,
    identification: Identification,
    codes: Mapping[str, Iterable[str]],
    places: Sequence[PlaceIn] = (),
) -> Identification:
    """Record how the person was trafficked: the terms of the profile's vocabularies that
    apply (``codes``, by vocabulary) and the places of recruitment, transit and
    exploitation. Replaces what the identification held; every part is optional.

    Only the identifying agency records it.
    """
    membership = require(actor, Action.IDENTIFICATION_RECORD)
    if identification.agency_id != membership.agency_id:
        raise PermissionDenied(
            _("Only the identifying agency records how the person was trafficked.")
        )
    chosen: dict[str, list[str]] = {}
    for vocabulary, given in codes.items():
        if vocabulary not in TraffickingDetail.Vocabulary.values:
            raise ValidationError({vocabulary: _("Not a vocabulary of trafficking detail.")})
        known = {t["code"] for t in vocabulary_terms(vocabulary)}
        values = sorted(set(given))
        if bad := [c for c in values if c not in known]:
            raise ValidationError(
                {vocabulary: _("Not in the country profile's list: %s") % ", ".join(bad)}
            )
        chosen[vocabulary] = values
    home = (
        CountryProfile.objects.filter(code=settings.COUNTRY_PROFILE)
        .values_list("code", flat=True)
        .first()
    )
    for i, place in enumerate(places, start=1):
        where = _("place %(n)s (%(stage)s)") % {"n": i, "stage": place.stage}
        if place.stage not in TraffickingPlace.Stage.values:
            raise ValidationError({"places": _("%(where)s: unknown stage.") % {"where": where}})
        problem = place_problem(
            at_home=place.country.iso2 == home,
            state=place.jurisdiction is not None,
            municipality=place.municipality,
        )
        if problem is not None:
            raise ValidationError(
                {"places": _("%(where)s: %(reason)s.") % {"where": where, "reason": problem[1]}}
            )
    before = _stored_detail(identification)
    TraffickingDetail.objects.filter(identification=identification).delete()
    TraffickingDetail.objects.bulk_create(
        [
            TraffickingDetail(identification=identification, vocabulary=v, code=c)
            for v, values in chosen.items()
            for c in values
        ]
    )
    TraffickingPlace.objects.filter(identification=identification).delete()
    TraffickingPlace.objects.bulk_create(
        [
            TraffickingPlace(
                identification=identification,
                stage=p.stage,
                country=p.country,
                jurisdiction=p.jurisdiction,
                municipality=p.municipality.strip(),
            )
            for p in places
        ]
    )
    audit_record(
        actor=actor,
        action="identification.detail",
        obj=identification,
        before=before,
        after=_stored_detail(identification),
    )
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
    erased: dict[str, int] = {
        "identity_corrections": IdentityCorrection.objects.filter(person=person).update(previous="")
    }
    for step in ERASURE_STEPS:
        erased |= step(person)
    audit_record(
        actor=actor,
        action="person.erase",
        obj=person,
        before=before,
        # The legal reference is in the vault, encrypted: "[encrypted]" here.
        after={**snapshot(vault), **erased},
    )
    return vault


HOLDING_REFERRAL_STATUSES = ("accepted", "completed")


def referral_access_record(*, referral: Any) -> None:
    """What ``referral`` (a ``referrals.Referral``, just saved) now gives its receiver.

    Called by every referral service that changes a status, in its transaction.
    Accepted or completed, the receiver holds the person; accepted with
    ``shares_identity``, it also reads the identity if the sender registered
    the person (``selectors._reads_identity_of``). Any other status gives nothing.
    """
    if referral.status not in HOLDING_REFERRAL_STATUSES:
        ReferralAccess.objects.filter(referral_id=referral.pk).delete()
        return
    ReferralAccess.objects.update_or_create(
        referral_id=referral.pk,
        defaults={
            "person_id": referral.person_id,
            "agency_id": referral.to_agency_id,
            "from_agency_id": referral.from_agency_id,
            "identity": referral.status == "accepted" and referral.shares_identity,
        },
    )
