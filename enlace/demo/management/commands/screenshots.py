from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.demo.screenshots import take_screenshots


class Command(BaseCommand):
    help = "Screenshot the main pages (desktop and 360 px) from the demo data with chromium."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/screenshots", help="Directory for the PNGs.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            saved = take_screenshots(
                Path(options["output"]), progress=lambda name: self.stdout.write(f"  {name}")
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{len(saved)} screenshots in {options['output']}")
