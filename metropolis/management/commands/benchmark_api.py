"""Benchmark of the pages that must cost the same at every size of the
network: the admin lists, the city's engagement page and the REST API, on a
throwaway database, in CPU time per request.

Loads the 2021 dataset (143 members) into a throwaway PostgreSQL database,
serves the project with gunicorn (2 workers) on a free port of 127.0.0.1, and
measures each page from this process over keep-alive connections. Then adds
benchmark members ("Benchmark city N", ``metropolis.bench.members``) up to
1,430 and 10,000 and measures again. Pages:

- the admin's region list (the admin's simplest list: the reference of the
  admin lists), the member list with all 143 members shown (``?all``; beyond
  200 members the admin shows a page of 100 instead) and its first page of
  100, the invoice, event and contact lists, as a superuser's session;
- the city portal's engagement page of 2021, as a focal point's session;
- the API's member list (143 a page) and one member's detail, each next to the
  baseline (``metropolis.bench.baseline``: the same JSON from one hand-written
  query), with a secretariat token.

The cost of a page is the CPU time the gunicorn workers and the PostgreSQL
backends spent while it was loaded (``utime + stime`` of ``/proc/<pid>/stat``),
divided by the number of requests: on a shared machine, CPU time is what the
page costs, where wall time also counts whoever else runs. Each page is
measured in several rounds, all the pages one after the other in each round,
so that a change in the machine's load falls on every page alike; the median
and the spread (lowest–highest) of the rounds are printed, then the goals:

- the member list (all 143 shown) at most 3x the region list's CPU;
- every page flat: its cost at the largest size at most 1.25x its cost at 143
  members (the member list compared on its first page of 100 rows);
- the API's list and detail at most 1.25x the baseline's CPU.

Connections to the database are kept between requests (``conn_max_age``), as a
deployment does. The throttle runs on every request, with a per-second limit
high enough for a load test. Requires DATABASE_URL to be PostgreSQL (the
backends' CPU is read from ``/proc``).
"""

import http.client
import json
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from metropolis.measure.serving import (
    free_port,
    get,
    served_environment,
    start_gunicorn,
    stop_process_group,
    throwaway_database,
    wait_until_serving,
)

# Per account and second: a load test sends thousands of requests a minute from
# one token. The throttle still counts every request.
BENCHMARK_THROTTLE_RATE = "1000000/second"
YEAR = 2021
GOAL_ADMIN_MEMBER_LIST = 3.0
GOAL_FLAT = 1.25
GOAL_API = 1.25

# (label, path, account, reference label): the reference is the page the
# ratio is taken against. {member} and {city} are filled in after loading.
PAGES = (
    ("admin region list", "/admin/members/region/", "staff", None),
    ("admin member list, all shown", "/admin/members/membercity/?all=", "staff", "admin region list"),
    ("admin member list, page 1", "/admin/members/membercity/", "staff", "admin region list"),
    ("admin invoice list", "/admin/members/invoice/", "staff", "admin region list"),
    ("admin event list", "/admin/activities/event/", "staff", "admin region list"),
    ("admin contact list", "/admin/members/contact/", "staff", "admin region list"),
    ("my-city engagement", f"/my-city/engagement/?year={YEAR}", "focal", None),
    ("API member list", f"/api/v1/members/?page_size=143&fee_year={YEAR}", "token", "baseline member list"),
    ("baseline member list", f"/api/v1/baseline/members/?page_size=143&fee_year={YEAR}", "token", None),
    ("API member detail", f"/api/v1/members/{{member}}/?fee_year={YEAR}", "token", "baseline member detail"),
    ("baseline member detail", f"/api/v1/baseline/members/{{member}}/?fee_year={YEAR}", "token", None),
)

# Each page is compared with itself at 143 members on this page (the member
# list shows 143 rows at 143 members and 100 beyond 200).
FLAT_AS = {"admin member list, all shown": "admin member list, page 1"}


