"""Browser tests: Playwright driving Debian's headless chromium against a live server.

Never a downloaded browser: the executable is the distribution's. A missing
chromium, playwright or axe-core fails the run, never skips it: `make test`
installs all three, so a missing one is a broken machine, not an option.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

CHROMIUM = Path(os.environ.get("ENLACE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"


def _missing(what: str) -> None:
    pytest.fail(f"{what} is missing: run `make test` (it installs it) or see docs/operations.md.")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("The playwright Python package")
    # Playwright's sync API keeps an event loop in this thread; the test's own
    # database calls are still synchronous, so Django's guard must be lifted.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory of pages, each in its own browser context (its own cookies: its own user)."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        if AXE.exists():
            # Injected by the browser before the page's own scripts: the page's
            # Content-Security-Policy refuses a script tag added later, as it should.
            context.add_init_script(path=str(AXE))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations axe-core finds on the page."""
    if not AXE.exists():
        _missing(str(AXE))
    # A caller must first wait for what it navigated to (an expect on the new page):
    # axe run while a navigation replaces the document finds no document.
    page.wait_for_load_state()
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Words:
    """The interface's words in one language, to find buttons and labels as a user reads them."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, text: str) -> str:
        with translation.override(self.language):
            return translation.gettext(text)


def sign_in(page: Any, base_url: str, username: str, language: str) -> Words:
    words = Words(language)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("button", name="Español" if language == "es-mx" else "English").click()
    page.get_by_label(words("Username")).fill(username)
    page.get_by_label(words("Password")).fill("password")
    page.get_by_role("button", name=words("Sign in")).click()
    page.wait_for_url(f"{base_url}/")
    return words


def sign_out(page: Any, words: Words) -> None:
    page.get_by_role("button", name=words("Sign out")).click()
