from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from enlace.demo.accounts import demo_accounts_create
from enlace.demo.screenshots import WIDTHS, shots, take_screenshots
from enlace.referrals.services import referral_send
from enlace.registry.services import identification_record, person_register
from tests.conftest import DAY, Cast

# What is checked is what the browser does with the pages, the same on either
# database: run in the SQLite lane only (tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database]


def _png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", header[16:20])[0])


# Every page at both widths: make test-slow runs it.
@pytest.mark.slow
def test_it_takes_every_page_at_both_widths(cast: Cast, browser: Any, tmp_path: Path) -> None:
    demo_accounts_create()
    caseworker = User.objects.get(username="fiscalia.puebla")
    person = person_register(actor=caseworker, identity={"given_names": "Demo"}, sex="female")
    identification_record(actor=caseworker, person=person, identified_on=DAY, forms=["other"])
    referral_send(
        actor=caseworker,
        person=person,
        to_agency=cast.agency("FEVIMTRA"),
        services=["housing"],
        consent=True,
    )

    saved = take_screenshots(tmp_path, browser=browser)

    names = {p.name for p in saved}
    assert {"person-desktop.png", "person-360.png", "inbox-shelter-360.png"} <= names
    assert len(names) == len(saved) == len(shots()) * len(WIDTHS)
    assert _png_width(tmp_path / "home-caseworker-desktop.png") == 1280
    assert _png_width(tmp_path / "home-caseworker-360.png") == 360


def test_the_command_says_what_to_do_without_demo_data(mx: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="load the demo data first"):
        call_command("screenshots", output=str(tmp_path))
