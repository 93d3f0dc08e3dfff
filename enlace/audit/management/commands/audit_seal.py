from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, no_translations

from enlace.audit.sealer import seal


class Command(BaseCommand):
    help = "Chain the committed audit rows not sealed yet (audit/sealer.py); prints how many."

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{seal()} rows sealed.")
