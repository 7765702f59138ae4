"""Benchmark of event registration under load, on a throwaway database.

Makes a throwaway database next to the configured one (the test database
creation, as the other benchmarks), creates a public in-person event with 800
places and a waiting list, serves the project with gunicorn on a free port of
127.0.0.1 and, from this process (a second process, the server's being
gunicorn's), sends 2,000 registration attempts to the public registration API
at once from a pool of connections:

- exactly 800 registrations must be confirmed and the other 1,200 be on the
  waiting list (no overbooking), every attempt answered 201;
- one e-mail per registration: the served process writes its e-mails to files
  (Django's file e-mail backend), which are counted and matched to the
  registrations' addresses;
- prints registrations per second and the p50/p95/max latency, against the
  goal (at least 50 a second, p95 under 500 ms).

Then two doors check in the same 800 confirmed codes at the same time, each
through the API's check-in with its own connections, one in the codes' order
and the other in reverse: 800 check-ins must be recorded, none twice (the
sum of "first time" answers of both doors is 800).

Where the e-mails are made: as deployed, by default, when a broker is
configured (CELERY_BROKER_URL): by a Celery worker this command starts on the
throwaway database (its e-mails written to files too); the registrations are
measured, then the command waits for the worker to send every e-mail and
reports how long that took. Without a broker, or with ``--in-process``, in the
served process, each after its registration commits (the task runs eagerly
there), so each request's latency includes rendering and writing its e-mail.
The output names the mode that ran. Requires DATABASE_URL to be PostgreSQL
(``--allow-sqlite`` for a quick look on a file).

gunicorn runs 2 x cores + 1 sync workers by default (gunicorn's own advice): a
registration waits on PostgreSQL for part of its time (the lock on the event's
places is held for the count and the insert only), so a core has work while
another worker waits. The project is loaded once in gunicorn's master before
the workers fork (``--preload``), and the attempts leave once the Celery worker
answers a ping: what is measured is a portal already serving, not workers
still importing the project beside the first requests.
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from metropolis.measure.serving import (
    free_port,
    served_environment,
    start_gunicorn,
    stop_process_group,
    throwaway_database,
    wait_until_serving,
    wait_until_worker_answers,
    worker_arguments,
    worker_hostname,
)
from metropolis.measure.stats import percentile

PLACES = 800
ATTEMPTS = 2000
GOAL_PER_SECOND = 50.0
GOAL_P95_MS = 500.0
SLUG = "benchmark-congress"


def benchmark_application():
    """The WSGI application gunicorn serves during the benchmark (a factory:
    ``module:benchmark_application()``): the project's, with e-mails written to
    files in ``BENCHMARK_EMAIL_DIR``, tasks run in the process after commit,
    and the public registration throttle opened for a load test."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from django.urls import get_resolver

    application = get_wsgi_application()
    _configure_served_process()
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public-registration"] = "1000000/second"
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] = "1000000/second"
    if os.environ.get("BENCHMARK_EAGER") == "1":
        from metropolis.celery import app

        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
    # Loaded once in gunicorn's master (--preload), with what a worker would
    # otherwise load on its first request (the URLs, the cache's client
    # library): the measurement sees a portal already serving, as an event's
    # registration opens on one. No connection is left open to be forked.
    get_resolver().url_patterns  # noqa: B018 - imports every URLconf
    import redis  # noqa: F401

    connections.close_all()
    return application


def _configure_served_process() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["BENCHMARK_EMAIL_DIR"]


def run_worker() -> None:
    """The Celery worker of the benchmark (``python -c``): the project's, with
    its e-mails written to files in ``BENCHMARK_EMAIL_DIR``."""
    import django

    django.setup()
    _configure_served_process()
    from metropolis.celery import app

    app.worker_main(worker_arguments(os.environ["BENCHMARK_WORKER_HOSTNAME"]))


def _recipients(email_dir: str) -> list[str]:
    """The addressee of every message the file e-mail backend wrote."""
    recipients: list[str] = []
    for path in Path(email_dir).iterdir():
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                recipients.append(str(message_from_bytes(chunk.strip()).get("To", "")))
    return recipients


