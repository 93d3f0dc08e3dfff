from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create
from enlace.demo.seed import YEARS, demo_data_loaded, demo_load


class Command(BaseCommand):
    help = (
        "Set up demo data: 'accounts' creates one account per role; "
        "'load' (re)loads the 2015-2017 demo victims, referrals and services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["accounts", "load"])
        parser.add_argument(
            "--if-empty", action="store_true", help="Load only if no demo data is there yet."
        )
        parser.add_argument(
            "--year",
            type=int,
            choices=YEARS,
            action="append",
            dest="years",
            help="Load only this year (repeatable); all years by default.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "load":
            if options["if_empty"] and demo_data_loaded():
                self.stdout.write("Demo data already loaded (enlace demo load reloads it).")
                return
            progress = self.stderr.write if options["verbosity"] > 1 else None
            years = options["years"] or YEARS
            self.stdout.write(str(demo_load(years=years, progress=progress)))
            return
        created = demo_accounts_create()
        self.stdout.write(f"Demo accounts ready ({created} new). Password for all: {DEMO_PASSWORD}")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<16} {account.description}")
