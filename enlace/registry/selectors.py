"""Every read of people goes through these, scoped by the reading user.

An agency holds a person it registered, identified, or accepted on
referral. It sees the records it made itself about people it holds, and
every record about people it registered. A national analyst sees every
pseudonymous record and never an identity. Other roles see no people.

A supervisor with an open break-glass grant also reads that person's page:
record, identity and every agency's records about them, until the grant
expires. Only ``person_get_for_user(read_only=True)``, ``identity_get_for_user``
and the page's timeline (``web.selectors.person_timeline_for_user``) open to a
grant; the record lists, and so exports and the API, do not, and neither do
``person_list_for_user`` and ``person_is_held_by`` (which the services check
before every write), so break-glass never writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.accounts.models import BreakGlass, Role
from enlace.accounts.permissions import (
    Action,
    Relation,
    allows,
    can,
    case_agency,
    membership_of,
    scope_to_user,
)
from enlace.directory.models import Agency
from enlace.linkage.features import Record, batch, row
from enlace.linkage.normalise import fold
from enlace.registry.models import (
    Identification,
    Identity,
    IdentityCorrection,
    Person,
    ReferralAccess,
    Screening,
)

M = TypeVar("M", bound=Model)


def _holds(agency: Agency) -> Q:
    identified = Identification.objects.filter(person=OuterRef("pk"), agency=agency)
    # An accepted or completed referral to the agency (registry.services.referral_access_record).
    referred = ReferralAccess.objects.filter(person=OuterRef("pk"), agency=agency)
    return Q(registered_by=agency) | Q(Exists(identified)) | Q(Exists(referred))


def person_list_for_user(*, user: Any) -> QuerySet[Person]:
    return scope_to_user(Person.objects.all(), user=user, agency_filter=_holds)


def person_get_for_user(*, user: Any, public_id: str, read_only: bool = False) -> Person:
    """The person, if the user's agency holds them; a 404 otherwise.

    ``read_only`` also opens the people of the user's active break-glass grants:
    use it only where the person is read, never to write.
    """
    people = person_list_for_user(user=user)
    if read_only:
        people = Person.objects.filter(
            Q(pk__in=people.values("pk")) | Q(pk__in=_break_glass_people(user))
        )
    return get_object_or_404(people, public_id=public_id)


def break_glass_active_for_user(*, user: Any) -> QuerySet[BreakGlass]:
    """The user's grants that have not expired; none for a role the matrix gives no break-glass."""
    if not allows(user, Action.PERSON_VIEW, Relation.BREAK_GLASS):
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())


def _break_glass_people(user: Any) -> QuerySet[Any]:
    return break_glass_active_for_user(user=user).values("person_id")


def person_under_break_glass(*, user: Any, person: Person) -> bool:
    """Whether the user reads ``person`` only through a break-glass grant."""
    return (
        not person_is_held_by(user=user, person=person)
        and break_glass_active_for_user(user=user).filter(person=person).exists()
    )


def person_is_held_by(*, user: Any, person: Person) -> bool:
    agency = case_agency(user)
    # The common case, an agency's own registration, needs no query.
    if agency is not None and person.registered_by_id == agency.pk:
        return True
    return person_list_for_user(user=user).filter(pk=person.pk).exists()


def require_held(*, actor: Any, person: Person) -> None:
    """PermissionDenied unless the actor's agency holds the person; before every write."""
    if not person_is_held_by(user=actor, person=person):
        raise PermissionDenied(_("Your agency does not hold this person."))


@dataclass(frozen=True)
class PersonScope:
    """Which of one person's records a user sees, worked out once for a page.

    ``records_for_user(..., person=scope)`` gives the same rows as
    ``records_for_user(...).filter(person=person)`` with a plain filter: the
    registering agency (and a national analyst) sees every record of the person,
    an agency that otherwise holds them its own records, any other none. The
    holding is asked once here rather than as a subquery in every list. Made
    only by ``person_scope_for_user``.
    """

    user: Any
    person: Person
    agency: Agency | None
    everything: bool
    own: bool

    @property
    def held(self) -> bool:
        """What ``person_is_held_by`` answers for the user and the person."""
        return self.everything or self.own


def person_scope_for_user(*, user: Any, person: Person) -> PersonScope:
    """The records rule of ``records_for_user`` for one person, resolved: at most one query."""
    membership = membership_of(user)
    agency = case_agency(user)
    analyst = membership is not None and membership.role == Role.NATIONAL_ANALYST
    registered = agency is not None and person.registered_by_id == agency.pk
    return PersonScope(
        user=user,
        person=person,
        agency=agency,
        everything=analyst or registered,
        own=not analyst
        and not registered
        and agency is not None
        and person_is_held_by(user=user, person=person),
    )


def records_for_user(
    queryset: QuerySet[M], *, user: Any, person: PersonScope | None = None
) -> QuerySet[M]:
    """Scope a queryset of person-level records (with ``person`` and ``agency``) to the user.

    With ``person`` (``person_scope_for_user``), only that person's records, the same
    rows as filtering the scoped queryset by the person, in a query without subqueries.
    """
    if person is not None:
        if person.user is not user:
            raise ValueError("The person's scope was worked out for another user.")
        if person.everything:
            return queryset.filter(person=person.person)
        if person.own:
            return queryset.filter(person=person.person, agency=person.agency)
        return queryset.none()
    return scope_to_user(
        queryset,
        user=user,
        agency_filter=lambda agency: (
            Q(person__registered_by=agency)
            | Q(agency=agency, person__in=Person.objects.filter(_holds(agency)))
        ),
    )


