from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client


def signed_in(user: User, language: str = "en") -> Client:
    """A browser session for ``user``, with the interface in ``language``."""
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    client.cookies["django_language"] = language
    return client
