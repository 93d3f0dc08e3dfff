"""Erasure on a legal request: the identity goes, the pseudonymous record stays."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from enlace.accounts.models import Role
from enlace.audit.models import AuditEvent
from enlace.exchange.importer import submission_import
from enlace.immigration.models import VisaRequest
from enlace.immigration.services import visa_decide, visa_request
from enlace.linkage.models import Encoding, MatchPair
from enlace.linkage.review import match_decide
from enlace.linkage.services import encodings_rebuild, linkage_run
from enlace.referrals.models import Referral
from enlace.referrals.services import referral_decline, referral_send
from enlace.registry.models import Identity, Person
from enlace.registry.services import identity_update, person_erase, person_register
from tests.conftest import DAY, IDENTITY, Cast, _user
from tests.exchange.conftest import csv_file, row
from tests.web.conftest import signed_in

REFERENCE = "INAI/ARCO/2018/0042"


def test_a_supervisor_erases_a_person_of_their_agency(cast: Cast, person: Person) -> None:
    national_id = person.national_id
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)

    person.refresh_from_db()
    vault = Identity.objects.get(person=person)
    assert vault.erased_at is not None
    assert [vault.given_names, vault.paternal_surname, vault.maternal_surname] == ["", "", ""]
    assert (vault.birth_date, vault.curp, vault.contact) == (None, "", "")
    assert not Encoding.objects.filter(person=person).exists()
    # The statistics record is untouched.
    assert person.national_id == national_id
    assert (person.sex, person.identifications.count()) == ("female", 1)


def test_it_is_audited_with_the_legal_reference_and_no_name(cast: Cast, person: Person) -> None:
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)

    event = AuditEvent.objects.get(action="person.erase")
    assert (event.object_id, event.actor_name, event.agency_code) == (
        person.public_id,
        "sam",
        "FGE-PUE",
    )
    assert event.after is not None
    # A request's reference may quote the name it erases: it is kept in the vault, encrypted.
    assert event.after["erasure_reference"] == "[encrypted]"
    assert Identity.objects.get(person=person).erasure_reference == REFERENCE
    stored = json.dumps([event.before, event.after], ensure_ascii=False)
    for value in ("María", "Hernández", "Zárate", "HEZG990314MPLRRD03", "1999-03-14", "Reforma"):
        assert value not in stored
    assert REFERENCE not in stored


def test_an_administrator_may_erase(cast: Cast, person: Person) -> None:
    admin = _user("root", Role.ADMIN, None)
    person_erase(actor=admin, person=person, legal_reference=REFERENCE)
    assert Identity.objects.get(person=person).erased_at is not None


@pytest.mark.parametrize("who", ["alice", "charlie", "ana", "audrey", "nobody"])
def test_others_may_not(cast: Cast, person: Person, who: str) -> None:
    with pytest.raises(PermissionDenied):
        person_erase(actor=getattr(cast, who), person=person, legal_reference=REFERENCE)
    assert Identity.objects.get(person=person).curp == IDENTITY["curp"]


def test_another_agencys_supervisor_may_not(cast: Cast, person: Person) -> None:
    other = _user("jalisco-supervisor", Role.SUPERVISOR, "FGE-JAL")
    with pytest.raises(PermissionDenied):
        person_erase(actor=other, person=person, legal_reference=REFERENCE)


def test_it_needs_a_legal_reference(cast: Cast, person: Person) -> None:
    with pytest.raises(ValidationError) as error:
        person_erase(actor=cast.sam, person=person, legal_reference="  ")
    assert "legal_reference" in error.value.message_dict
    assert Identity.objects.get(person=person).erased_at is None


def test_an_erased_identity_cannot_be_erased_or_written_again(cast: Cast, person: Person) -> None:
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)
    with pytest.raises(ValidationError, match="ya se había borrado"):
        person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)
    with pytest.raises(ValidationError, match="se borró por una solicitud legal"):
        identity_update(actor=cast.alice, person=person, given_names="María")
    assert not Encoding.objects.filter(person=person).exists()


def test_review_pairs_lose_their_reasons(cast: Cast, person: Person) -> None:
    twin = person_register(actor=cast.alice, identity={**IDENTITY, "curp": ""})
    match_decide(
        actor=cast.sam,
        left=person,
        right=twin,
        decision=MatchPair.Status.SPLIT,
        reason="Same name as María Hernández but another mother",
    )
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)
    pair = MatchPair.objects.get()
    assert (pair.status, pair.reason) == (MatchPair.Status.SPLIT, "")


def test_reasons_written_about_the_person_go_too(cast: Cast, foreigner: Person) -> None:
    # Referred to INM (accepted), then to FEVIMTRA, which declined; her visa was refused.
    person = foreigner
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["legal"],
        consent=True,
    )
    referral_decline(
        actor=cast.fernanda, referral=referral, reason="Rosa's trafficker knows our address"
    )
    request = visa_request(actor=cast.alice, person=person, requested_on=DAY)
    visa_decide(
        actor=cast.ines,
        request=request,
        decided_on=DAY,
        granted=False,
        refusal_reason="Rosa has no documents",
    )

    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)

    assert [r.reason for r in Referral.objects.filter(person=person)] == ["", ""]
    request.refresh_from_db()
    assert (request.outcome, request.refusal_reason) == (VisaRequest.Outcome.REFUSED, "")
    event = AuditEvent.objects.get(action="person.erase")
    assert event.after is not None
    assert (event.after["referral_reasons_cleared"], event.after["visa_reasons_cleared"]) == (1, 1)


def test_a_later_linkage_run_keeps_the_national_id(cast: Cast, person: Person) -> None:
    # The same human at Jalisco, linked at write time by the CURP.
    twin = person_register(actor=cast.charlie, identity=IDENTITY)
    twin.refresh_from_db()
    person.refresh_from_db()
    assert twin.national_id == person.national_id
    national_id = person.national_id

    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)
    # As after a change of linkage key: every identity encoded again, but not the erased one.
    assert encodings_rebuild(actor=cast.ana) == 1
    linkage_run(actor=cast.ana)

    person.refresh_from_db()
    twin.refresh_from_db()
    assert person.national_id == twin.national_id == national_id
    assert not Encoding.objects.filter(person=person).exists()
    assert not Encoding.objects.filter(person=person).exists()


def test_the_person_page_says_the_identity_was_erased(
    client: Client, cast: Cast, person: Person
) -> None:
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)
    client.force_login(cast.alice)

    page = client.get(
        reverse("person-detail", args=[person.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "identity was erased on" in page
    assert "María" not in page
    page = client.get(
        reverse("person-detail", args=[person.public_id]), HTTP_ACCEPT_LANGUAGE="es-mx"
    ).content.decode()
    assert "identidad de esta persona fue borrada" in page
    assert DAY.strftime("%Y-%m-%d") in page  # the identification is still there


def test_an_agency_file_cannot_write_an_erased_identity_back(cast: Cast) -> None:
    line = row(
        agency_record_id="PUE-9",
        given_names="María Guadalupe",
        paternal_surname="Hernández",
        curp="HEZG990314MPLRRD03",
    )
    assert submission_import(actor=cast.alice, data=csv_file(line)).stored == 1
    person = Person.objects.get(identifications__agency_record_id="PUE-9")
    person_erase(actor=cast.sam, person=person, legal_reference=REFERENCE)

    again = submission_import(actor=cast.alice, data=csv_file(line))

    assert (again.stored, again.rejected) == (0, 1)
    assert "se borró por una solicitud legal" in again.errors[0].reason
    assert Identity.objects.get(person=person).curp == ""


def test_the_command_erases_as_the_named_user(cast: Cast, person: Person) -> None:
    out = StringIO()
    call_command("erase", person.public_id, "--user", "sam", "--reference", REFERENCE, stdout=out)
    assert f"Identity of {person.public_id} erased" in out.getvalue()
    assert Identity.objects.get(person=person).erased_at is not None
    with pytest.raises(CommandError):
        call_command("erase", person.public_id, "--user", "alice", "--reference", REFERENCE)


def test_a_supervisor_erases_from_the_person_page(cast: Cast, person: Person) -> None:
    client = signed_in(cast.sam)
    page = client.get(f"/people/{person.public_id}/").text
    assert f'href="/people/{person.public_id}/erase/"' in page
    # Caseworkers do not see the way in, nor may they take it.
    assert "/erase/" not in signed_in(cast.alice).get(f"/people/{person.public_id}/").text
    assert signed_in(cast.alice).get(f"/people/{person.public_id}/erase/").status_code == 403

    unconfirmed = client.post(f"/people/{person.public_id}/erase/", {"legal_reference": REFERENCE})
    assert unconfirmed.status_code == 200
    assert 'aria-invalid="true"' in unconfirmed.text
    assert Identity.objects.get(person=person).erased_at is None

    done = client.post(
        f"/people/{person.public_id}/erase/",
        {"legal_reference": REFERENCE, "understood": "on"},
        follow=True,
    )

    assert f"The identity of {person.public_id} was erased." in done.text
    assert "identity was erased on" in done.text and "María" not in done.text
    assert f'href="/people/{person.public_id}/erase/"' not in done.text
    assert Identity.objects.get(person=person).erasure_reference == REFERENCE
    assert AuditEvent.objects.filter(action="person.erase", object_id=person.public_id).count() == 1
    again = client.post(
        f"/people/{person.public_id}/erase/", {"legal_reference": REFERENCE, "understood": "on"}
    )
    assert "This identity was already erased." in again.text


def test_the_erasure_page_speaks_spanish(cast: Cast, person: Person) -> None:
    page = signed_in(cast.sam, "es-mx").get(f"/people/{person.public_id}/erase/").text
    assert "Borrar la identidad por una solicitud legal" in page