@dataclass
class Outcome:
    status: int
    seconds: float
    body: dict


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, port: int, token: str = ""):
        self.port, self.token = port, token
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, payload: dict) -> Outcome:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        body = json.dumps(payload)
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.connection.request("POST", path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (OSError, http.client.HTTPException):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        elapsed = time.perf_counter() - started
        try:
            parsed = json.loads(content) if content else {}
        except ValueError:
            parsed = {"raw": content[:200].decode(errors="replace")}
        return Outcome(response.status, elapsed, parsed)

    def close(self) -> None:
        self.connection.close()


class Command(BaseCommand):
    help = (
        "Benchmark event registration under load: 2,000 attempts for 800 places, then two doors checking in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--connections", type=int, default=16, help="Concurrent connections registering.")
        parser.add_argument("--door-connections", type=int, default=4, help="Connections per door.")
        parser.add_argument(
            "--workers",
            type=int,
            default=2 * (os.cpu_count() or 1) + 1,
            help="gunicorn worker processes (default: 2 x cores + 1).",
        )
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on an SQLite file instead of PostgreSQL."
        )
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--worker",
            action="store_true",
            help="Make the e-mails in a Celery worker (needs CELERY_BROKER_URL); the default with a broker.",
        )
        where.add_argument(
            "--in-process",
            action="store_true",
            help="Make the e-mails in the served process, after each registration commits; "
            "the default without a broker.",
        )

    def handle(
        self, *args, connections, door_connections, workers, allow_sqlite, worker, in_process, **options
    ):
        if worker and not settings.CELERY_BROKER_URL:
            raise CommandError(
                "--worker needs a broker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/15)."
            )
        # As deployed: with a broker, e-mails are made by workers.
        worker = worker or (bool(settings.CELERY_BROKER_URL) and not in_process)
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError(
                "The registration benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... "
                "(or pass --allow-sqlite for a quick look on an SQLite file)."
            )
        with (
            throwaway_database(self.stdout, served=True),
            tempfile.TemporaryDirectory(
                prefix="metropolis-registration-mail-", ignore_cleanup_errors=True
            ) as email_dir,
        ):
            ok = self._run(
                connections=connections,
                door_connections=door_connections,
                workers=workers,
                email_dir=email_dir,
                eager=not worker,
            )
        if not ok:
            raise CommandError("The registration benchmark found a fault (see above).")

    def _prepare(self) -> tuple[str, int]:
        import datetime

        from django.contrib.auth.models import Group
        from rest_framework.authtoken.models import Token

        from activities.models import ConsentText, Event, EventFormat, EventKind, RegistrationSettings
        from members.models import User
        from members.permissions import SECRETARIAT_GROUP

        start = datetime.date.today() + datetime.timedelta(days=30)
        event = Event.objects.create(
            slug=SLUG,
            title="Benchmark congress",
            title_en="Benchmark congress",
            kind=EventKind.WORLD_CONGRESS,
            format=EventFormat.IN_PERSON,
            year=start.year,
            start_date=start,
            end_date=start,
            city="Barcelona",
            country="ES",
            is_public=True,
            led_by_association=True,
        )
        RegistrationSettings.objects.create(event=event, capacity_in_person=PLACES, waiting_list=True)
        user = User.objects.create_user(email="door-benchmark@metropolis.example.org", is_staff=True)
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        consent = ConsentText.objects.order_by("-version").values_list("version", flat=True).first()
        if consent is None:
            raise CommandError("No consent text: the migrations did not run.")
        return Token.objects.create(user=user).key, consent

    def _run(
        self, *, connections: int, door_connections: int, workers: int, email_dir: str, eager: bool
    ) -> bool:
        out = self.stdout.write
        token, consent = self._prepare()
        port = free_port()
        hostname = worker_hostname("registration-benchmark")
        env = served_environment(
            BENCHMARK_EMAIL_DIR=email_dir,
            BENCHMARK_WORKER_HOSTNAME=hostname,
            BENCHMARK_EAGER="1" if eager else "0",
            # A line per task at INFO would be the served process's loudest work.
            LOG_LEVEL="WARNING",
        )
        worker = None
        if not eager:
            from metropolis.celery import app

            app.control.purge()
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", f"from {__name__} import run_worker; run_worker()"],
                cwd=Path(settings.BASE_DIR),
                env=env,
                start_new_session=True,
            )
        server = start_gunicorn(
            f"{__name__}:benchmark_application()",
            port=port,
            workers=workers,
            env=env,
            keep_alive=30,
            preload=True,
        )
        try:
            if worker is not None:
                wait_until_worker_answers(worker, hostname)
            wait_until_serving(server, port, f"/api/v1/public/events/{SLUG}/")
            where = (
                "in the served process (mode: in-process, after each registration commits)"
                if eager
                else "by a Celery worker, one process (mode: worker, as deployed)"
            )
            out(
                f"gunicorn: {workers} workers on 127.0.0.1:{port} (the project loaded once, before the "
                f"workers fork, and the worker answering); {connections} connections send "
                f"{ATTEMPTS} registration attempts for {PLACES} in-person places ({connection.vendor}); "
                f"e-mails made {where}"
            )
            ok = self._registrations(port, consent, connections, email_dir, eager)
            ok = self._doors(port, token, door_connections) and ok
            return ok
        finally:
            for process in (server, worker):
                if process is not None:
                    stop_process_group(process)

    def _registrations(self, port: int, consent: int, connections: int, email_dir: str, eager: bool) -> bool:
        from activities.models import Registration, RegistrationStatus

        out = self.stdout.write
        path = f"/api/v1/public/events/{SLUG}/registrations/"
        clients = threading.local()
        made: list[Client] = []
        lock = threading.Lock()
        barrier = threading.Barrier(connections)

        def client() -> Client:
            if not hasattr(clients, "client"):
                clients.client = Client(port)
                with lock:
                    made.append(clients.client)
                barrier.wait()  # every connection open before the first attempt leaves
            return clients.client

        def attempt(n: int) -> Outcome:
            return client().post(
                path,
                {
                    "name": f"Delegate {n}",
                    "email": f"delegate{n}@example.org",
                    "language": ("en", "es", "fr", "zh-hans")[n % 4],
                    "mode": "in_person",
                    "city_name": "Lyon",
                    "country": "FR",
                    "gender": ("woman", "man", "another", "undisclosed")[n % 4],
                    "consent_version": consent,
                    "join_waiting_list": True,
                },
            )

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=connections) as pool:
            outcomes = list(pool.map(attempt, range(ATTEMPTS)))
        elapsed = time.perf_counter() - started
        for c in made:
            c.close()

        latencies = [o.seconds for o in outcomes]
        statuses: dict[int, int] = {}
        for o in outcomes:
            statuses[o.status] = statuses.get(o.status, 0) + 1
        answered = {o.body.get("status") for o in outcomes if o.status == 201}
        per_second = ATTEMPTS / elapsed
        p50, p95 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.95) * 1000
        out(
            f"registrations: {per_second:.1f} per second, p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms ({ATTEMPTS} attempts in {elapsed:.1f} s; answers {statuses})"
        )
        rows = Registration.objects.filter(event__slug=SLUG)
        confirmed = rows.filter(status=RegistrationStatus.CONFIRMED).count()
        waiting = rows.filter(status=RegistrationStatus.WAITING).count()
        out(f"database: {confirmed} confirmed, {waiting} on the waiting list, {rows.count()} in all")

        if not eager:
            # The worker sends the e-mails as the queue drains.
            waited = time.perf_counter()
            deadline = waited + 600
            # Messages, not files: the file backend appends the messages sent in
            # the same second by the same connection object to one file.
            while len(_recipients(email_dir)) < ATTEMPTS and time.perf_counter() < deadline:
                time.sleep(0.5)
            time.sleep(1)
            out(
                f"e-mails: the worker sent the last one {time.perf_counter() - started:.1f} s after the first "
                f"attempt ({time.perf_counter() - waited:.1f} s after the last answer)"
            )
        recipients = _recipients(email_dir)
        registered = set(rows.values_list("email", flat=True))
        out(
            f"e-mails: {len(recipients)} sent to {len(set(recipients))} addresses "
            f"({'one per registration' if sorted(recipients) == sorted(registered) else 'NOT one per registration'})"
        )
        checks = {
            "every attempt answered 201": statuses == {201: ATTEMPTS},
            f"exactly {PLACES} confirmed": confirmed == PLACES,
            f"the other {ATTEMPTS - PLACES} on the waiting list": waiting == ATTEMPTS - PLACES,
            "answers agree with the database": answered <= {"confirmed", "waiting"},
            "one e-mail per registration": sorted(recipients) == sorted(registered)
            and len(recipients) == ATTEMPTS,
        }
        for label, passed in checks.items():
            out(f"  {'ok  ' if passed else 'FAIL'} {label}")
        goal = per_second >= GOAL_PER_SECOND and p95 < GOAL_P95_MS
        out(
            f"goal (>= {GOAL_PER_SECOND:.0f} registrations a second, p95 < {GOAL_P95_MS:.0f} ms): "
            f"{'goal met' if goal else 'GOAL NOT MET'}"
        )
        return all(checks.values())

    def _doors(self, port: int, token: str, door_connections: int) -> bool:
        from activities.models import Registration, RegistrationStatus

        out = self.stdout.write
        codes = list(
            Registration.objects.filter(event__slug=SLUG, status=RegistrationStatus.CONFIRMED)
            .order_by("pk")
            .values_list("code", flat=True)
        )
        doors = [codes, list(reversed(codes))]
        barrier = threading.Barrier(2 * door_connections)
        results: list[list[Outcome]] = [[] for _ in range(2 * door_connections)]

        def door_worker(index: int) -> None:
            door, share = divmod(index, door_connections)
            mine = doors[door][share::door_connections]
            client = Client(port, token)
            barrier.wait()
            for code in mine:
                results[index].append(
                    client.post("/api/v1/registrations/check-in/", {"event": SLUG, "code": code})
                )
            client.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=door_worker, args=(i,)) for i in range(2 * door_connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        outcomes = [o for door in results for o in door]
        firsts = sum(1 for o in outcomes if o.status == 200 and o.body.get("first_time") is True)
        again = sum(1 for o in outcomes if o.status == 200 and o.body.get("first_time") is False)
        errors = sum(1 for o in outcomes if o.status != 200)
        checked_in = Registration.objects.filter(event__slug=SLUG, checked_in_at__isnull=False).count()
        latencies = [o.seconds for o in outcomes]
        out(
            f"two doors, {door_connections} connections each, {len(outcomes)} scans of {len(codes)} codes in "
            f"{elapsed:.1f} s ({len(outcomes) / elapsed:.1f} scans a second, p95 "
            f"{percentile(latencies, 0.95) * 1000:.0f} ms): {firsts} check-ins, {again} 'already checked in', "
            f"{errors} errors; {checked_in} checked in in the database"
        )
        passed = firsts == len(codes) == checked_in == PLACES and again == len(codes) and errors == 0
        out(f"  {'ok  ' if passed else 'FAIL'} {PLACES} check-ins, none twice")
        return passed
