from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.referrals.services import referrals_expire


class Command(BaseCommand):
    help = "Expire referrals left unanswered for longer than --days (default 15)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=15)

    def handle(self, *args: Any, **options: Any) -> None:
        expired = referrals_expire(unanswered_for=datetime.timedelta(days=options["days"]))
        self.stdout.write(f"{expired} referrals expired.")
