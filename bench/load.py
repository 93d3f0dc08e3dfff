"""Benchmark: the production stack under load, against the login page measured in the same run.

    .venv/bin/python bench/load.py [--users 10 30] [--seconds 20] [--keep]

Starts what a ministry runs (tests/ops/stack.py): a new PostgreSQL database
``enlace_bench_load`` on the server of ``ENLACE_STACK_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/postgres``), migrated and prepared as
docs/deployment.md says, then gunicorn (``enlace serve``, config/gunicorn.py)
and the worker (``enlace worker``, which seals the audit trail every 10 s)
with ``ENLACE_ENV=production``. Caseworkers sign in for real (password, then
TOTP code); each simulated user is one thread with its own persistent HTTP
session (cookies, keep-alive), in ``--clients`` processes, and sends its next
request as soon as the last one is answered (no think time: a closed loop).

Scenarios, each run for ``--seconds`` (after ``--warmup`` seconds not
counted) at every number of ``--users``, each after a ``VACUUM ANALYZE``
(what autovacuum does on a live server; ``--no-vacuum`` leaves it out):

- ``login``: the sign-in page, anonymous: the floor every other figure is
  compared with (the cheapest page the stack serves, through the same
  middleware, the same workers and the same client);
- ``read``: a person's page (``/people/<id>/``), one of the people registered
  before the run, by a caseworker of the agency that holds them;
- ``write``: the register / service / refer / accept mix: a caseworker of
  FGE-PUE registers a person, records a service for them and refers them to
  ONG-PUE, whose caseworker accepts; each is one form POST (the CSRF token is
  the one the session's first page gave), a write counts when answered 302;
- ``mixed``: the same four writes, each followed by a read (the new person's
  page, a person's page, the referral's page, the inbox of the receiver);
- ``api``: ``GET /api/v1/persons?limit=100`` with a token of FGE-PUE per
  client (a page of 100 people, audited as read).

Printed for each: requests per second, its ratio to the login page's at the
same users, p50/p95/p99 latency, writes per second, 5xx and other failures,
and the load average. Then ``enlace audit_verify`` and an integrity check of
the database against what the clients saw: every write answered as done is
there with its audit row, every row of the kinds written has its audit row,
and nothing else was written. Ends with a non-zero status when a check
fails or any request answered 5xx. Drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import multiprocessing.pool
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import requests  # noqa: E402

from tests.ops.stack import (  # noqa: E402
    Browser,
    enlace,
    free_port,
    new_database,
    prepare,
    production_env,
    start,
    stop,
)

DATABASE = "enlace_bench_load"
SENDER, RECEIVER = "FGE-PUE", "ONG-PUE"
LOCK = threading.Lock()  # the results one client process's threads share
SCENARIOS = ("login", "read", "write", "mixed", "api")
WRITES = ("register", "service", "refer", "accept")
GIVEN = [
    "Ana",
    "María",
    "José",
    "Luis",
    "Rosa",
    "Juan",
    "Elena",
    "Pedro",
    "Lucía",
    "Carlos",
    "Sofía",
    "Diego",
    "Marta",
    "Jorge",
]
SURNAMES = [
    "García",
    "López",
    "Hernández",
    "Martínez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flores",
    "Rivera",
]

SETUP = """
import json, datetime
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice
from enlace.accounts.models import Role
from enlace.accounts.services import OPERATOR, membership_set, user_create
from enlace.api.services import api_token_create
from enlace.assistance.services import service_record
from enlace.directory.models import Agency
from enlace.exchange.services import agency_system_user
from enlace.registry.services import person_register

def caseworker(username, agency):
    user = User(username=username)
    user.set_password(PASSWORD)
    user_create(actor=OPERATOR, user=user)
    membership_set(actor=OPERATOR, user=user, role=Role.CASEWORKER, agency=agency)
    TOTPDevice.objects.create(user=user, name="phone", key=KEYS[username], confirmed=True)
    return user

