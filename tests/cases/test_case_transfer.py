"""A case transferred to another agency: a referral with the person's consent, which the
receiver accepts (the case moves) or declines (it stays); the identity rule is the referral's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from enlace.cases import services as cases
from enlace.cases.models import Case
from enlace.cases.selectors import case_list_for_user
from enlace.referrals.services import referral_accept, referral_decline, referral_send
from enlace.registry.models import Person
from enlace.registry.selectors import identity_get_for_user
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _transfer(cast: Cast, case: Case, **kwargs: object) -> cases.Transfer:
    return cases.case_transfer(
        actor=cast.alice,
        case=case,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
        **kwargs,  # type: ignore[arg-type]
    )


def test_an_accepted_transfer_moves_the_case(cast: Cast, case: Case) -> None:
    transfer = _transfer(cast, case)
    assert not case_list_for_user(user=cast.fernanda).exists()

    referral_accept(actor=cast.fernanda, referral=transfer.referral)

    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "transferred")
    received = case_list_for_user(user=cast.fernanda).get(agency__code="FEVIMTRA")
    assert received.status == "open" and received.person_id == case.person_id
    # FEVIMTRA sees its own case, never the sender's.
    assert list(case_list_for_user(user=cast.fernanda)) == [received]


def test_a_declined_transfer_leaves_the_case_with_the_sender(cast: Cast, case: Case) -> None:
    transfer = _transfer(cast, case)
    with pytest.raises(ValidationError):
        _transfer(cast, case)  # one waits already
    referral_decline(actor=cast.fernanda, referral=transfer.referral, reason="No beds.")
    case.refresh_from_db()
    assert case.status == "open"
    assert not Case.objects.filter(agency__code="FEVIMTRA").exists()
    _transfer(cast, case)  # answered: another may go


def test_it_needs_the_persons_consent(cast: Cast, case: Case) -> None:
    with pytest.raises(ValidationError) as exc:
        cases.case_transfer(
            actor=cast.alice,
            case=case,
            to_agency=cast.agency("FEVIMTRA"),
            services=["housing"],
            consent=False,
        )
    assert "consent" in exc.value.message_dict


def test_the_identity_goes_only_where_the_registering_agency_shares_it(
    cast: Cast, case: Case, person: Person
) -> None:
    referral_accept(actor=cast.fernanda, referral=_transfer(cast, case).referral)
    with pytest.raises(Http404):
        identity_get_for_user(user=cast.fernanda, person=person)

    received = Case.objects.get(agency__code="FEVIMTRA")
    # FEVIMTRA did not register the person: it cannot pass the identity on.
    with pytest.raises(PermissionDenied):
        cases.case_transfer(
            actor=cast.fernanda,
            case=received,
            to_agency=cast.agency("DIF"),
            services=["social"],
            consent=True,
            shares_identity=True,
        )


def test_a_shared_transfer_opens_the_identity_to_the_receiver(
    cast: Cast, case: Case, person: Person
) -> None:
    referral_accept(
        actor=cast.fernanda, referral=_transfer(cast, case, shares_identity=True).referral
    )
    assert identity_get_for_user(user=cast.fernanda, person=person).curp == "HEZG990314MPLRRD03"


def test_a_transfer_back_reopens_the_senders_case(cast: Cast, case: Case, person: Person) -> None:
    referral_accept(actor=cast.fernanda, referral=_transfer(cast, case).referral)
    received = Case.objects.get(agency__code="FEVIMTRA")
    back = cases.case_transfer(
        actor=cast.fernanda,
        case=received,
        to_agency=cast.agency("FGE-PUE"),
        services=["legal"],
        consent=True,
    )
    referral_accept(actor=cast.bob, referral=back.referral)
    case.refresh_from_db()
    received.refresh_from_db()
    assert (case.status, received.status) == ("reopened", "closed")


def test_a_plain_referral_moves_no_case(cast: Cast, case: Case, person: Person) -> None:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    referral_accept(actor=cast.fernanda, referral=referral)
    case.refresh_from_db()
    assert case.status == "open"
    assert not Case.objects.filter(agency__code="FEVIMTRA").exists()
