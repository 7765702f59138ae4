"""The annual report prints the year's award and call figures only where a
record or a published value gives them: the 2021 award from its published
figures, a year's pilot call from its records."""

import pytest
from django.template.loader import render_to_string

from activities.models import CallKind, CallPhase
from gender.models import IndicatorValue, ValueKind
from reports.builders import annual
from reports.models import ReportRun
from tests.activities.call_factories import CallFactory, CallSubmissionFactory
from tests.members.factories import MemberCityFactory

pytestmark = pytest.mark.django_db

PUBLISHED_2021 = {
    "award_submissions": 273,
    "award_submission_cities": 175,
    "award_submission_countries": 60,
    "award_finalists": 15,
    "award_winners": 5,
    "award_library_cases": 1300,
}


def _page(year: int) -> str:
    run = ReportRun(kind="annual", year=year, language="en")
    warnings = annual.preflight(run)
    context = annual.context(run, annual.edition(run), warnings) | {"stylesheet_url": ""}
    return " ".join(render_to_string(annual.template_name, context).split())


def test_the_award_of_2021_is_printed_from_its_published_figures():
    MemberCityFactory()
    for code, value in PUBLISHED_2021.items():
        IndicatorValue.objects.create(
            indicator_code=code, year=2021, kind=ValueKind.PUBLISHED, value=value, section="News report"
        )

    page = _page(2021)

    assert "Guangzhou International Award for Urban Innovation" in page
    assert "273 submissions from 175 cities in 60 countries." in page
    assert "Finalists chosen by the international jury: 15; winners: 5." in page
    assert "Cases of urban innovation in the award's library: 1,300." in page
    assert "Proposals received by the call for pilot projects" not in page


def test_a_year_without_figures_prints_no_section_and_a_pilot_call_prints_from_its_records():
    MemberCityFactory()
    assert "Guangzhou International Award for Urban Innovation" not in _page(2021)

    call = CallFactory(kind=CallKind.PILOT_PROJECTS, year=2021, phase=CallPhase.PUBLISHED)
    CallSubmissionFactory(call=call, is_finalist=True, is_winner=True)
    CallSubmissionFactory.create_batch(2, call=call)

    assert "Proposals received by the call for pilot projects: 3; selected: 1." in _page(2021)
