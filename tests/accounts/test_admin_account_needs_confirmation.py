"""An account the administrator makes in the admin reads no identity until a supervisor confirms.

The probe's finding (issue 12, W6): the admin made a FEVIMTRA caseworker and
that account read names at once, its creation only in Django's admin log.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client

from enlace.audit.models import AuditEvent
from enlace.audit.sealer import seal
from enlace.audit.selectors import audit_chain_verify
from enlace.registry.selectors import identity_get_for_user
from enlace.registry.services import person_register
from tests.accounts.conftest import admin_user_add
from tests.conftest import IDENTITY, Cast
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    # A new request loads the membership anew; so does a fresh instance.
    return User.objects.get(pk=user.pk)


def test_it_reads_no_identity_until_a_supervisor_confirms(
    cast: Cast, admin_site: Client, fabiola: User
) -> None:
    person = person_register(actor=cast.fernanda, identity=IDENTITY, sex="female")
    fevimtra = cast.agency("FEVIMTRA")

    assert 'name="membership-0-role"' in admin_site.get("/admin/auth/user/add/").content.decode()
    nuevo = admin_user_add(admin_site, "nuevo", "caseworker", fevimtra.pk)

    with pytest.raises(Http404):
        identity_get_for_user(user=_fresh(nuevo), person=person)
    page = signed_in(nuevo).get(f"/people/{person.public_id}/")
    assert page.status_code in (403, 404)
    assert "Hernández" not in page.content.decode()
    # The administrator is told, and sees it in the list of users.
    change_page = admin_site.get(f"/admin/auth/user/{nuevo.pk}/change/")
    assert "grants nothing until a supervisor of FEVIMTRA confirms it" in (
        change_page.content.decode()
    )
    assert admin_site.get("/admin/auth/user/?membership__pending__exact=1").status_code == 200

    supervisor = signed_in(fabiola)
    listed = supervisor.get("/accounts/pending/").content.decode()
    assert "nuevo" in listed
    membership = _fresh(nuevo).membership
    response = supervisor.post(f"/accounts/pending/{membership.pk}/confirm/")
    assert response.status_code == 302

    assert identity_get_for_user(user=_fresh(nuevo), person=person).paternal_surname == "Hernández"
    page = signed_in(nuevo).get(f"/people/{person.public_id}/")
    assert page.status_code == 200 and "Hernández" in page.content.decode()

    seal()  # every row joins the chain, then the whole chain is checked
    report = audit_chain_verify()
    assert report.intact, report.problem
    assert report.rows == AuditEvent.objects.count()
    about = AuditEvent.objects.filter(object_type="auth.user", object_id=str(nuevo.pk))
    changes = about.exclude(action__startswith="auth.").order_by("id")
    assert list(changes.values_list("action", "actor_name")) == [
        ("user.create", "root"),
        ("membership.propose", "root"),
        ("membership.confirm", "fabiola"),
    ]
