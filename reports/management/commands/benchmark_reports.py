"""Benchmark of the annual report on a throwaway database: the 2021 dataset
(143 members), then the same data scaled to 1,430 and 5,005 members (benchmark
data, made in the throwaway database only and removed with it).

Measures, for the 2021 annual report in English, each render in a process of
its own (so that peak memory is the render's):
- CPU time per page of the whole run (pre-flight, frozen figures, data
  assembly, layout, file) at 143 and 1,430 members; with ``--baseline DIR`` (a
  checkout of an earlier version of the portal, e.g. a git worktree of main),
  the same for that version on the same database in the same run, alternating
  rounds, and the ratio (target: at most 0.75);
- WeasyPrint alone on the run's final HTML, and the floor: WeasyPrint on the
  same number of pages with trivial content and the same page rules, so that
  the cost of the report's own layout is visible (target: the whole run within
  1.10 of WeasyPrint alone);
- the queries of the data assembly at every size (target: the same);
- the peak memory of a render at 5,005 members (target: under 1 GB).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from metropolis.measure.serving import served_environment, throwaway_database
from metropolis.pdf import fewer_collections, render_document, static_file_url, write_document
from reports.builders import annual
from reports.models import ReportRun

# Run inside ``manage.py shell`` of the tree being measured (this one or the
# baseline): one report run, rendered as the workers do, timed in CPU seconds.
RENDER_ONE = """
import json, time
def peak_mb():
    # The peak resident size of this process's own image (VmHWM, kept from its
    # exec on). ru_maxrss would also count the benchmark's process at the fork
    # that started this one: with its own large renders behind it, it reported
    # that process's size, not the render's.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from reports.pipeline import render_run
try:
    from reports.models import RunOrigin
    from reports.services import report_request
    run = report_request(kind="annual", year={year}, language="{language}", by=None, origin=RunOrigin.COMMAND)
except ImportError:  # a version from before runs knew their origin
    from reports.services import report_request_now
    run = report_request_now(kind="annual", year={year}, language="{language}")
started, wall = time.process_time(), time.perf_counter()
run = render_run(run_id=run.pk)
print("RESULT " + json.dumps({{
    "cpu": time.process_time() - started,
    "wall": time.perf_counter() - wall,
    "pages": run.page_count,
    "status": run.status,
    "peak_mb": peak_mb(),
}}))
"""

# The floor: as many pages as the report, each with one line of text, laid out
# with the report's stylesheet (page size, margins, running headers).
FLOOR_PAGE = '<section class="chapter"><h1>{n}</h1><p>{n}</p></section>'


def _assemble(year: int, language: str = "en") -> tuple[str, int, float]:
    run = ReportRun(kind="annual", year=year, language=language)
    reset_queries()  # the query log keeps 9,000 queries: the dataset's load fills it
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, translation.override(language):
        warnings = annual.preflight(run)
        edition = annual.edition(run)
        context = annual.context(run, edition, warnings)
        context["stylesheet_url"] = static_file_url("reports/report.css")
        html = render_to_string(annual.template_name, context)
    return html, len(queries.captured_queries), time.perf_counter() - started


def _weasyprint_cpu(html: str) -> tuple[float, int]:
    started = time.process_time()
    with fewer_collections():
        document = render_document(html)
        write_document(document)
        pages = len(document.pages)
    return time.process_time() - started, pages


def _floor_html(pages: int) -> str:
    body = "".join(FLOOR_PAGE.format(n=n) for n in range(pages))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title>'
        f'<link rel="stylesheet" href="{static_file_url("reports/report.css")}"></head><body>{body}</body></html>'
    )


def _scale_members(first: int, last: int) -> None:
    """Add copies ``first`` to ``last - 1`` of every member of the dataset with
    its 2021 engagement rows (benchmark data: the throwaway database only), so
    that there are ``last`` times the dataset's members."""
    from activities.models import (
        ActiveMemberYear,
        LearningParticipation,
        MetropolitanIndicatorAnalysis,
        Participation,
        PlatformContribution,
        PublicationMention,
    )
    from members.models import Invoice, MemberCity, Payment

    originals = list(MemberCity.objects.exclude(slug__contains="-bench-"))
    for copy in range(first, last):
        clones = [
            MemberCity(
                name=f"{member.name} {copy}",
                name_en=f"{member.name_en} {copy}",
                name_zh_hans=f"{member.name_zh_hans or member.name_en} {copy}",
                slug=f"{member.slug}-bench-{copy}",
                country=member.country,
                region_id=member.region_id,
                kind=member.kind,
                status=member.status,
                ratified_on=member.ratified_on,
                fee_category=member.fee_category,
            )
            for member in originals
        ]
        MemberCity.objects.bulk_create(clones)
        by_slug = {m.slug: m for m in MemberCity.objects.filter(slug__in=[c.slug for c in clones])}
        mapping = {m.pk: by_slug[f"{m.slug}-bench-{copy}"].pk for m in originals}
        for model in (
            ActiveMemberYear,
            LearningParticipation,
            MetropolitanIndicatorAnalysis,
            PlatformContribution,
            PublicationMention,
            Participation,
        ):
            rows = []
            for row in model.objects.filter(member_id__in=mapping):
                row.pk = None
                row.member_id = mapping[row.member_id]
                rows.append(row)
            model.objects.bulk_create(rows)
        for invoice in Invoice.objects.filter(member_id__in=mapping, year=2021).prefetch_related("payments"):
            payments = list(invoice.payments.all())
            invoice.pk = None
            invoice.member_id = mapping[invoice.member_id]
            invoice.number = f"{invoice.number}-{copy}"
            invoice.save()
            Payment.objects.bulk_create(
                Payment(
                    invoice=invoice, paid_on=p.paid_on, amount=p.amount, currency=p.currency, method=p.method
                )
                for p in payments
            )


