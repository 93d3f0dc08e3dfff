"""Passwords are hashed with Argon2id; an older PBKDF2 hash is upgraded at sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

import config.settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings: Any) -> None:
    # The suite hashes with MD5 for speed (tests/conftest.py); these tests use the real list.
    settings.PASSWORD_HASHERS = config.settings.PASSWORD_HASHERS


def test_it_hashes_new_passwords_with_argon2id(real_hashers: None) -> None:
    user = User.objects.create_user("alice", password="a long passphrase")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a long passphrase")


def test_it_upgrades_a_pbkdf2_hash_at_sign_in(real_hashers: None, client: Client) -> None:
    user = User.objects.create(
        username="bob", password=make_password("an old passphrase", hasher="pbkdf2_sha256")
    )
    assert user.password.startswith("pbkdf2_sha256$")

    client.post("/accounts/login/", {"username": "bob", "password": "an old passphrase"})

    assert "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
