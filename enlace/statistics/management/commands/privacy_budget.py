from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from enlace.statistics.selectors import privacy_budget_by_year


class Command(BaseCommand):
    help = "Print the privacy budget spent on differentially private releases, per year."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = privacy_budget_by_year()
        if not rows:
            self.stdout.write("No private release yet.")
            return
        self.stdout.write("year\treleases\ttables\tepsilon spent\tbudget")
        for r in rows:
            self.stdout.write(
                f"{r['year']}\t{r['releases']}\t{r['tables']}\t{r['spent']:g}"
                f"\t{settings.DP_YEAR_BUDGET:g}"
            )
