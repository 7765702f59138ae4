"""Render a report synchronously and write it to a file (for scripts)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gender.models import Edition
from members.models import MemberCity
from reports.models import ReportKind, ReportRun, RunOrigin, RunStatus
from reports.pipeline import render_run
from reports.services import report_request


class Command(BaseCommand):
    help = (
        "Render a report now: `generate_report annual --year 2021 --lang zh-hans --output FILE`, "
        "`generate_report three-year --plan 2018-2020 --lang en --output FILE` or "
        "`generate_report scorecard --member SLUG --year 2021 --output FILE`. "
        "It prints the frozen edition it used; `--edition N` renders that edition again, "
        "byte for byte the same file while the records it lists are unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k.value for k in ReportKind])
        parser.add_argument("--year", type=int)
        parser.add_argument("--plan", default="")
        parser.add_argument("--member", default="", help="member slug, for a scorecard")
        parser.add_argument("--lang", default="en", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--edition", type=int, help="the number of a frozen edition to render again (annual report)"
        )

    def handle(self, *args, kind, year, plan, member, lang, output, edition=None, **options):
        frozen = None
        if edition is not None:
            frozen = Edition.objects.filter(pk=edition).first()
            if frozen is None:
                raise CommandError(f"There is no frozen edition {edition}.")
            if kind != ReportKind.ANNUAL:
                raise CommandError("Only the annual report is rendered from a frozen edition.")
            if year is not None and year != frozen.year:
                raise CommandError(f"Edition {edition} is the edition of {frozen.year}, not {year}.")
            year = frozen.year
        member_obj = None
        if member:
            member_obj = MemberCity.objects.filter(slug=member).first()
            if member_obj is None:
                raise CommandError(f"No member city with the slug {member!r}.")
        try:
            run = report_request(
                kind=kind,
                year=year,
                plan_code=plan,
                member=member_obj,
                language=lang,
                by=None,
                origin=RunOrigin.COMMAND,
            )
        except Exception as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        if frozen is not None:
            ReportRun.objects.filter(pk=run.pk).update(edition=frozen)
        run = render_run(run_id=run.pk) or run
        run.refresh_from_db()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"The report failed: {run.message}")
        Path(output).write_bytes(run.output.read())
        for warning in run.warnings:
            self.stderr.write(f"warning: {warning}")
        used = f", edition {run.edition_id}" if run.edition_id else ""
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {output}: {run.page_count} pages{used}, sha256 {run.checksum}")
        )
