"""The secretariat's home in the admin: the fees of the reporting year, the
members by status, the submissions waiting for review, the coming events, the
latest report runs and the data warnings of the coming annual report. Each
figure links to the admin list that holds its records, filtered. Every figure
is read through the selector that defines it; the page runs the same number of
queries whatever the number of records."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Event, Submission, SubmissionStatus
from members.models import Invoice, InvoiceStatus, MemberCity, MemberStatus
from members.selectors.fees import fee_summary
from metropolis.charts import bar_chart, share_bar
from reports.builders import annual
from reports.models import ReportKind, ReportRun
from reports.preflight import PreflightFailed

UPCOMING_EVENTS = 6
RECENT_RUNS = 6
PENDING_SHOWN = 6
WARNINGS_SHOWN = 8


def reporting_year(*, today: datetime.date | None = None) -> int:
    """The year the staff home opens on: the latest year, up to the calendar
    year, that has fee invoices; the calendar year when there is none. (The
    one place that decides it here, so that a reporting year set by the
    secretariat can take its place.)"""
    this_year = (today or timezone.localdate()).year
    latest = Invoice.objects.filter(year__lte=this_year).aggregate(latest=Max("year"))["latest"]
    return latest or this_year


def _admin_list(name: str, **filters: Any) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass
class Figure:
    label: str
    value: str
    url: str
    alert: bool = False


def _money(amount: Decimal, currency: str) -> str:
    return f"{number_format(amount, decimal_pos=2, force_grouping=True)} {currency}"


def _fees(year: int, today: datetime.date) -> list[dict[str, Any]]:
    blocks = []
    for row in fee_summary(year=year, today=today):
        currency = row["currency"]
        of_year = {"year": year, "currency": currency}
        figures = [
            Figure(
                _("Invoices issued"),
                f"{number_format(row['issued_count'], force_grouping=True)} · {_money(row['issued_amount'], currency)}",
                _admin_list("members_invoice", **of_year),
            ),
            Figure(
                _("Paid"),
                _money(row["paid_sum"], currency),
                _admin_list("members_invoice", **of_year, status=InvoiceStatus.PAID),
            ),
            Figure(
                _("Outstanding"),
                _money(row["outstanding_amount"], currency),
                _admin_list("members_invoice", **of_year, status=InvoiceStatus.ISSUED),
            ),
            Figure(
                _("Overdue"),
                f"{number_format(row['overdue_count'], force_grouping=True)} · {_money(row['overdue_amount'], currency)}",
                _admin_list("members_invoice", **of_year, status=InvoiceStatus.OVERDUE),
                alert=bool(row["overdue_count"]),
            ),
            Figure(
                _("Arrears, all years"),
                ngettext(
                    "%(amount)s owed by %(members)s member",
                    "%(amount)s owed by %(members)s members",
                    row["arrears_members"],
                )
                % {"amount": _money(row["arrears_amount"], currency), "members": row["arrears_members"]},
                _admin_list("members_invoice", currency=currency, status=InvoiceStatus.OVERDUE),
                alert=bool(row["arrears_amount"]),
            ),
        ]
        issued = row["issued_amount"] or Decimal("0")
        chart = None
        if issued:
            paid_share = round(100 * row["paid_sum"] / issued, 1)
            chart = mark_safe(  # noqa: S308 - the chart escapes its text
                share_bar(
                    [(_("Paid"), paid_share), (_("Not paid"), round(Decimal("100") - paid_share, 1))],
                    title=_("Share of the %(year)s fees paid") % {"year": year},
                    width=360,
                )
            )
        blocks.append({"currency": currency, "figures": figures, "chart": chart})
    return blocks


def _members_by_status() -> tuple[list[Figure], SafeString | None]:
    counts = dict(
        MemberCity.objects.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    figures = [
        Figure(
            str(label),
            number_format(counts.get(value, 0), force_grouping=True),
            _admin_list("members_membercity", status__exact=value),
        )
        for value, label in MemberStatus.choices
    ]
    if not any(counts.values()):
        return figures, None
    chart = bar_chart(
        [
            (f.label, counts.get(value, 0))
            for f, (value, _l) in zip(figures, MemberStatus.choices, strict=True)
        ],
        width=360,
    )
    return figures, mark_safe(chart)  # noqa: S308 - the chart escapes its text


def _annual_report_warnings(year: int) -> tuple[list[str], list[str]]:
    """What the annual report of ``year`` would say before rendering: its
    blocking problems and its warnings (the report's own pre-flight)."""
    try:
        return [], annual.preflight(ReportRun(kind=ReportKind.ANNUAL, year=year, language="en"))
    except PreflightFailed as failure:
        return [str(failure)], []


def staff_home(*, today: datetime.date | None = None, year: int | None = None) -> dict[str, Any]:
    """The context of the staff home for ``year`` (the reporting year by default)."""
    today = today or timezone.localdate()
    year = year or reporting_year(today=today)
    member_figures, member_chart = _members_by_status()
    pending = (
        Submission.objects.filter(status=SubmissionStatus.PENDING)
        .select_related("member")
        .order_by("submitted_at")
    )
    pending_list = list(pending[: PENDING_SHOWN + 1])
    errors, warnings = _annual_report_warnings(year)
    return {
        "year": year,
        "fees": _fees(year, today),
        "fees_url": _admin_list("members_invoice", year=year),
        "member_figures": member_figures,
        "member_chart": member_chart,
        "pending": pending_list[:PENDING_SHOWN],
        "pending_more": len(pending_list) > PENDING_SHOWN,
        "pending_url": _admin_list("activities_submission", status=SubmissionStatus.PENDING),
        "events": list(
            Event.objects.filter(start_date__gte=today).order_by("start_date", "pk")[:UPCOMING_EVENTS]
        ),
        "events_url": reverse("activities:calendar", args=[today.year]),
        "runs": list(ReportRun.objects.select_related("requested_by").order_by("-created_at")[:RECENT_RUNS]),
        "runs_url": _admin_list("reports_reportrun"),
        "report_errors": errors,
        "report_warnings": warnings[:WARNINGS_SHOWN],
        "report_warnings_more": max(len(warnings) - WARNINGS_SHOWN, 0),
        "reports_url": reverse("reports:list"),
    }
