"""Assembling the annual report's data runs the same number of queries whatever
the number of members (the benchmark measures 143 against 1,430)."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from reports.builders import annual
from reports.models import ReportRun
from tests.activities.factories import (
    ActiveMemberYearFactory,
    LearningParticipationFactory,
    ParticipationFactory,
    PlatformContributionFactory,
)
from tests.members.factories import HeadOfGovernmentFactory, InvoiceFactory, MemberCityFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def add_members(count: int) -> None:
    for member in MemberCityFactory.create_batch(count):
        HeadOfGovernmentFactory(member=member)
        PaymentFactory(invoice=InvoiceFactory(member=member))
        ActiveMemberYearFactory(member=member, year=2021)
        PlatformContributionFactory(member=member, year=2021, kind="news_item")
        LearningParticipationFactory(member=member, year=2021, times=2)
        ParticipationFactory(member=member, event__kind="board_meeting", event__year=2021)


def assemble() -> int:
    run = ReportRun(kind="annual", year=2021, language="en")
    with CaptureQueriesContext(connection) as context:
        warnings = annual.preflight(run)
        edition = annual.edition(run)
        page = render_to_string(
            annual.template_name, annual.context(run, edition, warnings) | {"stylesheet_url": ""}
        )
    assert "Member profile" in page
    return len(context.captured_queries)


def test_annual_report_assembly_runs_the_same_queries_for_10_and_60_members():
    add_members(10)
    small = assemble()
    add_members(50)
    assert assemble() == small
