"""The main pages run under the strict Content-Security-Policy without a single violation;
the newest pages (trafficking detail, training, protocol adoptions) are axe-clean too.

Chromium reports each refused inline script, inline style or eval in the console,
"Refused to ... because it violates the following Content Security Policy directive".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from enlace.accounts.models import Membership, Role
from enlace.capacity.services import protocol_adoption_record, training_record
from enlace.directory.models import Country, Jurisdiction, Protocol
from enlace.referrals.services import referral_send
from enlace.registry.models import Person
from enlace.registry.services import PlaceIn, identification_detail_set, identification_record
from tests.conftest import DAY, Cast
from tests.web.browser.conftest import axe_violations, sign_in

# What is checked is what the browser does with the pages, the same on either
# database: run in the SQLite lane only (tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database]


def _watch(page: Any) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


def _visit(page: Any, base: str, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")


def test_the_main_pages_break_no_rule_of_the_policy(
    live_server: Any, cast: Cast, person: Person, new_page: Any
) -> None:
    referral = referral_send(
        actor=cast.alice,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )
    # An identified victim, so that the analyst's figures draw their charts (inline SVG).
    identification = identification_record(
        actor=cast.alice,
        person=person,
        identified_on=DAY,
        forms=["sex_trafficking"],
        status="identified",
    )
    # Something recorded on each of the newest pages, so that their tables are drawn.
    identification_detail_set(
        actor=cast.alice,
        identification=identification,
        codes={"control_methods": ["threats"]},
        places=[PlaceIn("recruitment", Country.objects.get(iso2="GT"))],
    )
    training_record(actor=cast.sam, held_on=DAY, topic="State protocol", people_trained=25)
    protocol_adoption_record(
        actor=cast.ana,
        jurisdiction=Jurisdiction.objects.get(code="21"),
        protocol=Protocol.objects.get(code="OIM-ESTATAL"),
        adopted_on=DAY,
    )
    detail = f"/identifications/{identification.pk}/detail/"
    admin = User.objects.create_user("root", password="password", is_staff=True, is_superuser=True)
    Membership.objects.create(user=admin, role=Role.ADMIN)
    base = live_server.url
    pid = person.public_id

    page = new_page()
    refused = _watch(page)
    _visit(page, base, ["/accounts/login/"])
    sign_in(page, base, "alice", "en")
    _visit(
        page,
        base,
        [
            "/",
            "/people/",
            "/people/new/",
            f"/people/{pid}/",
            f"/people/{pid}/refer/",
            f"/people/{pid}/services/new/",
            f"/people/{pid}/stays/new/",
            "/referrals/",
            f"/referrals/{referral.pk}/",
            "/exchange/submissions/new/",
            "/accounts/two-step/enrol/",
            "/api/v1/docs",
        ],
    )
    # The enrolment page, with its QR code, is accessible too, and so is the detail form.
    for path in ("/accounts/two-step/enrol/", detail):
        _visit(page, base, [path])
        assert axe_violations(page) == [], path
    # htmx at work: the live search and the protocol's questions are swapped in.
    _visit(page, base, ["/people/search/"])
    page.locator("#id_paternal_surname").fill("Hernández")
    page.wait_for_selector("#results")
    page.wait_for_load_state("networkidle")
    _visit(page, base, [f"/people/{pid}/screen/"])
    page.locator("form.filters select").first.select_option(index=1)
    page.wait_for_load_state("networkidle")

    for username, paths in {
        "fernanda": ["/referrals/inbox/", f"/referrals/{referral.pk}/"],
        "sam": ["/", "/linkage/review/", "/training/"],
        "ana": [
            "/",
            "/dashboard/",
            "/linkage/review/",
            "/protocol-adoptions/",
            "/figures/?year=2017",
        ],
        "root": ["/admin/", "/admin/auth/user/", f"/admin/auth/user/{cast.alice.pk}/change/"],
    }.items():
        other = new_page()
        refused += _watch(other)
        sign_in(other, base, username, "en")
        for path in paths:
            _visit(other, base, [path])
            if path in ("/training/", "/protocol-adoptions/"):
                assert axe_violations(other) == [], path
        if username == "ana":
            assert other.locator('svg[role="img"]').count() == 4  # three breakdowns, the funnel

    assert refused == []

    # The watch does see a violation: a style added inline is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.append(s); }"
    )
    page.wait_for_timeout(200)
    assert any("style-src" in line for line in refused)
