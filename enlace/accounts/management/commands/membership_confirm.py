from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.accounts.models import Membership
from enlace.accounts.services import OPERATOR, membership_confirm


class Command(BaseCommand):
    help = (
        "Confirm an account's role waiting for a supervisor, as the operator "
        "(an agency's first supervisor has nobody else to confirm it); audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.filter(user__username=options["username"])
            .select_related("user", "agency")
            .first()
        )
        if membership is None:
            if not User.objects.filter(username=options["username"]).exists():
                raise CommandError(f"No account {options['username']!r}.")
            raise CommandError(f"{options['username']} has no role.")
        try:
            membership_confirm(actor=OPERATOR, membership=membership)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        agency = membership.agency.code if membership.agency else "-"
        self.stdout.write(f"{membership.user} is now {membership.role} at {agency}.")