sender, receiver = Agency.objects.get(code=SENDER), Agency.objects.get(code=RECEIVER)
users = [caseworker(f"s{i}", sender) for i in range(USERS)]
users += [caseworker(f"r{i}", receiver) for i in range(USERS)]
people = []
for person in PEOPLE:
    born = datetime.date.fromisoformat(person["birth_date"])
    identity = {**person, "birth_date": born}
    registered = person_register(actor=users[0], identity=identity, sex="female")
    service_record(
        actor=users[0], person=registered, category="emergency", kind="medical",
        started_on=datetime.date(2026, 1, 1),
    )
    people.append(registered.public_id)
admin = User.objects.create_superuser("bench-admin")  # no password: never signs in
system = agency_system_user(agency=sender, purpose="api")
tokens = [api_token_create(actor=admin, user=system, name=f"client {i}")[1] for i in range(USERS)]
print(json.dumps({"people": people, "to_agency": receiver.pk, "tokens": tokens}))
"""


def _person(rng: random.Random) -> dict[str, str]:
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365))
    return {
        "given_names": f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}",
        "paternal_surname": rng.choice(SURNAMES),
        "maternal_surname": rng.choice(SURNAMES),
        "birth_date": born.isoformat(),
    }


@dataclass
class User:
    """What a signed-in user's browser holds: its cookies and a form token."""

    cookies: dict[str, str]
    token: str


