"""The figures of the calls and awards through the indicator registry: known
answers on a factory-built year, records that add up, no value (not zero) for
a year without a call of the kind, and the 2021 award held as published
figures that ``reconcile`` lists."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from activities.models import CallKind, CallPhase
from gender.models import IndicatorValue, ValueKind
from gender.selectors import indicator_compute
from tests.activities.call_factories import CallFactory, CallSubmissionFactory

pytestmark = pytest.mark.django_db

# The computed indicators these tests give a known answer for.
COVERED = {
    "award_submissions",
    "award_submission_cities",
    "award_submission_countries",
    "award_finalists",
    "award_winners",
    "award_library_cases",
    "pilot_call_submissions",
    "pilot_call_selected",
}


@pytest.fixture
def year_2023():
    award = CallFactory(kind=CallKind.AWARD, year=2023, phase=CallPhase.PUBLISHED)
    cities = [
        ("Copenhagen", "DK"),
        ("copenhagen ", "DK"),
        ("Aarhus", "DK"),
        ("Lagos", "NG"),
        ("Recife", "BR"),
    ]
    for n, (city, country) in enumerate(cities):
        CallSubmissionFactory(
            call=award,
            city_name=city,
            country=country,
            is_finalist=n < 3,
            is_winner=n == 0,
            library_consent=n != 4,
        )
    CallSubmissionFactory(call=award, status="draft", city_name="Oslo", country="NO")
    CallSubmissionFactory(
        call=award, eligibility="ineligible", screening_reason="Late", city_name="Lima", country="PE"
    )
    earlier = CallFactory(kind=CallKind.AWARD, year=2021, phase=CallPhase.PUBLISHED)
    CallSubmissionFactory(call=earlier)
    pilot = CallFactory(kind=CallKind.PILOT_PROJECTS, year=2023, phase=CallPhase.PUBLISHED)
    CallSubmissionFactory(call=pilot, is_finalist=True, is_winner=True)
    CallSubmissionFactory(call=pilot)


EXPECTED = {
    "award_submissions": 6,
    "award_submission_cities": 5,
    "award_submission_countries": 4,
    "award_finalists": 3,
    "award_winners": 1,
    # 2023: the four eligible submissions whose applicants agreed; 2021: one.
    "award_library_cases": 5,
    "pilot_call_submissions": 2,
    "pilot_call_selected": 1,
}


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_the_calls_figures_give_their_known_answer_and_list_their_records(year_2023, code, expected):
    result = indicator_compute(code=code, year=2023)

    assert result.value == expected
    assert sum(contribution for _record, contribution in result.contributions()) == Decimal(expected)


def test_the_shortlist_counts_once_announced_and_the_winners_once_published():
    call = CallFactory(kind=CallKind.AWARD, year=2024, phase=CallPhase.FINALISTS)
    CallSubmissionFactory(call=call, is_finalist=True, is_winner=True)

    assert indicator_compute(code="award_finalists", year=2024).value == 0
    call.phase = CallPhase.SESSIONS
    call.save()
    assert indicator_compute(code="award_finalists", year=2024).value == 1
    assert indicator_compute(code="award_winners", year=2024).value == 0


def test_a_year_without_a_call_of_the_kind_has_no_value():
    for code in EXPECTED:
        assert indicator_compute(code=code, year=2019).value is None


def test_the_2021_award_is_listed_by_reconcile_from_its_published_figures():
    for code, value in (("award_submissions", 273), ("award_submission_cities", 175), ("award_winners", 5)):
        IndicatorValue.objects.create(
            indicator_code=code,
            year=2021,
            kind=ValueKind.PUBLISHED,
            value=value,
            section="News report 2021-11-08",
        )
    out = io.StringIO()

    call_command("reconcile", "--year", "2021", stdout=out)

    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line.strip()}
    assert "273" in lines["award_submissions"] and "News report 2021-11-08" in lines["award_submissions"]
    assert "175" in lines["award_submission_cities"]
    assert "DIFFERS" not in lines["award_submissions"]
