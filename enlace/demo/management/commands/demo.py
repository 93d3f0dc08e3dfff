from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.demo.accounts import DEMO_PASSWORD, demo_accounts, demo_accounts_create
from enlace.demo.guatemala import YEARS as GT_YEARS
from enlace.demo.guatemala import gt_demo_load
from enlace.demo.seed import YEARS, demo_data_loaded, demo_load

# Each shipped profile's demo: its loader and its years.
DEMOS = {"MX": (demo_load, YEARS), "GT": (gt_demo_load, GT_YEARS)}


class Command(BaseCommand):
    help = (
        "Set up demo data: 'accounts' creates one account per role; "
        "'load' (re)loads the demo victims, referrals and services "
        "(Mexico's 2015-2017, or Guatemala's 2022-2024 with --profile GT)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["accounts", "load"])
        parser.add_argument(
            "--profile",
            choices=sorted(DEMOS),
            help="The country whose demo it is; the profile the system runs with by default "
            "(ENLACE_COUNTRY_PROFILE), and it must be that one.",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Load only if no demo data is there yet."
        )
        parser.add_argument(
            "--year",
            type=int,
            choices=sorted({*YEARS, *GT_YEARS}),
            action="append",
            dest="years",
            help="Load only this year (repeatable); all the profile's years by default.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        profile = options["profile"] or settings.COUNTRY_PROFILE
        if profile != settings.COUNTRY_PROFILE:
            raise CommandError(
                f"The system runs with the {settings.COUNTRY_PROFILE} profile: set "
                f"ENLACE_COUNTRY_PROFILE={profile} (on a database of its own) for its demo."
            )
        if profile not in DEMOS:
            raise CommandError(f"No demo for the profile {profile}: {', '.join(sorted(DEMOS))}.")
        if options["what"] == "load":
            if options["if_empty"] and demo_data_loaded():
                self.stdout.write("Demo data already loaded (enlace demo load reloads it).")
                return
            load, years = DEMOS[profile]
            chosen = options["years"] or years
            if not set(chosen) <= set(years):
                raise CommandError(f"The {profile} demo's years are {', '.join(map(str, years))}.")
            progress = self.stderr.write if options["verbosity"] > 1 else None
            self.stdout.write(str(load(years=chosen, progress=progress)))
            return
        created = demo_accounts_create(profile)
        self.stdout.write(f"Demo accounts ready ({created} new). Password for all: {DEMO_PASSWORD}")
        for account in demo_accounts(profile):
            self.stdout.write(f"  {account.username:<16} {account.description}")