def identification_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[Identification]:
    qs = Identification.objects.select_related(
        "agency", "jurisdiction", "country_abroad", "protocol"
    )
    return records_for_user(qs, user=user, person=person).prefetch_related("forms")


def identification_get_for_user(*, user: Any, pk: int) -> Identification:
    return get_object_or_404(identification_list_for_user(user=user), pk=pk)


def identity_get_for_user(*, user: Any, person: Person) -> Identity:
    """The decrypted identity, for a user whose agency may read it; 404 otherwise.

    The identity rule (docs/security.md), in one place with ``_reads_identity_of``:
    an agency reads a person's identity if and only if it registered that
    identity, or holds a live referral from the registering agency that shares
    it, or the user is a supervisor with an open break-glass grant for the
    person. Nothing else an agency records about the person (an
    identification, a service, a stay, an import row) widens it.
    """
    if not can(user, Action.IDENTITY_VIEW):
        raise Http404
    agency = case_agency(user)
    assert agency is not None  # can() checked it
    # The common case, an agency's own registration, needs no query.
    if person.registered_by_id != agency.pk and not (
        Person.objects.filter(pk=person.pk).filter(_reads_identity_of(agency)).exists()
        or break_glass_active_for_user(user=user).filter(person=person).exists()
    ):
        raise Http404
    return get_object_or_404(Identity, person=person)


def _reads_identity_of(agency: Agency) -> Q:
    """People whose identity ``agency`` reads: it registered them, or holds a live
    (accepted) referral from the registering agency that shares the identity.

    A referral shares only what its sender registered: an onward referral
    never passes an identity on, so revoking the first referral narrows
    access everywhere at once. The referrals' statuses are mirrored in
    ``ReferralAccess`` by the referral services (``identity``: accepted and sharing).
    """
    shared = ReferralAccess.objects.filter(
        person=OuterRef("pk"),
        from_agency=OuterRef("registered_by"),
        agency=agency,
        identity=True,
    )
    return Q(registered_by=agency) | Q(Exists(shared))


def screening_list_for_user(*, user: Any, person: PersonScope | None = None) -> QuerySet[Screening]:
    return records_for_user(
        Screening.objects.select_related("agency", "protocol"), user=user, person=person
    )


def person_search_for_user(
    *,
    user: Any,
    given_names: str = "",
    paternal_surname: str = "",
    maternal_surname: str = "",
    birth_date: datetime.date | None = None,
    curp: str = "",
    limit: int = 20,
) -> list[Person]:
    """People the user's agency already holds that match what is typed, with identities loaded.

    Names are encrypted, so the database cannot compare them. A CURP, or
    given names, paternal surname and birth date together, are found through
    the keyed linkage tokens (an indexed lookup, whatever the registry's
    size). Anything less (a surname alone) is compared after decrypting the
    identities of the people whose identity the agency reads
    (``_reads_identity_of``), and only those.
    """
    agency = case_agency(user)
    if agency is None or not can(user, Action.IDENTITY_VIEW):
        return []
    own = Person.objects.filter(_reads_identity_of(agency)).select_related("identity")
    # Typed and decrypted names are folded through caches: emptied when the search ends.
    with batch():
        typed = row(
            Record(
                record_id="",
                given_names=given_names,
                paternal_surname=paternal_surname,
                birth_date=birth_date,
                curp=curp,
            ),
            "encoded",
            settings.LINKAGE_KEY,
        )
        by_token = Q()
        if typed["curp"]:
            by_token |= Q(encoding__curp=typed["curp"])
        if typed["given"] and typed["paternal"] and typed["dob"]:
            by_token |= Q(
                encoding__given=typed["given"],
                encoding__paternal=typed["paternal"],
                encoding__dob=typed["dob"],
            )
        if by_token:
            return list(own.filter(by_token).distinct()[:limit])
        found: list[Person] = []
        wanted = {
            "given_names": fold(given_names),
            "paternal_surname": fold(paternal_surname),
            "maternal_surname": fold(maternal_surname),
        }
        wanted = {k: v for k, v in wanted.items() if v}
        if not wanted and birth_date is None:
            return []
        for person in own.filter(identity__isnull=False).iterator(chunk_size=1000):
            identity = person.identity
            if birth_date is not None and identity.birth_date != birth_date:
                continue
            if all(v in fold(getattr(identity, k)) for k, v in wanted.items()):
                found.append(person)
                if len(found) >= limit:
                    break
        return found


def identity_correction_list_for_user(
    *, user: Any, person: PersonScope | None = None
) -> QuerySet[IdentityCorrection]:
    """Corrections of identities, for the registering agency (their values stay encrypted)."""
    return records_for_user(
        IdentityCorrection.objects.select_related("agency"), user=user, person=person
    )
