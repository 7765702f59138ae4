"""Benchmark of the annual report on a throwaway database: the 2021 dataset
(143 members), then the same data scaled to 1,430 members.

Measures, for the 2021 annual report in English:
- the whole run (pre-flight, frozen figures, data assembly, layout, file) against
  WeasyPrint alone rendering the same final HTML (target: at most 1.25x);
- the queries of the data assembly at 143 and 1,430 members (target: the same);
- the peak memory of the process at 1,430 members (target: under 1 GB).
"""

import resource
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reports.builders import annual
from reports.models import ReportRun
from reports.pipeline import render_run
from reports.rendering import render_pdf, static_file_url
from reports.services import report_request_now


def _assemble(year: int) -> tuple[str, int, float]:
    run = ReportRun(kind="annual", year=year, language="en")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        warnings = annual.preflight(run)
        edition = annual.edition(run)
        context = annual.context(run, edition, warnings)
        context["stylesheet_url"] = static_file_url("reports/report.css")
        html = render_to_string(annual.template_name, context)
    return html, len(queries.captured_queries), time.perf_counter() - started


def _scale_members(factor: int) -> None:
    """Add ``factor - 1`` copies of every member with its 2021 engagement rows."""
    from activities.models import (
        ActiveMemberYear,
        LearningParticipation,
        MetropolitanIndicatorAnalysis,
        Participation,
        PlatformContribution,
        PublicationMention,
    )
    from members.models import Invoice, MemberCity, Payment

    originals = list(MemberCity.objects.all())
    for copy in range(1, factor):
        clones = []
        for member in originals:
            clone = MemberCity(
                name=f"{member.name} {copy}",
                name_en=f"{member.name_en} {copy}",
                name_zh_hans=f"{member.name_zh_hans or member.name_en} {copy}",
                slug=f"{member.slug}-{copy}",
                country=member.country,
                region_id=member.region_id,
                kind=member.kind,
                status=member.status,
                ratified_on=member.ratified_on,
                fee_category=member.fee_category,
            )
            clones.append(clone)
        MemberCity.objects.bulk_create(clones)
        by_slug = {m.slug: m for m in MemberCity.objects.filter(slug__in=[c.slug for c in clones])}
        mapping = {m.pk: by_slug[f"{m.slug}-{copy}"].pk for m in originals}
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
        invoices = []
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
            invoices.append(invoice)


class Command(BaseCommand):
    help = "Benchmark the annual report on a throwaway database (143 and 1,430 members)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2021)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, year: int, repeat: int, **options):
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        test_name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self._run(year, repeat)
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
        self.stdout.write(f"(throwaway database {test_name} removed)")

    def _run(self, year: int, repeat: int) -> None:
        out = self.stdout.write
        started = time.perf_counter()
        call_command("load_metropolis_dataset", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        out(f"dataset loaded in {time.perf_counter() - started:.1f} s on {connection.vendor}")

        totals, alone = [], []
        for _ in range(repeat):
            run = report_request_now(kind="annual", year=year, language="en")
            started = time.perf_counter()
            render_run(run_id=run.pk)
            totals.append(time.perf_counter() - started)
            html, _queries, _seconds = _assemble(year)
            started = time.perf_counter()
            with translation.override("en"):
                render_pdf(html)
            alone.append(time.perf_counter() - started)
        html, queries_143, assembly_143 = _assemble(year)
        total, weasy = min(totals), min(alone)
        out(
            f"annual report {year}, 143 members: whole run {total:.2f} s, WeasyPrint alone {weasy:.2f} s, "
            f"ratio {total / weasy:.2f} (target <= 1.25)"
        )
        out(f"data assembly at 143 members: {queries_143} queries, {assembly_143:.2f} s")

        _scale_members(10)
        html, queries_1430, assembly_1430 = _assemble(year)
        out(
            f"data assembly at 1,430 members: {queries_1430} queries, {assembly_1430:.2f} s "
            f"({'same' if queries_1430 == queries_143 else 'DIFFERENT'} query count)"
        )
        run = report_request_now(kind="annual", year=year, language="en")
        started = time.perf_counter()
        render_run(run_id=run.pk)
        run.refresh_from_db()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out(
            f"annual report at 1,430 members: {run.page_count} pages in {time.perf_counter() - started:.1f} s; "
            f"peak memory of the process {peak_mb:.0f} MB (target < 1024 MB)"
        )
