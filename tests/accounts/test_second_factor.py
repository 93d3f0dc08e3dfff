"""TOTP second factor: enrolment, verification after the password, and an admin's reset.

Codes are computed from the key the enrolment page shows, as an authenticator app does.
"""

from __future__ import annotations

import base64
import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.models import Membership, Role
from enlace.accounts.services import membership_confirm, second_factor_reset
from enlace.audit.models import AuditEvent
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings: Any) -> None:
    settings.TOTP_REQUIRED = True


def _sign_in(username: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    response = client.post("/accounts/login/", {"username": username, "password": "password"})
    assert response.status_code == 302, username
    return client


def _code(key: bytes, steps_ahead: int = 0) -> str:
    # A later step is within the device's tolerance, and a code is accepted once only.
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def _wait_out_the_throttle(user: User) -> None:
    """Time passes: the wait django-otp imposes after a wrong code is over."""
    for device in (TOTPDevice, StaticDevice):
        device.objects.filter(user=user).update(
            throttling_failure_timestamp=F("throttling_failure_timestamp")
            - datetime.timedelta(minutes=10)
        )


def _enrol(client: Client) -> bytes:
    return _enrol_with_codes(client)[0]


def _enrol_with_codes(client: Client) -> tuple[bytes, list[str]]:
    """Enrol as a user does: the key from the page, a code from it; the recovery codes shown."""
    page = client.get("/accounts/two-step/enrol/").content.decode()
    key = base64.b32decode(re.search(r'class="totp-key">([A-Z2-7=]+)<', page).group(1))  # type: ignore[union-attr]
    response = client.post("/accounts/two-step/enrol/", {"token": _code(key), "next": "/people/"})
    assert response.status_code == 200
    return key, _codes_on(response.content.decode())


def _codes_on(page: str) -> list[str]:
    """The recovery codes a page shows, and where it sends the user next."""
    assert 'href="/people/"' in page or 'href="/"' in page
    return re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", page)


def test_a_caseworker_without_a_device_is_sent_to_enrol(cast: Cast, required: None) -> None:
    client = _sign_in("alice")

    response = client.get("/people/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-step/enrol/?next=%2Fpeople%2F"
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "QR code for your authenticator app" in page
    # The QR code carries the otpauth URI of Enlace and the user, drawn here.
    assert "otpauth" not in page.split("<svg", 1)[0]


def test_enrolment_takes_a_code_from_the_app(cast: Cast, required: None) -> None:
    client = _sign_in("alice")
    page = client.get("/accounts/two-step/enrol/").content.decode()
    key = base64.b32decode(re.search(r'class="totp-key">([A-Z2-7=]+)<', page).group(1))  # type: ignore[union-attr]

    wrong = client.post("/accounts/two-step/enrol/", {"token": "000000"})
    assert "That code is not right, or it has expired." in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.alice, confirmed=True).exists()
    _wait_out_the_throttle(cast.alice)

    code = _code(key)
    response = client.post(
        "/accounts/two-step/enrol/", {"token": f"{code[:3]} {code[3:]}", "next": "/people/"}
    )

    assert "Recovery codes" in response.content.decode()
    assert len(_codes_on(response.content.decode())) == 10
    assert client.get("/people/").status_code == 200
    device = TOTPDevice.objects.get(user=cast.alice)
    assert device.confirmed and device.bin_key == key
    event = AuditEvent.objects.get(action="second_factor.enrol")
    assert event.actor == cast.alice
    assert device.key not in str(event.after) and device.key not in str(event.before)


def test_a_user_with_a_device_verifies_before_any_page(
    cast: Cast, required: None, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a wait a slow test machine cannot outlast
    key = _enrol(_sign_in("alice"))

    client = _sign_in("alice")
    for url in ("/", "/people/", "/referrals/inbox/", "/exchange/submissions/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-step/?next=")
    # An htmx request is redirected by htmx itself, not swapped into the page.
    assert client.get("/people/search/", headers={"HX-Request": "true"})["HX-Redirect"]

    wrong = client.post("/accounts/two-step/", {"token": "123456", "next": "/people/"})
    assert wrong.status_code == 200
    assert "That code is not right, or it has expired." in wrong.content.decode()
    # Straight away, even the right code waits: wrong codes slow guessing down.
    throttled = client.post("/accounts/two-step/", {"token": _code(key, 1)})
    assert "Too many wrong codes." in throttled.content.decode()
    _wait_out_the_throttle(cast.alice)

    response = client.post("/accounts/two-step/", {"token": _code(key, 1), "next": "/people/"})
    assert response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


def test_a_code_is_accepted_once(cast: Cast, required: None) -> None:
    key = _enrol(_sign_in("alice"))
    first, second = _sign_in("alice"), _sign_in("alice")
    code = _code(key, 1)
    assert first.post("/accounts/two-step/", {"token": code})["Location"] == "/"
    assert second.post("/accounts/two-step/", {"token": code}).status_code == 200
    assert second.get("/people/").status_code == 302


def test_the_next_address_stays_on_this_site(cast: Cast, required: None) -> None:
    key = _enrol(_sign_in("alice"))
    client = _sign_in("alice")
    token = _code(key, 1)
    response = client.post("/accounts/two-step/", {"token": token, "next": "https://evil.test/"})
    assert response["Location"] == "/"


def test_roles_that_see_no_identities_need_no_device(cast: Cast, required: None) -> None:
    client = _sign_in("ana")
    assert client.get("/figures/").status_code == 200


def test_auditors_need_the_second_factor(cast: Cast, required: None) -> None:
    response = _sign_in("audrey").get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/enrol/")


def test_a_device_is_used_even_where_not_required(cast: Cast) -> None:
    # Off (as in development): a caseworker goes straight in...
    assert _sign_in("ana").get("/figures/").status_code == 200
    assert _sign_in("alice").get("/people/").status_code == 200
    # ...but whoever enrolled an authenticator must use it.
    key = _enrol(_sign_in("ana"))
    client = _sign_in("ana")
    assert client.get("/figures/").status_code == 302
    client.post("/accounts/two-step/", {"token": _code(key, 1)})
    assert client.get("/figures/").status_code == 200


def test_an_admin_resets_a_lost_device(cast: Cast, required: None) -> None:
    _enrol(_sign_in("alice"))
    admin = User.objects.create_user("root", password="password", is_staff=True, is_superuser=True)
    Membership.objects.create(user=admin, role=Role.ADMIN)
    console = _sign_in("root")
    _enrol(console)  # an administrator, too, passes the second factor

    response = console.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [cast.alice.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert event.actor == admin and event.object_id == str(cast.alice.pk)
    # Her role waits for her supervisor (tests/accounts/test_admin_password_reset.py);
    # once Sam confirms, she sets up a new authenticator at the next sign-in.
    membership_confirm(actor=cast.sam, membership=Membership.objects.get(user=cast.alice))
    assert _sign_in("alice").get("/people/")["Location"].startswith("/accounts/two-step/enrol/")


def test_only_an_admin_may_reset(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=cast.sam, user=cast.alice)


def test_a_session_that_loses_its_device_verifies_again(cast: Cast, required: None) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": "password"})
    page = client.get("/accounts/two-step/enrol/").content.decode()
    key = base64.b32decode(re.search(r'class="totp-key">([A-Z2-7=]+)<', page).group(1))  # type: ignore[union-attr]
    client.post("/accounts/two-step/enrol/", {"token": _code(key)})
    assert client.get("/people/").status_code == 200

    TOTPDevice.objects.filter(user=cast.alice).delete()

    response = client.get("/people/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow["Location"].startswith("/accounts/two-step/enrol/")


def test_a_role_given_during_the_session_asks_for_the_second_factor(
    cast: Cast, required: None
) -> None:
    client = _sign_in("ana")
    assert client.get("/figures/").status_code == 200
    # Made a supervisor while signed in: the next page asks for a device first.
    Membership.objects.filter(user=cast.ana).update(
        role=Role.SUPERVISOR, agency=cast.alice.membership.agency
    )
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/enrol/")


def test_administrators_need_the_second_factor_too(cast: Cast, required: None) -> None:
    User.objects.create_user("root", password="password", is_staff=True, is_superuser=True)
    response = _sign_in("root").get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/enrol/")


def test_enrolment_gives_ten_recovery_codes_kept_only_as_hashes(cast: Cast, required: None) -> None:
    _key, codes = _enrol_with_codes(_sign_in("alice"))

    assert len(codes) == len(set(codes)) == 10
    stored = list(
        StaticToken.objects.filter(device__user=cast.alice).values_list("token", flat=True)
    )
    assert len(stored) == 10
    for code in codes:
        assert code.replace(" ", "") not in stored
    event = AuditEvent.objects.get(action="second_factor.recovery_codes")
    assert event.after == {"codes": 10}
    assert not any(c.replace(" ", "") in str([event.before, event.after]) for c in codes)


def test_a_recovery_code_passes_the_second_step_once(cast: Cast, required: None) -> None:
    _key, codes = _enrol_with_codes(_sign_in("alice"))

    client = _sign_in("alice")
    response = client.post("/accounts/two-step/", {"token": codes[0].upper(), "next": "/people/"})
    assert response["Location"] == "/people/"
    page = client.get("/people/")
    assert page.status_code == 200
    assert "You used a recovery code: 9 are left." in page.content.decode()
    used = AuditEvent.objects.get(action="second_factor.recovery_used")
    assert (used.actor, used.after) == (cast.alice, {"codes_left": 9})

    again = _sign_in("alice").post("/accounts/two-step/", {"token": codes[0]})
    assert again.status_code == 200
    assert "That code is not right, or it has expired." in again.content.decode()


def test_new_recovery_codes_void_the_old_ones(cast: Cast, required: None) -> None:
    client = _sign_in("alice")
    _key, old = _enrol_with_codes(client)
    enrolled = client.get("/accounts/two-step/enrol/").content.decode()
    assert "You have 10 recovery codes left." in enrolled

    assert client.get("/accounts/two-step/recovery-codes/").status_code == 405
    new = _codes_on(client.post("/accounts/two-step/recovery-codes/").content.decode())

    assert len(new) == 10 and not set(new) & set(old)
    assert _sign_in("alice").post("/accounts/two-step/", {"token": old[1]}).status_code == 200
    _wait_out_the_throttle(cast.alice)
    assert _sign_in("alice").post("/accounts/two-step/", {"token": new[1]}).status_code == 302


def test_a_session_without_the_second_step_cannot_make_codes(cast: Cast, required: None) -> None:
    _enrol(_sign_in("alice"))
    client = _sign_in("alice")  # password only

    response = client.post("/accounts/two-step/recovery-codes/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-step/?next=")
    assert AuditEvent.objects.filter(action="second_factor.recovery_codes").count() == 1


def test_an_admins_reset_removes_the_recovery_codes(cast: Cast, required: None) -> None:
    _enrol(_sign_in("alice"))
    admin = User.objects.create_user("root", password="password", is_staff=True)
    Membership.objects.create(user=admin, role=Role.ADMIN)

    second_factor_reset(actor=admin, user=cast.alice)

    assert not StaticToken.objects.filter(device__user=cast.alice).exists()
    membership_confirm(actor=cast.sam, membership=Membership.objects.get(user=cast.alice))
    client = _sign_in("alice")
    assert client.get("/people/")["Location"].startswith("/accounts/two-step/enrol/")
