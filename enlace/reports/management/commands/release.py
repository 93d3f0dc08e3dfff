from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.reports.markdown import annual_report_markdown
from enlace.reports.releases import (
    live_changes,
    release_changes,
    release_figures,
    release_for_year,
    release_list,
    release_publish,
    release_verify,
)


def _change(change: Any) -> str:
    return f"  {change.figure}: {change.old} -> {change.new}"


class Command(BaseCommand):
    help = "Publish, list, show or verify the frozen releases of a year's annual figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        publish = sub.add_parser("publish", help="Freeze the year's figures as its next version.")
        publish.add_argument("--year", type=int, required=True)
        publish.add_argument("--reason", default="", help="Why; required for a correction.")
        publish.add_argument("--by", required=True, help="The national analyst publishing.")
        sub.add_parser("list", help="Every release, with whether its hash verifies.")
        show = sub.add_parser("show", help="A release's frozen figures (latest version).")
        show.add_argument("--year", type=int, required=True)
        show.add_argument("--version", type=int)
        show.add_argument("--format", choices=["json", "md"], default="json")
        show.add_argument("--lang", choices=["en", "es"], default="en")
        verify = sub.add_parser("verify", help="Check every release's hash; fail on any mismatch.")
        verify.add_argument("--year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _publish(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"No user {options['by']!r}.")
        try:
            release = release_publish(actor=user, year=options["year"], reason=options["reason"])
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        for change in release_changes(release):
            self.stdout.write(_change(change))
        self.stdout.write(f"Published {release.year} version {release.version}: {release.hash}")

    def _list(self, options: dict[str, Any]) -> None:
        self.stdout.write("year\tversion\tpublished at\tby\thash\tverified")
        for r in release_list().select_related("published_by"):
            self.stdout.write(
                f"{r.year}\t{r.version}\t{r.published_at:%Y-%m-%d %H:%M}\t"
                f"{r.published_by.get_username()}\t{r.hash[:16]}\t"
                f"{'yes' if release_verify(r) else 'NO'}"
            )

    def _show(self, options: dict[str, Any]) -> None:
        release = release_for_year(options["year"], options["version"])
        if release is None:
            raise CommandError(f"{options['year']} has no such release.")
        if not release_verify(release):
            raise CommandError(
                f"{release} does not match its hash: it was changed after publishing."
            )
        if changes := release_changes(release):
            self.stderr.write(f"Version {release.version} changed, because: {release.reason}")
            self.stderr.write("\n".join(_change(c) for c in changes))
        if changes := live_changes(release):
            self.stderr.write("Recomputed from today's records, these figures would differ:")
            self.stderr.write("\n".join(_change(c) for c in changes))
        figures = release_figures(release)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(annual_report_markdown(figures, lang=options["lang"]), ending="")

    def _verify(self, options: dict[str, Any]) -> None:
        releases = release_list()
        if options["year"]:
            releases = releases.filter(year=options["year"])
        bad = [str(r) for r in releases if not release_verify(r)]
        if bad:
            raise CommandError(f"Changed after publishing: {', '.join(bad)}.")
        self.stdout.write(f"{releases.count()} releases verified.")
