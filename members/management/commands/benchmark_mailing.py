"""Benchmark of a mailing to 5,000 recipients, on a throwaway database.

Makes a throwaway database (as the test runner does), fills it with
BENCHMARK DATA ONLY (never the demo data): 250 member cities named "Benchmark
city NNN" with 20 contacts each at addresses under ``benchmark.invalid``, in
the four languages. Then:

- sends the mailing the way the secretariat does, by posting the admin's send
  page, and times that request: it only queues the mailing (the target is
  that a web request never waits for the sending), next to the same request
  for a 20-recipient mailing;
- starts a real Celery worker subprocess on the broker (``CELERY_BROKER_URL``)
  and the throwaway database, with the locmem e-mail backend (the test
  settings) and no rate limit, and measures the messages per second from the
  first to the last message sent, and the worker's peak memory (the largest
  maximum resident set size of its processes, from the operating system);
- checks that every recipient was sent exactly once.

Run with the test settings, on PostgreSQL, with a broker::

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \\
        python manage.py benchmark_mailing --settings=metropolis.settings.test
"""

import resource
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max, Min
from django.test import Client
from django.urls import reverse

from metropolis.measure.serving import start_celery_worker, stop_process_group, throwaway_database

BENCHMARK_MARK = "Benchmark"  # in every name the benchmark makes
LANGUAGES = ("en", "es", "fr", "zh-hans")


