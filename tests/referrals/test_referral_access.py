"""The registry's copy of what referrals give (registry.ReferralAccess) follows every status."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from enlace.referrals.models import Referral
from enlace.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_revoke,
    referral_send,
)
from enlace.registry.models import Person, ReferralAccess
from tests.conftest import Cast


def _access() -> list[tuple[int, int, int, bool]]:
    return list(
        ReferralAccess.objects.order_by("referral_id").values_list(
            "referral_id", "person_id", "agency_id", "identity"
        )
    )


def _send(cast: Cast, person: Person, shares: bool) -> Referral:
    return referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        shares_identity=shares,
    )


def test_accepted_holds_and_reads_if_shared_completed_only_holds(
    cast: Cast, person: Person
) -> None:
    referral = _send(cast, person, shares=True)
    assert _access() == []

    referral_accept(actor=cast.fernanda, referral=referral)
    fevimtra = cast.agency("FEVIMTRA").pk
    assert _access() == [(referral.pk, person.pk, fevimtra, True)]

    referral_complete(actor=cast.fernanda, referral=referral)
    assert _access() == [(referral.pk, person.pk, fevimtra, False)]


def test_revoked_or_declined_gives_nothing(cast: Cast, person: Person) -> None:
    revoked = referral_accept(actor=cast.fernanda, referral=_send(cast, person, shares=True))
    referral_revoke(actor=cast.alice, referral=revoked, reason="Consent withdrawn.")
    referral_decline(actor=cast.fernanda, referral=_send(cast, person, shares=False), reason="No.")

    assert _access() == []


def test_the_migration_fills_it_from_the_stored_referrals(cast: Cast, person: Person) -> None:
    accepted = referral_accept(actor=cast.fernanda, referral=_send(cast, person, shares=True))
    completed = referral_complete(
        actor=cast.fernanda,
        referral=referral_accept(actor=cast.fernanda, referral=_send(cast, person, shares=True)),
    )
    _send(cast, person, shares=True)  # still sent
    kept = _access()
    assert [row[0] for row in kept] == [accepted.pk, completed.pk]

    ReferralAccess.objects.all().delete()
    import_module("enlace.registry.migrations.0006_referralaccess").backfill(apps, None)

    assert _access() == kept
