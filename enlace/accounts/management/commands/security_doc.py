from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from enlace.accounts.securitydoc import render


class Command(BaseCommand):
    help = "Regenerate the permission matrix and route rules in docs/security.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="Rewrite the file in place.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "docs" / "security.md"
        text = render(path.read_text())
        if options["write"]:
            path.write_text(text)
            self.stdout.write(f"{path} rewritten.")
        else:
            self.stdout.write(text, ending="")
