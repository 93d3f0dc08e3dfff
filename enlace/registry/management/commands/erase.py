from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.registry.models import Person
from enlace.registry.services import person_erase


class Command(BaseCommand):
    help = "Erase a person's identity on a legal request; the pseudonymous record stays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help="The person's public id, e.g. V-7F3K9Q.")
        parser.add_argument("--user", required=True, help="The administrator or supervisor.")
        parser.add_argument(
            "--reference", required=True, help="The legal reference of the request (no names)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        person = Person.objects.filter(public_id=options["public_id"]).first()
        if user is None or person is None:
            raise CommandError("No such user or person.")
        try:
            vault = person_erase(actor=user, person=person, legal_reference=options["reference"])
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(
            f"Identity of {person.public_id} erased at {vault.erased_at:%Y-%m-%d %H:%M}."
        )
