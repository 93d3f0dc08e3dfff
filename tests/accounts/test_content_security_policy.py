"""A strict Content-Security-Policy, and templates that need nothing inline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Cast
from tests.web.conftest import signed_in

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script without src
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=, onload=...
    re.compile(r"javascript:", re.I),
]


def _policy(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_carries_the_policy(client: Client, cast: Cast) -> None:
    assert _policy(client.get("/accounts/login/")["Content-Security-Policy"]) == POLICY
    page = signed_in(cast.alice).get("/people/")
    assert _policy(page["Content-Security-Policy"]) == POLICY
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style() -> None:
    templates = [
        *ROOT.glob("enlace/*/templates/**/*.html"),
        *ROOT.glob("templates/**/*.html"),
    ]
    assert len(templates) > 20
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in templates
        for pattern in INLINE
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_htmx_is_told_to_add_no_inline_style() -> None:
    base = (ROOT / "enlace/web/templates/base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
