"""Benchmark of the REST API under load, on a throwaway database.

Loads the 2021 dataset (143 members) into a throwaway database, serves the
project with gunicorn (2 workers) on a free port of 127.0.0.1, creates a
secretariat account with an API token, and loads each endpoint from this
process (wrk when it is installed, ``make bench`` installs it; otherwise a
Python load generator with threads), one after the other, for a fixed time:

- the member list: 143 members with region, current head of government and
  2021 fee status, one page (``/api/v1/members/?page_size=143&fee_year=2021``);
- one member's detail (``/api/v1/members/<id>/?fee_year=2021``);
- the same two as the baseline serves them (``/api/v1/baseline/members/...``):
  the same JSON from one hand-written SQL query and ``json.dumps``, behind the
  same authentication, permission and throttling.

Prints requests per second and p50/p95 latency of each, and whether the API
serves at least half the baseline's throughput. Requires DATABASE_URL to be
PostgreSQL (the figures of the issue); ``--allow-sqlite`` runs it on an SQLite
file for a quick look.

Connections to the database are kept between requests (``conn_max_age``), as a
deployment does, so that the figures compare the API's work with the
baseline's rather than the cost of connecting. The throttle runs on every
request, with a per-second limit high enough for a load test.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

ENDPOINTS = (
    ("member list (API)", "/api/v1/members/?page_size=143&fee_year=2021"),
    ("member list (baseline)", "/api/v1/baseline/members/?page_size=143&fee_year=2021"),
    ("member detail (API)", "/api/v1/members/{member}/?fee_year=2021"),
    ("member detail (baseline)", "/api/v1/baseline/members/{member}/?fee_year=2021"),
)

# Per account and second: a load test sends thousands of requests a minute from
# one token. The throttle still counts every request.
BENCHMARK_THROTTLE_RATE = "1000000/second"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration, errors,
    latency:percentile(50), latency:percentile(95)))
end
"""


def benchmark_application():
    """The WSGI application gunicorn serves during the benchmark (a factory:
    ``module:benchmark_application()``): the project's, with the per-second
    throttle rate above."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    # DRF's throttle reads this dict on every request.
    rates = cast(dict[str, str], settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates["user"] = BENCHMARK_THROTTLE_RATE
    return application


@dataclass
class Measure:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}?conn_max_age=600"


def _get(port: int, path: str, token: str) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _python_load(port: int, path: str, token: str, seconds: float, connections: int) -> Measure:
    """Keep-alive GETs from ``connections`` threads for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                client.request("GET", path, headers={"Authorization": f"Token {token}"})
                response = client.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                client.close()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        client.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Measure(
        requests=len(latencies),
        seconds=elapsed,
        errors=errors[0],
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p95_ms=_percentile(latencies, 0.95) * 1000,
    )


