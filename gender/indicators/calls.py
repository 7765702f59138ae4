"""Figures of the calls and awards: the submissions to the Guangzhou
International Award for Urban Innovation decided in a year, the cities and
countries they come from ("submissions from N cities in M countries"), its
finalists and winners, the cases of its library; and the proposals to the
call for pilot projects and the ones selected.

A figure of a year without a call of its kind on the portal has no value (not
zero): the year's published value is printed instead, and ``reconcile`` lists
both. (The 2021 award is known from its published figures only; no submission
of it is recorded.)"""

from django.utils.translation import gettext_lazy as _

from activities.models import CallKind
from activities.selectors.calls import (
    calls_of_year,
    finalists_announced_in,
    library_cases_until,
    published_calls_until,
    submitted_in,
    winners_published_in,
)
from gender.registry import IndicatorResult, counted, register

AWARD = CallKind.AWARD
PILOT = CallKind.PILOT_PROJECTS


def _count(records, *, kind: str, year: int) -> IndicatorResult:
    if not calls_of_year(kind=kind, year=year).exists():
        return IndicatorResult(value=None)
    return counted(records)


def _distinct(*, kind: str, year: int, key) -> IndicatorResult:
    """One submission per distinct ``key`` (a city, a country): the records
    behind a count of cities or countries."""
    if not calls_of_year(kind=kind, year=year).exists():
        return IndicatorResult(value=None)
    first: dict = {}
    for submission in submitted_in(kind=kind, year=year):
        first.setdefault(key(submission), submission)
    records = list(first.values())
    return IndicatorResult(value=len(records), records=records)


def _city(submission) -> tuple:
    return (submission.city_name.strip().casefold(), str(submission.country))


def _country(submission) -> str:
    return str(submission.country)


@register(
    "award_submissions",
    label=_("Submissions to the Guangzhou Award"),
    description=_(
        "Submissions to the Guangzhou International Award for Urban Innovation decided in the year."
    ),
)
def award_submissions(year: int) -> IndicatorResult:
    return _count(submitted_in(kind=AWARD, year=year), kind=AWARD, year=year)


@register(
    "award_submission_cities",
    label=_("Cities submitting to the Guangzhou Award"),
    description=_("Cities, members or not, that sent a submission to the year's Guangzhou Award."),
)
def award_submission_cities(year: int) -> IndicatorResult:
    return _distinct(kind=AWARD, year=year, key=_city)


@register(
    "award_submission_countries",
    label=_("Countries submitting to the Guangzhou Award"),
    description=_("Countries and territories the submissions to the year's Guangzhou Award come from."),
)
def award_submission_countries(year: int) -> IndicatorResult:
    return _distinct(kind=AWARD, year=year, key=_country)


@register(
    "award_finalists",
    label=_("Finalists of the Guangzhou Award"),
    description=_(
        "Submissions the jury shortlisted as finalists of the year's Guangzhou Award, once announced."
    ),
)
def award_finalists(year: int) -> IndicatorResult:
    return _count(finalists_announced_in(kind=AWARD, year=year), kind=AWARD, year=year)


@register(
    "award_winners",
    label=_("Winners of the Guangzhou Award"),
    description=_("Winners of the year's Guangzhou Award, once the results are published."),
)
def award_winners(year: int) -> IndicatorResult:
    return _count(winners_published_in(kind=AWARD, year=year), kind=AWARD, year=year)


@register(
    "award_library_cases",
    label=_("Cases in the Guangzhou Award's library"),
    description=_(
        "Submissions to the Guangzhou Award since its first edition whose applicants agreed to share them in "
        "the case library, as of the year."
    ),
)
def award_library_cases(year: int) -> IndicatorResult:
    if not published_calls_until(kind=AWARD, year=year).exists():
        return IndicatorResult(value=None)
    cases = library_cases_until(kind=AWARD, year=year)
    return IndicatorResult(value=cases.count(), records=cases)


@register(
    "pilot_call_submissions",
    label=_("Proposals to the call for pilot projects"),
    description=_("Proposals submitted to the year's call for pilot projects."),
)
def pilot_call_submissions(year: int) -> IndicatorResult:
    return _count(submitted_in(kind=PILOT, year=year), kind=PILOT, year=year)


@register(
    "pilot_call_selected",
    label=_("Proposals selected in the call for pilot projects"),
    description=_(
        "Proposals selected in the year's call for pilot projects, once the results are published."
    ),
)
def pilot_call_selected(year: int) -> IndicatorResult:
    return _count(winners_published_in(kind=PILOT, year=year), kind=PILOT, year=year)