class Command(BaseCommand):
    help = (
        "Benchmark the annual report on a throwaway database (143, 1,430 and 5,005 members); "
        "--baseline DIR measures an earlier checkout beside this one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2021)
        parser.add_argument("--repeat", type=int, default=3, help="rounds of each measure (the best is kept)")
        parser.add_argument(
            "--baseline", default="", help="a checkout of the version to compare with (its manage.py is run)"
        )
        parser.add_argument(
            "--sizes", default="1,10,35", help="multiples of the 143 members to measure (default 1,10,35)"
        )

    def handle(self, *args, year: int, repeat: int, baseline: str, sizes: str, **options):
        if baseline and not (Path(baseline) / "manage.py").exists():
            raise CommandError(f"{baseline} is not a checkout of the portal (no manage.py).")
        factors = sorted({int(f) for f in sizes.split(",") if f.strip()})
        with throwaway_database(self.stdout):
            self._run(year, repeat, baseline, factors)

    def _render_in(self, tree: Path, year: int) -> dict:
        """One report run rendered by the portal in ``tree``, in a process of its own, on this database."""
        env = served_environment(keep_connections=False)
        code = RENDER_ONE.format(year=year, language="en")
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for line in done.stdout.splitlines():
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT ") :])
        raise CommandError(f"The render in {tree} failed: {done.stderr[-2000:]}")

    def _run(self, year: int, repeat: int, baseline: str, factors: list[int]) -> None:
        out = self.stdout.write
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark renders in processes of their own: it needs PostgreSQL.")
        here = Path(settings.BASE_DIR)
        started = time.perf_counter()
        call_command("load_metropolis_dataset", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        out(f"dataset loaded in {time.perf_counter() - started:.1f} s on {connection.vendor}")
        if baseline:
            # A baseline from before runs knew their origin writes runs without
            # that column: in this throwaway database, it takes the value such
            # runs had (made by a command).
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE reports_reportrun ALTER COLUMN origin SET DEFAULT 'command'")
        queries_first = None
        scaled = 1
        for factor in factors:
            if factor > scaled:
                _scale_members(scaled, factor)
                scaled = factor
            members = 143 * factor
            html, queries, seconds = _assemble(year)
            queries_first = queries_first or queries
            same = "same" if queries == queries_first else "DIFFERENT"
            out(f"\n{members:,} members: data assembly {queries} queries ({same}), {seconds:.2f} s")
            # Alternating rounds: this tree, then the baseline, `repeat` times.
            ours, theirs = [], []
            rounds = repeat if factor <= 10 else 1
            for _round in range(rounds):
                ours.append(self._render_in(here, year))
                if baseline and factor <= 10:
                    theirs.append(self._render_in(Path(baseline), year))
            best = min(ours, key=lambda r: r["cpu"])
            per_page = [r["cpu"] / r["pages"] for r in ours]
            out(
                f"  this version: {best['pages']} pages, CPU {best['cpu']:.2f} s, "
                f"{min(per_page):.3f} s a page (spread {min(per_page):.3f}–{max(per_page):.3f}, "
                f"{len(ours)} rounds), peak memory {max(r['peak_mb'] for r in ours):.0f} MB"
                + (" (target < 1024 MB)" if members >= 5000 else "")
            )
            if theirs:
                base_best = min(theirs, key=lambda r: r["cpu"])
                base_page = [r["cpu"] / r["pages"] for r in theirs]
                ratio = min(per_page) / min(base_page)
                out(
                    f"  baseline:     {base_best['pages']} pages, CPU {base_best['cpu']:.2f} s, "
                    f"{min(base_page):.3f} s a page (spread {min(base_page):.3f}–{max(base_page):.3f}), "
                    f"peak memory {max(r['peak_mb'] for r in theirs):.0f} MB"
                )
                out(f"  time per page, this version / baseline: {ratio:.2f} (target <= 0.75)")
            if factor <= 10:
                alone, pages = min(_weasyprint_cpu(html) for _ in range(min(repeat, 2)))
                floor, floor_pages = _weasyprint_cpu(_floor_html(pages))
                out(
                    f"  WeasyPrint alone on the same HTML: {alone:.2f} s ({pages} pages); whole run / alone "
                    f"{best['cpu'] / alone:.2f} (target <= 1.10)"
                )
                out(
                    f"  floor, {floor_pages} pages of trivial content: {floor:.2f} s; "
                    f"the report's own layout costs {alone - floor:.2f} s above it "
                    f"(median round {statistics.median(r['cpu'] for r in ours):.2f} s)"
                )