@dataclass
class Result:
    """What one client process saw: latencies by request kind, failures, the writes done."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    succeeded: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    writes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: Result) -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        for kind, count in other.succeeded.items():
            self.succeeded[kind] = self.succeeded.get(kind, 0) + count
        self.server_errors += other.server_errors
        self.failures += other.failures
        for kind, ids in other.writes.items():
            self.writes.setdefault(kind, []).extend(ids)


@dataclass
class Context:
    base: str
    people: list[str]
    to_agency: int
    tokens: list[str]
    senders: list[User]
    receivers: list[User]


class Session:
    """One simulated user at work: times each request and keeps what it wrote."""

    def __init__(self, context: Context, n: int, result: Result, counted: Callable[[], bool]):
        self.context, self.n, self.result, self.counted = context, n, result, counted
        self.rng = random.Random(n)  # noqa: S311 - invented names, not secrets

    def browser(self, user: User | None) -> tuple[Browser, str]:
        browser = Browser(self.context.base)
        if user is not None:
            browser.session.cookies.update(user.cookies)
        return browser, user.token if user else ""

    def timed(self, kind: str, call: Callable[[], requests.Response], ok: int) -> Any:
        counted = self.counted()
        started = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - started
        with LOCK:
            # Failures count from the first request; times and rates after the warm-up.
            if response.status_code >= 500:
                self.result.server_errors += 1
            if response.status_code != ok:
                self.result.failures.append(f"{kind}: {response.status_code}")
            if counted:
                self.result.latencies.setdefault(kind, []).append(elapsed)
                if response.status_code == ok:
                    self.result.succeeded[kind] = self.result.succeeded.get(kind, 0) + 1
        return response if response.status_code == ok else None

    def wrote(self, kind: str, key: str) -> None:
        """Every write answered as done, warm-up included (the integrity check needs all)."""
        with LOCK:
            self.result.writes.setdefault(kind, []).append(key)

    def run(self, scenario: str, until: float) -> None:
        context = self.context
        sender, token = self.browser(context.senders[self.n])
        receiver, receiver_token = self.browser(context.receivers[self.n])
        anonymous, _ = self.browser(None)
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {context.tokens[self.n % len(context.tokens)]}"
        api.headers["X-Forwarded-Proto"] = "https"

        def read(browser: Browser, path: str) -> None:
            self.timed("read", lambda: browser.get(path), 200)

        while time.monotonic() < until:
            if scenario == "login":
                self.timed("login", lambda: anonymous.get("/accounts/login/"), 200)
            elif scenario == "read":
                read(sender, f"/people/{self.rng.choice(context.people)}/")
            elif scenario == "api":
                self.timed(
                    "api",
                    lambda: api.get(f"{context.base}/api/v1/persons?limit=100", timeout=30),
                    200,
                )
            else:
                self.write_cycle(sender, token, receiver, receiver_token, scenario == "mixed", read)

    def write_cycle(
        self,
        sender: Browser,
        token: str,
        receiver: Browser,
        receiver_token: str,
        mixed: bool,
        read: Callable[[Browser, str], None],
    ) -> None:
        """Register, serve, refer, accept: four writes (and in the mixed scenario four reads)."""
        form = {**_person(self.rng), "sex": "female", "gender": "woman", "consent": "on"}
        response = self.timed("register", lambda: sender.post("/people/new/", form, token), 302)
        if response is None:
            return
        found = re.fullmatch(r"/people/([^/]+)/screen/", response.headers["Location"])
        assert found, response.headers["Location"]
        public_id = found.group(1)
        self.wrote("register", public_id)
        if mixed:
            read(sender, f"/people/{public_id}/")
        service = {"category": "emergency", "kind": "medical", "started_on": "2026-01-02"}
        path = f"/people/{public_id}/services/new/"
        if self.timed("service", lambda: sender.post(path, service, token), 302) is None:
            return
        self.wrote("service", public_id)
        if mixed:
            read(sender, f"/people/{self.rng.choice(self.context.people)}/")
        refer = {"to_agency": self.context.to_agency, "services": "medical", "consent": "on"}
        path = f"/people/{public_id}/refer/"
        response = self.timed("refer", lambda: sender.post(path, refer, token), 302)
        if response is None:
            return
        found = re.fullmatch(r"/referrals/(\d+)/", response.headers["Location"])
        assert found, response.headers["Location"]
        referral = found.group(1)
        self.wrote("refer", referral)
        if mixed:
            read(receiver, f"/referrals/{referral}/")
        path = f"/referrals/{referral}/accept/"
        if self.timed("accept", lambda: receiver.post(path, {}, receiver_token), 302) is None:
            return
        self.wrote("accept", referral)
        if mixed:
            read(receiver, "/referrals/inbox/")


def _client(
    context: Context,
    users: range,
    scenario: str,
    start_at: float,
    counted_from: float,
    until: float,
    queue: Any,
) -> None:
    """One client process: its share of the users, one thread each, to ``until``."""
    result = Result()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            session = Session(context, n, result, lambda: time.monotonic() >= counted_from)
            while time.monotonic() < start_at:
                time.sleep(0.01)
            session.run(scenario, until)
        except BaseException as exc:  # reported below: a client that breaks is a failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.failures += [f"client: {exc!r}" for exc in errors]
    queue.put(result)


def run(context: Context, scenario: str, users: int, args: argparse.Namespace) -> Result:
    clients = min(args.clients, users)
    queue: Any = multiprocessing.get_context("fork").Queue()
    start_at = time.monotonic() + 0.5 + 0.05 * users
    counted_from = start_at + args.warmup
    until = counted_from + args.seconds
    processes = [
        multiprocessing.get_context("fork").Process(
            target=_client,
            args=(
                context,
                range(c, users, clients),
                scenario,
                start_at,
                counted_from,
                until,
                queue,
            ),
        )
        for c in range(clients)
    ]
    for process in processes:
        process.start()
    result = Result()
    for _ in processes:
        result.add(queue.get(timeout=args.seconds + args.warmup + 120))
    for process in processes:
        process.join()
    return result


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _sign_in(base: str, username: str, password: str, key: str) -> User:
    browser = Browser(base)
    browser.sign_in(username, password, key)
    return User(
        cookies={c.name: c.value or "" for c in browser.session.cookies},
        token=browser.token("/people/new/"),
    )


def _vacuum(database_url: str) -> None:
    """What autovacuum does on a live server (this one may run without it): dead row
    versions are cleared (the sealer updates every audit row once, leaving one behind in
    the index of unsealed rows) and the planner's statistics are current."""
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def integrity(database_url: str, seeded: int, done: Result) -> list[str]:
    """What the clients saw done is in the database with its audit row, and nothing else."""
    problems: list[str] = []
    writes = {kind: set(ids) for kind, ids in done.writes.items()}
    with psycopg.connect(database_url) as db:

        def one(sql: str, *params: Any) -> Any:
            return db.execute(sql, params).fetchone()[0]  # type: ignore[index]

        def audited(table: str, label: str, key: str, action: str, where: str = "TRUE") -> int:
            """Rows of ``table`` without an ``action`` audit row naming them."""
            return int(
                one(
                    f"SELECT count(*) FROM {table} t WHERE {where} AND NOT EXISTS ("
                    " SELECT 1 FROM audit_auditevent a WHERE a.action = %s"
                    f" AND a.object_type = %s AND a.object_id = t.{key}::text)",
                    action,
                    label,
                )
            )

        people = set(r[0] for r in db.execute("SELECT public_id FROM registry_person").fetchall())
        registered = writes.get("register", set())
        if len(people) != seeded + len(registered) or not registered <= people:
            problems.append(
                f"{len(people)} persons stored: {seeded} seeded + {len(registered)} registered"
                f" expected; {len(registered - people)} answered as registered are missing"
            )
        served = one("SELECT count(*) FROM assistance_servicedelivery")
        if served != seeded + len(done.writes.get("service", [])):
            problems.append(
                f"{served} services stored, {seeded} seeded + "
                f"{len(done.writes.get('service', []))} recorded expected"
            )
        referrals: dict[str, str] = {
            str(pk): status
            for pk, status in db.execute("SELECT id, status FROM referrals_referral").fetchall()
        }
        if set(referrals) != writes.get("refer", set()):
            problems.append(
                f"{len(referrals)} referrals stored, {len(writes.get('refer', set()))} sent"
            )
        accepted = {pk for pk, status in referrals.items() if status == "accepted"}
        if accepted != writes.get("accept", set()):
            problems.append(
                f"{len(accepted)} referrals accepted, {len(writes.get('accept', set()))} answered"
            )
        for table, label, key, action, where in (
            ("registry_person", "registry.person", "public_id", "person.register", "TRUE"),
            (
                "assistance_servicedelivery",
                "assistance.servicedelivery",
                "id",
                "service.record",
                "TRUE",
            ),
            ("referrals_referral", "referrals.referral", "id", "referral.send", "TRUE"),
            (
                "referrals_referral",
                "referrals.referral",
                "id",
                "referral.accept",
                "t.status = 'accepted'",
            ),
        ):
            missing = audited(table, label, key, action, where)
            if missing:
                problems.append(f"{missing} rows of {table} without their {action} audit row")
        unsealed = one("SELECT count(*) FROM audit_auditevent WHERE seq IS NULL")
        if unsealed:
            problems.append(f"{unsealed} audit rows unsealed after audit_verify")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--seconds", type=float, default=20, help="measured, per run")
    parser.add_argument("--warmup", type=float, default=3, help="run, not measured, per run")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--people", type=int, default=300, help="registered before the run")
    parser.add_argument("--web-workers", type=int, help="gunicorn workers (config's default)")
    parser.add_argument("--web-threads", type=int, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument(
        "--no-vacuum", action="store_true", help="no VACUUM ANALYZE before each run"
    )
    parser.add_argument("--database", default=DATABASE, help="made new, dropped after")
    args = parser.parse_args()
    if "bench" not in args.database:
        raise SystemExit("The database's name must contain 'bench': it is dropped first.")
    if "login" not in args.scenarios:
        args.scenarios.insert(0, "login")

    most = max(args.users)
    password = secrets.token_urlsafe(16)
    keys = {f"{side}{i}": secrets.token_hex(20) for side in "sr" for i in range(most)}
    rng = random.Random(17)  # noqa: S311 - invented names, not secrets
    people = [_person(rng) for _ in range(args.people)]
    setup = (
        f"PASSWORD, KEYS, USERS = {password!r}, {keys!r}, {most}\n"
        f"SENDER, RECEIVER, PEOPLE = {SENDER!r}, {RECEIVER!r}, {people!r}\n"
    )
    var = Path(tempfile.mkdtemp(prefix="enlace-bench-load-"))
    settings = {}
    if args.web_workers:
        settings["ENLACE_WEB_WORKERS"] = str(args.web_workers)
    if args.web_threads:
        settings["ENLACE_WEB_THREADS"] = str(args.web_threads)
    failed = False
    with new_database(args.database, keep=args.keep) as database_url:
        env = production_env(database_url, var, **settings)
        print(f"Preparing {args.database}: {most} users a side, {args.people} people", flush=True)
        prepared = json.loads(prepare(env, setup + SETUP).splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web_log, worker_log = var / "web.log", var / "worker.log"
        web = start("serve", "--bind", f"127.0.0.1:{port}", env=env, log=web_log)
        worker = start("worker", env=env, log=worker_log)
        try:
            Browser(base).wait_until_answering(web, web_log)
            with multiprocessing.pool.ThreadPool(4) as pool:
                senders = pool.starmap(
                    _sign_in, [(base, f"s{i}", password, keys[f"s{i}"]) for i in range(most)]
                )
                receivers = pool.starmap(
                    _sign_in, [(base, f"r{i}", password, keys[f"r{i}"]) for i in range(most)]
                )
            context = Context(
                base=base,
                people=prepared["people"],
                to_agency=prepared["to_agency"],
                tokens=prepared["tokens"],
                senders=senders,
                receivers=receivers,
            )
            workers = settings.get("ENLACE_WEB_WORKERS") or 2 * len(os.sched_getaffinity(0)) + 1
            print(
                f"gunicorn workers: {workers}, threads: {settings.get('ENLACE_WEB_THREADS', 1)};"
                f" {os.cpu_count()} cores; client: {args.clients} processes;"
                f" {args.seconds:g} s per run after {args.warmup:g} s warm-up\n"
            )
            print(
                f"{'scenario':<8} {'users':>5} {'req/s':>7} {'÷login':>7} {'p50 ms':>7}"
                f" {'p95 ms':>7} {'p99 ms':>7} {'writes/s':>8} {'5xx':>4} {'failed':>6}  load"
            )
            everything = Result()
            for users in args.users:
                floor = None
                for scenario in args.scenarios:
                    if not args.no_vacuum:
                        _vacuum(database_url)
                    result = run(context, scenario, users, args)
                    everything.add(result)
                    values = [v for values in result.latencies.values() for v in values]
                    rate = len(values) / args.seconds
                    floor = floor or rate
                    writes = sum(result.succeeded.get(k, 0) for k in WRITES)
                    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                    print(
                        f"{scenario:<8} {users:>5} {rate:>7.1f} {rate / floor:>7.2f}"
                        f" {_percentile(values, 50) * 1000:>7.0f}"
                        f" {_percentile(values, 95) * 1000:>7.0f}"
                        f" {_percentile(values, 99) * 1000:>7.0f}"
                        f" {writes / args.seconds if writes else 0:>8.1f}"
                        f" {result.server_errors:>4} {len(result.failures):>6}  {load}",
                        flush=True,
                    )
                    if result.failures:
                        print("         failures:", sorted(set(result.failures))[:5])
                    failed = failed or result.server_errors > 0
        finally:
            stop(worker, web)
        print()
        enlace("audit_verify", env=env)
        print("audit_verify: the chain verifies")
        problems = integrity(database_url, args.people, everything)
        print(
            "integrity:",
            "; ".join(problems)
            if problems
            else "every write answered as done is stored with its audit row, and nothing else",
        )
        failed = failed or bool(problems)
        if args.keep:
            print(f"Kept {database_url} and the logs in {var}.")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
