from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Set up demo data: 'accounts' creates one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["accounts"])

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_accounts_create()
        self.stdout.write(f"Demo accounts ready ({created} new). Password for all: {DEMO_PASSWORD}")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<16} {account.description}")
