from __future__ import annotations

import pytest
from django.conf import settings

from enlace.justice.services import detention_record
from enlace.registry.models import Person
from tests.conftest import Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_caseworker_sees_their_agencys_alerts(cast: Cast, person: Person) -> None:
    detention_record(
        actor=cast.alice,
        person=person,
        kind="detention",
        occurred_on=person.identifications.get().identified_on,
    )
    client = signed_in(cast.bob)
    page = client.get("/").content.decode()
    assert "Open work at FGE-PUE" in page and person.public_id in page
    alert = person.alerts.get()

    client.post(f"/alerts/{alert.pk}/acknowledge/", {"outcome": "released", "next": "/"})

    alert.refresh_from_db()
    assert alert.acknowledged_at is not None


def test_another_agency_sees_none_of_it(cast: Cast, person: Person) -> None:
    assert person.public_id not in signed_in(cast.charlie).get("/").content.decode()


def test_the_analyst_sees_national_figures_only(cast: Cast, person: Person) -> None:
    page = signed_in(cast.ana).get("/?year=2017").content.decode()
    assert "National figures, 2017" in page and "Victims identified in the country" in page
    assert person.public_id not in page and "Hernández" not in page


def test_an_auditor_sees_no_cases(cast: Cast, person: Person) -> None:
    page = signed_in(cast.audrey).get("/").content.decode()
    assert "Welcome to Enlace" in page and person.public_id not in page
    assert signed_in(cast.audrey).get("/figures/").status_code == 403


def test_the_header_names_the_agency_and_role(cast: Cast) -> None:
    page = signed_in(cast.sam, "es-mx").get("/").content.decode()
    assert "Supervisor" in page and "FGE-PUE" in page
    assert 'lang="es-mx"' in page


def test_the_session_ends_after_the_idle_time(cast: Cast) -> None:
    client = signed_in(cast.alice)
    page = client.get("/").content.decode()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # Counted from the last request, to the minute (accounts.middleware.SessionRenewMiddleware).
    assert "enlace.accounts.middleware.SessionRenewMiddleware" in settings.MIDDLEWARE
    assert f"after {settings.SESSION_COOKIE_AGE // 60} minutes without activity" in page
