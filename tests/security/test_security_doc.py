from __future__ import annotations

from django.conf import settings

from enlace.accounts.securitydoc import render


def test_the_security_doc_is_current() -> None:
    committed = (settings.BASE_DIR / "docs" / "security.md").read_text()
    assert committed == render(committed), (
        "docs/security.md is stale: run `enlace security_doc --write` (or `make docs`)"
    )


def test_it_shows_the_relations_of_each_role() -> None:
    text = render((settings.BASE_DIR / "docs" / "security.md").read_text())
    assert (
        "| `person.view` | own, referred | own, referred, break-glass | national | — | — |" in text
    )
    assert "| `/people/<str:public_id>/` | casework | `person.view` |" in text