def benchmark_application():
    """The WSGI application gunicorn serves during the benchmark (a factory:
    ``module:benchmark_application()``): the project's, with the baseline's
    URLs and the per-second throttle rate above."""
    from django.core.wsgi import get_wsgi_application

    # The baseline is served only by the benchmark's URLconf.
    settings.ROOT_URLCONF = "metropolis.bench.urls"
    application = get_wsgi_application()
    # DRF's throttle reads this dict on every request.
    rates = cast(dict[str, str], settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates["user"] = BENCHMARK_THROTTLE_RATE
    return application


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_ms(pid: int) -> float | None:
    """CPU time (user + system) of a process so far, in ms; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The fields after the command name (which may hold spaces), from field 3 on.
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / _TICK


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


@dataclass
class Measure:
    requests: int
    errors: int
    cpu_ms: float
    seconds: float
    latencies: list[float] = field(repr=False)

    @property
    def cpu_per_request(self) -> float:
        return self.cpu_ms / self.requests if self.requests else float("nan")

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")


class Command(BaseCommand):
    help = (
        "Benchmark the admin lists, the city's engagement page and the API against a hand-written "
        "baseline, in CPU time per request, at 143, 1,430 and 10,000 members (gunicorn)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="143,1430,10000", help="Numbers of members to measure at (comma-separated)."
        )
        parser.add_argument("--rounds", type=int, default=3, help="Rounds of every page at each size.")
        parser.add_argument("--seconds", type=float, default=2.0, help="Seconds of load per page and round.")
        parser.add_argument("--connections", type=int, default=2, help="Concurrent connections.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")

    def handle(self, *args, sizes, rounds, seconds, connections, workers, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "This benchmark runs on PostgreSQL (it reads the backends' CPU time): "
                "set DATABASE_URL=postgres://..."
            )
        try:
            counts = sorted({int(size) for size in sizes.split(",")})
        except ValueError:
            raise CommandError("--sizes takes numbers of members, such as 143,1430,10000.") from None
        with throwaway_database(self.stdout, served=True, own_name="bench_pages"):
            self._run(counts=counts, rounds=rounds, seconds=seconds, connections=connections, workers=workers)

    # --- Data and accounts -----------------------------------------------------------------------

    def _prepare(self) -> tuple[dict[str, dict[str, str]], int]:
        from django.contrib.auth.models import Group
        from django.test import Client
        from rest_framework.authtoken.models import Token

        from activities.models import ActiveMemberYear
        from members.models import HeadOfGovernment, User
        from members.permissions import CITY_VIEWER_GROUP, SECRETARIAT_GROUP

        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_metropolis_dataset", verbosity=0, stdout=quiet)
        self.stdout.write(f"dataset loaded in {time.perf_counter() - started:.1f} s on {connection.vendor}")
        api = User.objects.create_user(email="api@benchmark.invalid", is_staff=True)
        api.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        token = Token.objects.create(user=api).key
        staff = User.objects.create_user(email="staff@benchmark.invalid", is_staff=True, is_superuser=True)
        # The focal point of a city that was a member (and active) in the year.
        city_id = (
            ActiveMemberYear.objects.filter(year=YEAR)
            .order_by("member_id")
            .values_list("member_id", flat=True)
        ).first()
        focal = User.objects.create_user(email="focal@benchmark.invalid", member_city_id=city_id)
        focal.groups.add(Group.objects.get(name=CITY_VIEWER_GROUP))
        headers = {"token": {"Authorization": f"Token {token}"}}
        for name, user in (("staff", staff), ("focal", focal)):
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            headers[name] = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        # A member with a head of government in office, so that the detail carries every part.
        head = HeadOfGovernment.objects.filter(term_end__isnull=True).order_by("member_id").first()
        return headers, head.member_id if head else 1

    def _grow(self, total: int) -> None:
        from metropolis.bench.members import benchmark_members_add

        started = time.perf_counter()
        added = benchmark_members_add(total=total)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"\n{added} benchmark members added (now {total}) in {time.perf_counter() - started:.1f} s"
        )

    # --- Measuring -------------------------------------------------------------------------------

    def _backends(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def _load(
        self, port: int, path: str, headers: dict[str, str], seconds: float, connections: int
    ) -> Measure:
        """Keep-alive GETs from ``connections`` threads for ``seconds``, and the
        CPU the served processes (workers and database backends) spent meanwhile."""
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()

        def worker(deadline: float) -> None:
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine: list[float] = []
            failed = 0
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    client.request("GET", path, headers=headers)
                    response = client.getresponse()
                    response.read()
                    if response.status != 200:
                        failed += 1
                except (OSError, http.client.HTTPException):
                    failed += 1
                    client.close()
                    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    continue
                mine.append(time.perf_counter() - started)
            client.close()
            with lock:
                latencies.extend(mine)
                errors[0] += failed

        pids = [*self.workers, *self._backends()]
        before = {pid: _cpu_ms(pid) or 0.0 for pid in pids}
        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(started + seconds,)) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        spent = 0.0
        for pid in {*pids, *self._backends()}:
            now = _cpu_ms(pid)
            if now is not None:
                spent += now - before.get(pid, 0.0)
        return Measure(
            requests=len(latencies), errors=errors[0], cpu_ms=spent, seconds=elapsed, latencies=latencies
        )

    def _run(self, *, counts: list[int], rounds: int, seconds: float, connections: int, workers: int) -> None:
        from members.models import MemberCity

        out = self.stdout.write
        headers, member_id = self._prepare()
        port = free_port()
        server = start_gunicorn(
            f"{__name__}:benchmark_application()", port=port, workers=workers, env=served_environment()
        )
        pages = [(label, path.format(member=member_id), account, ref) for label, path, account, ref in PAGES]
        figures: dict[int, dict[str, list[float]]] = {}
        try:
            wait_until_serving(server, port, "/api/v1/regions/", headers["token"])
            time.sleep(1)  # every worker up
            self.workers = _children(server.pid)
            self._check_pages(port, headers, pages)
            self._check_same_json(port, headers["token"], pages)
            out(
                f"gunicorn: {len(self.workers)} workers on 127.0.0.1:{port}; load from this process: "
                f"{connections} connections, {seconds:.1f} s per page and round, {rounds} rounds; "
                "CPU = gunicorn workers + PostgreSQL backends, per request"
            )
            for total in counts:
                if total > MemberCity.objects.count():
                    self._grow(total)
                figures[total] = self._measure_size(port, headers, pages, rounds, seconds, connections)
            self._summary(figures, pages)
        finally:
            stop_process_group(server)

    def _measure_size(self, port, headers, pages, rounds, seconds, connections) -> dict[str, list[float]]:
        from members.models import MemberCity

        out = self.stdout.write
        members = MemberCity.objects.count()
        # Warm every page: compiled queries, the engagement figures' cache, the workers' imports.
        for _label, path, account, _ref in pages:
            self._load(port, path, headers[account], min(seconds, 1.0), connections)
        runs: dict[str, list[Measure]] = {label: [] for label, *_rest in pages}
        for _round in range(rounds):
            for label, path, account, _ref in pages:
                runs[label].append(self._load(port, path, headers[account], seconds, connections))
        out(f"\n{members:,} members: CPU ms per request, median of {rounds} rounds (lowest-highest)")
        out(f"{'page':<30} {'CPU ms/req':>10} {'spread':>15} {'ratio':>16} {'p50 ms':>8} {'requests':>9}")
        medians = {
            label: statistics.median(m.cpu_per_request for m in measures) for label, measures in runs.items()
        }
        for label, _path, _account, ref in pages:
            measures = runs[label]
            cpu = [m.cpu_per_request for m in measures]
            ratio = f"{medians[label] / medians[ref]:.2f}x {ref.split()[0]}" if ref else ""
            errors = sum(m.errors for m in measures)
            out(
                f"{label:<30} {medians[label]:10.1f} {f'{min(cpu):.1f}-{max(cpu):.1f}':>15} {ratio:>16} "
                f"{statistics.median(m.p50_ms for m in measures):8.1f} {sum(m.requests for m in measures):9}"
                + (f"  ({errors} ERRORS)" if errors else "")
            )
        return {label: [m.cpu_per_request for m in measures] for label, measures in runs.items()}

    def _summary(self, figures: dict[int, dict[str, list[float]]], pages) -> None:
        out = self.stdout.write
        sizes = sorted(figures)
        median = {size: {label: statistics.median(v) for label, v in figures[size].items()} for size in sizes}
        out("\nCPU ms per request, median (lowest-highest), by number of members")
        out(f"{'page':<30} " + " ".join(f"{size:>20,}" for size in sizes))
        for label, *_rest in pages:
            cells = []
            for size in sizes:
                values = figures[size][label]
                cells.append(f"{median[size][label]:.1f} ({min(values):.1f}-{max(values):.1f})".rjust(20))
            out(f"{label:<30} " + " ".join(cells))
        out("\nGoals")
        first, last = sizes[0], sizes[-1]
        verdicts = []
        for size in sizes:
            ratio = median[size]["admin member list, all shown"] / median[size]["admin region list"]
            verdicts.append(
                (f"admin member list ({'all' if size <= 200 else 'page of 100'}) at {size:,}: "
                 f"{ratio:.2f}x the region list (goal <= {GOAL_ADMIN_MEMBER_LIST})", ratio <= GOAL_ADMIN_MEMBER_LIST)
            )  # fmt: skip
            for kind in ("member list", "member detail"):
                ratio = median[size][f"API {kind}"] / median[size][f"baseline {kind}"]
                verdicts.append(
                    (
                        f"API {kind} at {size:,}: {ratio:.2f}x the baseline (goal <= {GOAL_API})",
                        ratio <= GOAL_API,
                    )
                )
        if last != first:
            for label, *_rest in pages:
                if label in FLAT_AS:
                    continue
                ratio = median[last][label] / median[first][label]
                verdicts.append(
                    (f"{label}: {ratio:.2f}x from {first:,} to {last:,} members (goal <= {GOAL_FLAT})", ratio <= GOAL_FLAT)
                )  # fmt: skip
        for text, met in verdicts:
            out(f"{text}: {'goal met' if met else 'GOAL NOT MET'}")

    # --- Checks before measuring -----------------------------------------------------------------

    def _check_pages(self, port: int, headers, pages) -> None:
        """Every page answers 200 to its account (a redirect to the sign-in page would be cheap)."""
        for label, path, account, _ref in pages:
            status, body = get(port, path, headers[account])
            if status != 200:
                raise CommandError(f"{label}: {path} answered {status}: {body[:300]!r}")

    def _check_same_json(self, port: int, headers: dict[str, str], pages) -> None:
        """The baseline is only a yardstick if it returns what the API returns."""
        paths = {label: path for label, path, _account, _ref in pages}
        for kind in ("member list", "member detail"):
            api = json.loads(get(port, paths[f"API {kind}"], headers)[1])
            baseline = json.loads(get(port, paths[f"baseline {kind}"], headers)[1])
            if kind == "member list":
                api, baseline = api["results"], baseline["results"]
            if api != baseline:
                raise CommandError(
                    f"The baseline's {kind} differs from the API's: the comparison would be void."
                )
        self.stdout.write("the baseline returns the same JSON as the API (checked)")
