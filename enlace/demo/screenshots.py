"""Screenshots of the main pages, desktop and 360 px wide, for the README.

A server thread serves the configured database (the demo's, after ``make
run``), Debian's chromium visits the pages signed in as the demo accounts,
and each page is saved as ``<page>-desktop.png`` and ``<page>-360.png``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.exceptions import ImproperlyConfigured
from django.test.testcases import LiveServerThread

from enlace.demo.accounts import DEMO_PASSWORD, demo_accounts_create
from enlace.referrals.selectors import referral_list_for_user
from enlace.registry.selectors import person_list_for_user

CHROMIUM = os.environ.get("ENLACE_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {"desktop": (1280, 900), "360": (360, 780)}


@dataclass(frozen=True)
class Shot:
    name: str
    username: str
    path: str
    language: str = "en"


def shots() -> list[Shot]:
    """The pages to take, found in the data the demo caseworker holds."""
    caseworker = User.objects.get(username="fiscalia.puebla")
    person = person_list_for_user(user=caseworker).filter(identifications__isnull=False).first()
    referral = referral_list_for_user(user=caseworker).first()
    if person is None or referral is None:
        raise ImproperlyConfigured(
            "No demo cases to show: load the demo data first (make run, or enlace demo load)."
        )
    return [
        Shot("sign-in", "", "/accounts/login/"),
        Shot("home-caseworker", "fiscalia.puebla", "/"),
        Shot("home-caseworker-es", "fiscalia.puebla", "/", language="es-mx"),
        Shot("people", "fiscalia.puebla", "/people/"),
        Shot("register", "fiscalia.puebla", "/people/new/"),
        Shot("screening", "fiscalia.puebla", f"/people/{person.public_id}/screen/"),
        Shot("person", "fiscalia.puebla", f"/people/{person.public_id}/"),
        Shot("person-es", "fiscalia.puebla", f"/people/{person.public_id}/", language="es-mx"),
        Shot("referral", "fiscalia.puebla", f"/referrals/{referral.pk}/"),
        Shot("referrals", "fiscalia.puebla", "/referrals/"),
        Shot("inbox-shelter", "fevimtra", "/referrals/inbox/"),
        Shot("figures-analyst", "analista", "/"),
        Shot("dashboard-analyst", "analista", "/dashboard/?by=age_band&then=form"),
        Shot("dashboard-analyst-es", "analista", "/dashboard/?by=state&then=sex", language="es-mx"),
        Shot("figures-2017", "analista", "/figures/?year=2017"),
        Shot("agency-supervisor", "supervisor", "/agency/?year=2017"),
    ]


def take_screenshots(
    output: Path, *, browser: Any = None, progress: Callable[[str], None] = lambda name: None
) -> list[Path]:
    """Serve the current database and save every page at every width under ``output``.

    ``browser`` is a Playwright browser to use; by default chromium is launched here.
    """
    demo_accounts_create()
    wanted = shots()
    output.mkdir(parents=True, exist_ok=True)
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    try:
        if browser is not None:
            return _take(browser, base, wanted, output, progress)
        return _with_chromium(lambda b: _take(b, base, wanted, output, progress))
    finally:
        server.terminate()
        server.join()


def _with_chromium(work: Callable[[Any], list[Path]]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the server thread does
    # the database work, so Django's guard against async callers can be lifted here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            try:
                return work(browser)
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _take(
    browser: Any, base: str, wanted: list[Shot], output: Path, progress: Callable[[str], None]
) -> list[Path]:
    saved: list[Path] = []
    for width_name, (width, height) in WIDTHS.items():
        contexts: dict[tuple[str, str], Any] = {}
        for shot in wanted:
            key = (shot.username, shot.language)
            if key not in contexts:
                contexts[key] = browser.new_context(viewport={"width": width, "height": height})
                _sign_in(contexts[key].new_page(), base, shot)
            page = contexts[key].pages[0]
            page.goto(f"{base}{shot.path}")
            path = output / f"{shot.name}-{width_name}.png"
            page.screenshot(path=str(path), full_page=width_name == "desktop")
            saved.append(path)
            progress(path.name)
        for context in contexts.values():
            context.close()
    return saved


def _sign_in(page: Any, base: str, shot: Shot) -> None:
    page.goto(f"{base}/accounts/login/")
    language = "Español" if shot.language.startswith("es") else "English"
    page.get_by_role("button", name=language).click()
    if shot.username:
        page.locator("#id_username").fill(shot.username)
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("form.card button[type=submit]").click()
        page.wait_for_url(f"{base}/")