def _wrk_load(
    wrk: str, script: str, port: int, path: str, token: str, seconds: float, connections: int
) -> Measure:
    command = [
        wrk,
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{int(seconds)}s",
        "--timeout",
        "30s",
        "--header",
        f"Authorization: Token {token}",
        "--script",
        script,
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, micros, errors, p50, p95 = (int(value) for value in line.split()[1:])
    return Measure(
        requests=requests, seconds=micros / 1e6, errors=errors, p50_ms=p50 / 1000, p95_ms=p95 / 1000
    )


class Command(BaseCommand):
    help = (
        "Benchmark the API's member list and detail against a hand-written baseline, under load (gunicorn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=10.0, help="Seconds of load per endpoint.")
        parser.add_argument("--warmup", type=float, default=2.0, help="Seconds of load before each measure.")
        parser.add_argument("--connections", type=int, default=4, help="Concurrent connections.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on an SQLite file instead of PostgreSQL."
        )
        parser.add_argument(
            "--python-load",
            action="store_true",
            help="Use the Python load generator even if wrk is installed.",
        )

    def handle(self, *args, duration, warmup, connections, workers, allow_sqlite, python_load, **options):
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError(
                "The API benchmark runs on PostgreSQL: set DATABASE_URL=postgres://... "
                "(or pass --allow-sqlite for a quick look on an SQLite file)."
            )
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        scratch = None
        if connection.vendor == "sqlite":
            # gunicorn's workers open the throwaway database too: a file, not memory.
            scratch = tempfile.mkdtemp(prefix="metropolis-api-bench-")
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(scratch) / "bench.sqlite3")
        test_name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self._run(
                duration=duration,
                warmup=warmup,
                connections=connections,
                workers=workers,
                python_load=python_load,
            )
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
        self.stdout.write(f"(throwaway database {test_name} removed)")

    def _prepare(self) -> tuple[str, int]:
        from django.contrib.auth.models import Group
        from rest_framework.authtoken.models import Token

        from members.models import HeadOfGovernment, User
        from members.permissions import SECRETARIAT_GROUP

        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_metropolis_dataset", verbosity=0, stdout=quiet)
        self.stdout.write(f"dataset loaded in {time.perf_counter() - started:.1f} s on {connection.vendor}")
        user = User.objects.create_user(email="api-benchmark@metropolis.example.org", is_staff=True)
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        token = Token.objects.create(user=user).key
        # A member with a head of government in office, so that the detail carries every part.
        head = HeadOfGovernment.objects.filter(term_end__isnull=True).order_by("member_id").first()
        member_id = head.member_id if head else 1
        return token, member_id

    def _run(
        self, *, duration: float, warmup: float, connections: int, workers: int, python_load: bool
    ) -> None:
        out = self.stdout.write
        token, member_id = self._prepare()
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE),
        }
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                f"{__name__}:benchmark_application()",
            ],
            cwd=Path(settings.BASE_DIR),
            env=env,
            start_new_session=True,
        )
        wrk = None if python_load else shutil.which("wrk")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        try:
            self._wait_until_serving(server, port, token)
            paths = [(label, path.format(member=member_id)) for label, path in ENDPOINTS]
            self._check_same_json(port, token, paths)
            if wrk:
                generator = f"wrk ({wrk})"
            else:
                generator = "the Python load generator" + ("" if python_load else " (wrk is not installed)")
            out(
                f"gunicorn: {workers} workers on 127.0.0.1:{port}; load from {generator}: "
                f"{connections} connections, {duration:.0f} s per endpoint after {warmup:.0f} s of warm-up"
            )
            results = {}
            for label, path in paths:

                def load(seconds: float, path: str = path) -> Measure:
                    if wrk:
                        return _wrk_load(wrk, script.name, port, path, token, seconds, connections)
                    return _python_load(port, path, token, seconds, connections)

                if warmup:
                    load(warmup)
                measure = load(duration)
                results[label] = measure
                out(
                    f"{label:<26} {measure.per_second:9.1f} req/s   p50 {measure.p50_ms:7.2f} ms   "
                    f"p95 {measure.p95_ms:7.2f} ms   ({measure.requests} requests, {measure.errors} errors)  {path}"
                )
            for kind in ("member list", "member detail"):
                api, baseline = results[f"{kind} (API)"], results[f"{kind} (baseline)"]
                ratio = api.per_second / baseline.per_second if baseline.per_second else 0.0
                verdict = "goal met" if ratio >= 0.5 else "GOAL NOT MET"
                out(
                    f"{kind}: the API serves {ratio:.2f} of the baseline's throughput (goal >= 0.50): {verdict}"
                )
        finally:
            os.unlink(script.name)
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    def _wait_until_serving(self, server: subprocess.Popen, port: int, token: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped before serving (see its output above).")
            try:
                if _get(port, "/api/v1/regions/", token)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError("gunicorn did not answer within 60 s.")

    def _check_same_json(self, port: int, token: str, paths: list[tuple[str, str]]) -> None:
        """The baseline is only a yardstick if it returns what the API returns."""
        bodies = {}
        for label, path in paths:
            status, body = _get(port, path, token)
            if status != 200:
                raise CommandError(f"{path} answered {status}: {body[:300]!r}")
            bodies[label] = json.loads(body)
        for kind in ("member list", "member detail"):
            api, baseline = bodies[f"{kind} (API)"], bodies[f"{kind} (baseline)"]
            if kind == "member list":
                api, baseline = api["results"], baseline["results"]
            if api != baseline:
                raise CommandError(
                    f"The baseline's {kind} differs from the API's: the comparison would be void."
                )
        self.stdout.write("the baseline returns the same JSON as the API (checked)")
