from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from enlace.justice.services import alerts_escalate


class Command(BaseCommand):
    help = "Escalate to the supervisors the non-punishment alerts left open past their deadline."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = alerts_escalate()
        self.stdout.write(f"{escalated} alerts escalated.")
