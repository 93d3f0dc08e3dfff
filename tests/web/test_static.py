from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_htmx_is_served_from_the_pinned_npm_package() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/htmx.org"]["version"]
    vendored = (ROOT / "static" / "vendor" / "htmx.min.js").read_text()
    assert "htmx" in vendored
    package = ROOT / "node_modules" / "htmx.org"
    if package.exists():  # after `npm ci`, which `make test` runs
        assert json.loads((package / "package.json").read_text())["version"] == version
        assert vendored == (package / "dist" / "htmx.min.js").read_text()


def test_no_page_loads_anything_from_another_site() -> None:
    templates = (ROOT / "enlace").rglob("*.html")
    remote = re.compile(r"""(src|href)=["']https?://""")
    assert [str(t) for t in templates if remote.search(t.read_text())] == []
