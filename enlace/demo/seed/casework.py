"""2017's casework after identification: state prosecutors open a case for some of the
people they identified, plan it, follow it up, and close a third of them (the caseworker
asks, the agency's supervisor approves, as Mexico's profile requires); two are reopened.

Every record goes through the same services as the case pages. It draws after every
other record of the demo (as path.py does), so the rest of the demo stays the same
data, and no figure of the report counts it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User

from enlace.accounts.models import Membership, Role
from enlace.cases.models import Case, FollowUp, Goal
from enlace.cases.services import (
    case_close,
    case_closure_approve,
    case_open,
    case_reopen,
    follow_up_done,
    follow_up_schedule,
    goal_add,
)
from enlace.demo.seed.cases import Case as Seed
from enlace.demo.seed.loader import Loader
from enlace.demo.seed.tables import USER_PREFIX

# What each goal of the plan usually needs.
NEEDS = {
    Goal.Category.SAFETY: ["housing", "legal"],
    Goal.Category.HEALTH: ["medical", "psychological"],
    Goal.Category.HOUSING: ["housing", "food"],
    Goal.Category.LEGAL: ["legal"],
    Goal.Category.DOCUMENTS: ["legal", "social"],
    Goal.Category.INCOME: ["social"],
    Goal.Category.FAMILY: ["social", "psychological"],
}
REASONS = [
    Case.ClosureReason.GOALS_MET,
    Case.ClosureReason.GOALS_MET,
    Case.ClosureReason.GOALS_MET,
    Case.ClosureReason.DECLINED,
    Case.ClosureReason.LOST_CONTACT,
    Case.ClosureReason.RETURNED,
]


def casework(loader: Loader, year: int, local: Sequence[Seed]) -> None:
    loader.progress(f"{year}: cases, plans, follow-ups and closures")
    held = [s for s in local if s.person is not None and s.identified_on.month < 11]
    end = datetime.date(year, 12, 31)
    closed: list[Case] = []
    for i, seed in enumerate(loader.rng.sample(held, k=len(held) // 4)):
        assert seed.person is not None
        actor = loader.actor(seed.agency)
        case = case_open(actor=actor, person=seed.person, opened_on=seed.identified_on)
        for category in loader.rng.sample(list(NEEDS), k=loader.rng.randint(1, 3)):
            goal_add(
                actor=actor,
                case=case,
                category=category,
                services=NEEDS[category],
                set_on=loader.after(case.opened_on, 0, 10),
            )
        due = case.opened_on
        for _ in range(loader.rng.randint(1, 3)):
            due += datetime.timedelta(days=loader.rng.randint(14, 45))
            if due > end:
                break
            follow_up = follow_up_schedule(
                actor=actor, case=case, kind=loader.rng.choice(FollowUp.Kind.values), due_on=due
            )
            # Most are done by their day; a few in December are still waiting (overdue).
            if due.month < 12 or loader.rng.random() < 0.5:
                follow_up_done(
                    actor=actor, follow_up=follow_up, done_on=min(loader.after(due, 0, 3), end)
                )
        if i % 3 == 0:
            case_close(
                actor=actor,
                case=case,
                reason=loader.rng.choice(REASONS),
                closed_on=loader.after(case.opened_on, 60, 200),
            )
            case_closure_approve(actor=_supervisor(loader, seed.agency), case=case)
            closed.append(case)
    # Two people came back before the year ended.
    for case in [c for c in closed if c.closed_on and c.closed_on < end][:2]:
        assert case.closed_on is not None
        case_reopen(
            actor=loader.actor(case.agency.code),
            case=case,
            reopened_on=loader.after(case.closed_on, 1, 30),
        )


def _supervisor(loader: Loader, code: str) -> User:
    """The agency's hidden demo supervisor, beside its caseworker ``loader.actor(code)``."""
    username = f"{USER_PREFIX}supervisor.{code.lower()}"
    if username not in loader.users:
        user, _ = User.objects.get_or_create(username=username)
        user.set_unusable_password()
        user.is_active = False
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"agency": loader.agencies[code], "role": Role.SUPERVISOR}
        )
        loader.users[username] = User.objects.select_related("membership__agency").get(pk=user.pk)
    return loader.users[username]
