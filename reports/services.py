"""Writes of the reports app: asking for a report, and the texts a report prints
as written. Handing a run to the workers and recovering the runs an outage left
behind are in :mod:`reports.tasks`; the steps of a run's state are in
:mod:`reports.runs`."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActionPlan
from members.models import MemberCity, User
from members.selectors.membership import member_is_member_in

from .models import ACTIVE_STATUSES, KIND_PARAMETERS, ReportKind, ReportRun, ReportText, RunOrigin
from .tasks import render_report_send


class RunLimitReached(ValidationError):
    """The account asked for more new report runs in an hour than it may."""


def report_parameters(
    *, kind: str, year: int | None = None, plan_code: str = "", member: MemberCity | None = None
) -> dict:
    """The parameters of a ``kind`` of report, the others left empty, checked:
    an annual report needs a year, a three-year report an existing action plan,
    a scorecard a member city that was a member in the year. Refusals name the
    field (a :class:`ValidationError` with a dict)."""
    taken = KIND_PARAMETERS[kind]
    params = {
        "year": year if "year" in taken else None,
        "plan_code": plan_code if "plan_code" in taken else "",
        "member": member if "member" in taken else None,
    }
    errors = {}
    if "year" in taken and not year:
        errors["year"] = (
            _("Choose the year of the annual report.")
            if kind == ReportKind.ANNUAL
            else _("Choose the year of the scorecard.")
        )
    if "plan_code" in taken and not ActionPlan.objects.filter(code=plan_code).exists():
        errors["plan_code"] = _("Choose the action plan of the three-year report.")
    if "member" in taken and member is None:
        errors["member"] = _("Choose a member city.")
    # The scorecard is the member's row of the member profile tables, which exist
    # only for the years it was a member.
    if (
        not errors
        and member is not None
        and year is not None
        and "member" in taken
        and not member_is_member_in(member=member, year=year)
    ):
        errors["year"] = _("%(member)s was not a member in %(year)s.") % {"member": member.name, "year": year}
    if errors:
        raise ValidationError(errors)
    return params


def _params_key(
    *, kind: str, year: int | None, plan_code: str, member: MemberCity | None, language: str
) -> str:
    return f"{kind}:{year or ''}:{plan_code}:{member.pk if member else ''}:{language}"


def report_request(
    *,
    kind: str,
    language: str,
    by: User | None,
    origin: str = RunOrigin.PAGE,
    year: int | None = None,
    plan_code: str = "",
    member: MemberCity | None = None,
) -> ReportRun:
    """Ask for a report.

    From a page or the API: returns the run already queued or running for the
    same report, or creates one and sends it to the workers once it is
    committed. From the command line (``origin=RunOrigin.COMMAND``): creates a
    run the caller renders at once (``reports.pipeline.render_run``); no task
    is sent."""
    params = report_parameters(kind=kind, year=year, plan_code=plan_code, member=member)
    key = _params_key(kind=kind, language=language, **params)
    run = ReportRun(kind=kind, language=language, requested_by=by, origin=origin, params_key=key, **params)
    if origin == RunOrigin.COMMAND:
        run.full_clean(exclude=["params_key"])
        run.save()
        return run
    existing = ReportRun.objects.filter(params_key=key, status__in=ACTIVE_STATUSES).exclude(
        origin=RunOrigin.COMMAND
    )
    if (found := existing.first()) is not None:
        return found
    _check_the_hourly_limit(by)
    run.step = _("Waiting for a worker")
    run.full_clean(exclude=["params_key"])
    try:
        with transaction.atomic():
            run.save()
            transaction.on_commit(lambda: render_report_send(run_id=run.pk))
    except IntegrityError:
        # Another request for the same report won the race: return its run.
        return existing.get()
    run.refresh_from_db()
    return run


def _check_the_hourly_limit(by: User | None) -> None:
    if by is None:
        return
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = ReportRun.objects.filter(requested_by=by, created_at__gte=since).exclude(
        origin=RunOrigin.COMMAND
    )
    if recent.count() >= settings.REPORT_RUNS_PER_HOUR:
        first = recent.order_by("created_at").values_list("created_at", flat=True).first() or since
        minutes = max(1, round((first + datetime.timedelta(hours=1) - timezone.now()).total_seconds() / 60))
        raise RunLimitReached(
            _(
                "You have asked for %(count)s reports in the last hour, the most an account may: "
                "try again in %(minutes)s minutes."
            )
            % {"count": settings.REPORT_RUNS_PER_HOUR, "minutes": minutes},
            code="throttled",
        )


@transaction.atomic
def report_text_save(*, text: ReportText) -> ReportText:
    """Save a text a report prints as written (new or changed), validated: one
    text per year and key."""
    text.full_clean()
    text.save()
    return text
