from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from enlace.core.datadictionary import data_dictionary


class Command(BaseCommand):
    help = "Print the data dictionary (Markdown) generated from the models."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(data_dictionary(), ending="")
