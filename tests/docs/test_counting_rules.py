from __future__ import annotations

from django.conf import settings
from django.utils import translation

from enlace.statistics.indicators import REGISTRY


def test_every_indicator_rule_is_documented() -> None:
    doc = (settings.BASE_DIR / "docs" / "counting-rules.md").read_text()
    with translation.override("en"):
        for indicator in REGISTRY.values():
            assert f"### `{indicator.name}`" in doc, indicator.name
            assert f"- Rule: {indicator.rule}" in doc, indicator.name
            assert f"- Scope: {indicator.scope}" in doc, indicator.name
