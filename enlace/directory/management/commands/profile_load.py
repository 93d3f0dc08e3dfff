from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.directory.profile import ProfileError, profile_path, profile_read
from enlace.directory.services import profile_load


class Command(BaseCommand):
    help = "Load a country profile (a shipped code such as MX, or a YAML file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("profile", nargs="?", default="MX")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = profile_read(profile_path(options["profile"]))
        except (ProfileError, OSError) as exc:
            raise CommandError(str(exc)) from None
        summary = profile_load(profile=profile)
        self.stdout.write(f"Profile {profile.code}: {summary}.")
