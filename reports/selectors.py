"""Reads of the reports app: the report runs an account may follow and download."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from members.selectors.scoping import own_city_id
from reports.models import ReportKind, ReportRun, RunOrigin, RunStatus


def scorecard_runs_for_user(*, user: Any) -> QuerySet[ReportRun]:
    """The member scorecard runs of the account's own city (any requester);
    none for an account that is not a city account."""
    city_id = own_city_id(user)
    if city_id is None:
        return ReportRun.objects.none()
    return ReportRun.objects.filter(member_id=city_id, kind=ReportKind.SCORECARD).select_related(
        "member", "requested_by"
    )


def report_run_list_for_user(*, user: Any) -> QuerySet[ReportRun]:
    """Report runs: every run for the accounts that generate reports (the
    reports page's permission), the city's scorecard runs for a city account."""
    if user.has_perm("reports.generate_report"):
        return ReportRun.objects.select_related("member", "requested_by")
    return scorecard_runs_for_user(user=user)


def requested_runs(*, limit: int = 50) -> QuerySet[ReportRun]:
    """The latest runs requested from the portal or the API (the reports page's
    history); runs rendered at once by the command line are not listed."""
    return (
        ReportRun.objects.select_related("requested_by", "member")
        .exclude(origin=RunOrigin.COMMAND)
        .order_by("-created_at", "-pk")[:limit]
    )


# A queued run whose message was sent this long ago without a worker taking it
# is sent again: the broker may have lost it (Redis without persistence,
# restarted). A second message for a run taken in the meantime does nothing.
RESEND_QUEUED_AFTER = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class RunsToRecover:
    """Runs an outage left behind: never handed to the broker (or lost by it),
    and running runs whose worker stopped beating."""

    unsent: list[int]
    stale: list[int]


def runs_to_recover(*, now: datetime.datetime | None = None) -> RunsToRecover:
    now = now or timezone.now()
    asked = ReportRun.objects.exclude(origin=RunOrigin.COMMAND)
    unsent = asked.filter(status=RunStatus.QUEUED).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_QUEUED_AFTER)
    )
    stale_before = now - datetime.timedelta(seconds=settings.REPORT_RUN_STALE_SECONDS)
    stale = asked.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale_before)
    return RunsToRecover(
        unsent=list(unsent.order_by("pk").values_list("pk", flat=True)),
        stale=list(stale.order_by("pk").values_list("pk", flat=True)),
    )
