"""The reports app's pages of the city portal: the city's engagement of a year
next to the previous year and the network, and its scorecard PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.selectors.engagement import engagement_comparison
from members.models import MemberCity
from members.portal.access import account, can, city_page
from members.selectors.membership import member_is_member_in
from members.selectors.reporting_year import reporting_year
from metropolis.refusals import refusal_text
from reports.downloads import cancel_and_say, run_file_response, run_status_response, say_if_unsent
from reports.models import ReportKind
from reports.selectors import scorecard_runs_for_user
from reports.services import report_request

from .forms import EngagementYearForm, ScorecardRequestForm


def _engagement_years(member: MemberCity, *, latest: int) -> list[int]:
    this_year = max(timezone.localdate().year, latest)
    first = member.ratified_on.year if member.ratified_on else this_year - 10
    return list(range(this_year, min(first, this_year) - 1, -1))


@city_page()
def engagement(request: HttpRequest, member: MemberCity) -> HttpResponse:
    # The page opens on the reporting year: the last year whose records are in.
    # (Asked for only when no year is chosen: it counts the records of each year.)
    default_year = reporting_year() if not request.GET.get("year") else timezone.localdate().year
    years = _engagement_years(member, latest=default_year)
    year_form = EngagementYearForm(request.GET or {"year": default_year}, years=years)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else default_year
    is_member = member_is_member_in(member=member, year=year)
    context = {
        "member": member,
        "year": year,
        "year_form": year_form,
        "is_member": is_member,
        # The scorecard's own comparison: one definition of the row, the previous
        # year and the network median, for the page and the PDF.
        "rows": engagement_comparison(member=member, year=year) if is_member else [],
        "scorecard_form": ScorecardRequestForm(initial={"year": year, "language": get_language()}),
        "runs": scorecard_runs_for_user(user=request.user).filter(year=year)[:5],
        "can_request": can(request, "reports.request_city_scorecard", member),
    }
    return render(request, "reports/portal/engagement.html", context)


@city_page(methods=("POST",), permission="reports.request_city_scorecard")
def scorecard_request(request: HttpRequest, member: MemberCity) -> HttpResponse:
    form = ScorecardRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the year and the language of the scorecard."))
        return redirect("portal:engagement")
    year = form.cleaned_data["year"]
    try:
        run = report_request(
            kind=ReportKind.SCORECARD,
            year=year,
            member=member,
            language=form.cleaned_data["language"],
            by=account(request),
        )
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(f"{reverse('portal:engagement')}?year={year}")
    say_if_unsent(request, run)
    return redirect("portal:scorecard-run", pk=run.pk)


@city_page()
def scorecard_run(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    context = {"member": member, "run": run, "can_cancel": request.user.has_perm("reports.cancel_run", run)}
    return render(request, "reports/portal/scorecard_run.html", context)


@city_page(methods=("GET", "POST"))
def scorecard_cancel(request: HttpRequest, member: MemberCity, pk: int) -> HttpResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    # The run's page holds the button; a GET (a link followed) goes back to it.
    if request.method == "POST":
        cancel_and_say(request, run)
    return redirect("portal:scorecard-run", pk=run.pk)


@city_page()
def scorecard_status(request: HttpRequest, member: MemberCity, pk: int) -> JsonResponse:
    run = get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk)
    return run_status_response(run, download_url=reverse("portal:scorecard-download", args=[run.pk]))


@city_page()
def scorecard_download(request: HttpRequest, member: MemberCity, pk: int) -> FileResponse:
    return run_file_response(get_object_or_404(scorecard_runs_for_user(user=request.user), pk=pk))
