"""The public release pages, as a visitor without an account reads them: under the strict
Content-Security-Policy, accessible, on the desktop and at 360 px, in both languages."""

from __future__ import annotations

import os
from typing import Any

import pytest

from enlace.exchange.importer import submission_import
from enlace.reports.releases import release_publish
from tests.conftest import Cast
from tests.reports.conftest import PEOPLE, import_late, submission
from tests.web.browser.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.one_database]


def test_a_visitor_reads_the_releases_of_a_year(
    live_server: Any, cast: Cast, new_page: Any
) -> None:
    submission_import(actor=cast.alice, data=submission(*PEOPLE))
    release_publish(actor=cast.ana, year=2017)
    import_late(cast.alice)
    release_publish(actor=cast.ana, year=2017, reason="Late file from FGE-PUE")
    refused: list[str] = []
    shots = os.environ.get("ENLACE_RELEASE_SHOTS")  # a folder, to look at the pages
    for width in (1280, 360):
        page = new_page(width=width)
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server.url}/releases/")
        page.get_by_role("button", name="English").click()
        page.get_by_role("link", name="Version 2").click()
        page.wait_for_url("**/releases/2017/2/")
        assert page.get_by_role("heading", name="Changes from version 1").is_visible()
        assert page.get_by_text("Late file from FGE-PUE").is_visible()
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if shots:
            page.screenshot(path=f"{shots}/release-{width}.png", full_page=True)
        page.get_by_role("button", name="Español").click()
        page.get_by_role("heading", name="Cambios respecto de la versión 1").wait_for()
        page.goto(f"{live_server.url}/releases/2017/1/")
        page.get_by_role("link", name="La versión 2 corrige estas cifras.").click()
        page.wait_for_url("**/releases/2017/2/")
        assert axe_violations(page) == []
        with page.expect_download() as download:
            page.get_by_role("link", name="Descargar en CSV").click()
        assert download.value.suggested_filename == "enlace-release-2017-v2.csv"
    assert refused == []