def _peak_rss_kib(pids: set[int]) -> int:
    """The largest peak resident set size (VmHWM) among ``pids`` still running."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak


def _process_tree(root: int) -> set[int]:
    """``root`` and its descendants (the worker and its pool processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(children.get(pid, []))
    return tree


class Command(BaseCommand):
    help = "Benchmark a mailing to 5,000 recipients (throwaway database, real Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=250)
        parser.add_argument("--contacts-per-member", type=int, default=20)
        parser.add_argument("--batch-size", type=int, default=settings.MAILING_BATCH_SIZE)
        parser.add_argument("--timeout", type=float, default=600.0, help="Seconds to wait for the sending.")
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on an SQLite file instead of PostgreSQL."
        )

    def handle(self, *args, members, contacts_per_member, batch_size, timeout, allow_sqlite, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "The mailing benchmark runs a real worker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/15)."
            )
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError("The mailing benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        with throwaway_database(self.stdout, served=True):
            self._run(members, contacts_per_member, batch_size, timeout)

    # --- Benchmark data --------------------------------------------------------------------------

    def _make_data(self, members: int, contacts_per_member: int) -> int:
        from members.models import Contact, MemberCity, MemberStatus, Region

        region = Region.objects.order_by("position").first()
        cities = MemberCity.objects.bulk_create(
            MemberCity(
                name=f"{BENCHMARK_MARK} city {n:03d}",
                name_en=f"{BENCHMARK_MARK} city {n:03d}",
                slug=f"benchmark-city-{n:03d}",
                country="ES",
                region=region,
                status=MemberStatus.ACTIVE,
            )
            for n in range(members)
        )
        Contact.objects.bulk_create(
            Contact(
                member=city,
                name=f"{BENCHMARK_MARK} contact {i * contacts_per_member + j:05d}",
                email=f"contact-{i * contacts_per_member + j:05d}@benchmark.invalid",
                preferred_language=LANGUAGES[(i * contacts_per_member + j) % len(LANGUAGES)],
                is_primary=j == 0,
            )
            for i, city in enumerate(cities)
            for j in range(contacts_per_member)
        )
        return Contact.objects.count()

    def _mailing(self, subject: str, segment: str, value: str = ""):
        from members.models import Mailing, MailingKind

        return Mailing.objects.create(
            kind=MailingKind.NEWS,
            segment=segment,
            segment_value=value,
            subject_en=f"{BENCHMARK_MARK}: {subject}",
            body_en="Dear colleagues,\n\nThis is benchmark data.\n",
            subject_es=f"{BENCHMARK_MARK}: {subject} (es)",
            body_es="Estimados colegas:\n\nEstos son datos de prueba.\n",
            subject_fr=f"{BENCHMARK_MARK}: {subject} (fr)",
            body_fr="Chers collègues,\n\nCe sont des données de test.\n",
            subject_zh_hans=f"{BENCHMARK_MARK}: {subject} (zh)",
            body_zh_hans="亲爱的同事们：\n\n这是基准测试数据。\n",
        )

    def _post_send(self, client: Client, mailing_id: int) -> float:
        started = time.perf_counter()
        response = client.post(reverse("admin:members_mailing_send", args=[mailing_id]), {"when": "now"})
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            raise CommandError(f"The send page answered {response.status_code}.")
        return elapsed

    # --- The run -------------------------------------------------------------------------------

    def _run(self, members: int, contacts_per_member: int, batch_size: int, timeout: float) -> None:
        from django.contrib.auth.models import Group

        from members.models import Mailing, MailingRecipient, MailingStatus, RecipientStatus, User
        from members.permissions import SECRETARIAT_GROUP
        from members.selectors.segments import ACTIVE_MEMBERS, REGION
        from metropolis.celery import app

        out = self.stdout.write
        started = time.perf_counter()
        contacts = self._make_data(members, contacts_per_member)
        out(
            f"benchmark data: {members} member cities, {contacts} contacts (names start with "
            f"'{BENCHMARK_MARK}', addresses @benchmark.invalid) in {time.perf_counter() - started:.1f} s "
            f"on {connection.vendor}"
        )
        staff = User.objects.create_user(email="mailing-benchmark@benchmark.invalid", is_staff=True)
        staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))

        # The web requests: queued, not sent (no worker runs yet, the broker holds the task).
        app.conf.task_always_eager = False
        app.control.purge()
        client = Client(SERVER_NAME="localhost")
        client.force_login(staff)
        big = self._mailing("5,000 recipients", ACTIVE_MEMBERS)
        # A small one for comparison: a region holding one member city.
        small_city_region = self._small_region()
        small = self._mailing("one city", REGION, small_city_region)
        # A first request warms the process up (URLs, templates), as a running site is.
        client.get(reverse("admin:members_mailing_changelist"))
        request_small = self._post_send(client, small.pk)
        request_big = self._post_send(client, big.pk)
        Mailing.objects.filter(pk=small.pk).update(status=MailingStatus.CANCELLED)
        big.refresh_from_db()
        out(
            f"web request (admin 'send now'): {request_big * 1000:.0f} ms for {contacts} recipients, "
            f"{request_small * 1000:.0f} ms for {contacts_per_member}; the mailing is '{big.status}' when the "
            f"request returns (nothing sent in the request)"
        )

        worker, pids = self._start_worker(batch_size)
        peak = 0
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                pids |= _process_tree(worker.pid)
                peak = max(peak, _peak_rss_kib(pids))
                status = Mailing.objects.filter(pk=big.pk).values_list("status", flat=True).get()
                if status == MailingStatus.SENT:
                    break
                if worker.poll() is not None:
                    raise CommandError("The worker stopped before the mailing was sent.")
                time.sleep(0.2)
            else:
                raise CommandError(f"The mailing was not sent within {timeout:.0f} s.")
            pids |= _process_tree(worker.pid)
            peak = max(peak, _peak_rss_kib(pids))
        finally:
            stop_process_group(worker)
        # The operating system's word on the whole tree, once it has ended.
        children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

        big.refresh_from_db()
        rows = MailingRecipient.objects.filter(mailing=big)
        counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        span = rows.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        # From the moment the worker took the mailing (its recipients included) to its last message.
        sending = (big.finished_at - big.started_at).total_seconds()
        sent = counts.get(RecipientStatus.SENT, 0)
        per_second = sent / sending if sending else 0.0
        duplicates = rows.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
        out(
            f"worker: {sent} sent, {counts.get(RecipientStatus.FAILED, 0)} failed, "
            f"{duplicates} address(es) twice; batches of {batch_size}, no rate limit"
        )
        out(
            f"sending: {sending:.1f} s from the worker taking it to the last message ({per_second:.0f} messages/s through "
            f"the locmem backend, recipients taken from the segment included); sent_at spans "
            f"{(span['last'] - span['first']).total_seconds():.1f} s"
        )
        out(
            f"worker peak memory: {max(peak, children_peak) / 1024:.0f} MiB "
            f"(largest VmHWM of the worker's processes while it ran: {peak / 1024:.0f} MiB; "
            f"ru_maxrss of the ended worker tree: {children_peak / 1024:.0f} MiB)"
        )
        rate = settings.MAILING_MESSAGES_PER_SECOND
        if rate:
            out(
                f"at the configured limit of {rate:g} messages/s (MAILING_MESSAGES_PER_SECOND) the same "
                f"mailing takes about {sent / rate / 60:.0f} min, in the background"
            )
        if sent != contacts or duplicates:
            raise CommandError("Not every recipient was sent exactly once.")

    def _small_region(self) -> str:
        """A region with exactly one benchmark city (its 20 contacts)."""
        from members.models import MemberCity, Region

        small = Region.objects.order_by("-position").first()
        city = MemberCity.objects.filter(slug__startswith="benchmark-city-").order_by("slug").last()
        if small is None or city is None:
            raise CommandError("The throwaway database has no region or no benchmark city.")
        city.region = small
        city.save(update_fields=["region"])
        return small.code

    def _start_worker(self, batch_size: int) -> tuple[subprocess.Popen, set[int]]:
        worker = start_celery_worker(
            "mailing-bench",
            env={"MAILING_MESSAGES_PER_SECOND": "0", "MAILING_BATCH_SIZE": str(batch_size)},
            # Its banner would mix with the figures; warnings still go to stderr.
            quiet=True,
        )
        return worker, {worker.pid}
