"""Every list endpoint runs the same number of queries for 10 rows as for 500
(one page of 500): an N+1 in a serializer fails here."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import (
    ActionLine,
    ActionPlan,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    LearningParticipation,
    Participation,
    PilotProject,
    PilotProjectMember,
    PlanMeasure,
    PlatformContribution,
    Publication,
)
from members.models import Contact, HeadOfGovernment, Invoice, MemberCity, Payment, Region
from reports.models import ReportRun
from tests.activities.factories import ActionLineFactory, sdg_goal
from tests.api.factories import token_client
from tests.members.factories import MemberCityFactory, SecretariatFactory, bulk_invoices_2021, region

pytestmark = pytest.mark.django_db


class Rows:
    """Builds rows of one kind in bulk, numbering them on from the last call."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, count: int) -> None:
        start, self.made = self.made, self.made + count
        self.build(range(start, self.made))

    def build(self, numbers: range) -> None:
        raise NotImplementedError


def _members(numbers: range, *, ratified_on: datetime.date | None = None) -> list[MemberCity]:
    europe = region()
    members = MemberCity.objects.bulk_create(
        MemberCity(
            name=f"City {n}",
            name_en=f"City {n}",
            slug=f"city-{n}",
            country="ES",
            region=europe,
            status="active",
            ratified_on=ratified_on,
        )
        for n in numbers
    )
    return list(MemberCity.objects.filter(slug__in=[member.slug for member in members]))


class MemberRows(Rows):
    def build(self, numbers):
        members = _members(numbers)
        bulk_invoices_2021(members)
        HeadOfGovernment.objects.bulk_create(
            HeadOfGovernment(
                member=member,
                name=f"Mayor of {member.name}",
                title="Mayor",
                gender="woman",
                term_start=datetime.date(2019, 1, 1),
            )
            for member in members
        )


class RegionRows(Rows):
    def build(self, numbers):
        Region.objects.bulk_create(
            Region(code=f"region-{n}", name=f"Region {n}", name_en=f"Region {n}") for n in numbers
        )


class OneCityRows(Rows):
    """Rows that belong to one member city."""

    def __init__(self) -> None:
        super().__init__()
        self.member = MemberCityFactory()


class HeadRows(OneCityRows):
    def build(self, numbers):
        HeadOfGovernment.objects.bulk_create(
            HeadOfGovernment(
                member=self.member,
                name=f"Mayor {n}",
                title="Mayor",
                gender="man",
                term_start=datetime.date(1900, 1, 1) + datetime.timedelta(days=n),
                term_end=datetime.date(1900, 1, 1) + datetime.timedelta(days=n),
            )
            for n in numbers
        )


class ContactRows(OneCityRows):
    def build(self, numbers):
        Contact.objects.bulk_create(
            Contact(member=self.member, name=f"Contact {n}", email=f"c{n}@city.example.org") for n in numbers
        )


class InvoiceRows(Rows):
    def build(self, numbers):
        invoices = bulk_invoices_2021(_members(numbers))
        Payment.objects.bulk_create(
            Payment(
                invoice=invoice,
                paid_on=datetime.date(2021, 2, 1),
                amount=Decimal("50.00"),
                currency="EUR",
                method="card",
            )
            for invoice in Invoice.objects.filter(number__in=[invoice.number for invoice in invoices])
        )


class PaymentRows(OneCityRows):
    def build(self, numbers):
        if not hasattr(self, "invoice"):
            self.invoice = Invoice.objects.create(
                member=self.member,
                year=2021,
                number="2021-payments",
                amount=Decimal("100000.00"),
                issued_on=datetime.date(2021, 1, 15),
                due_on=datetime.date(2021, 3, 31),
            )
        Payment.objects.bulk_create(
            Payment(
                invoice=self.invoice,
                paid_on=datetime.date(2021, 2, 1),
                amount=Decimal("1.00"),
                currency="EUR",
                method="card",
            )
            for _n in numbers
        )


def _events(numbers: range) -> list[Event]:
    line = ActionLineFactory()
    events = Event.objects.bulk_create(
        Event(
            slug=f"event-{n}",
            title=f"Event {n}",
            title_en=f"Event {n}",
            kind="webinar",
            format="online",
            year=2021,
            start_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n % 300),
            action_line=line,
        )
        for n in numbers
    )
    events = list(Event.objects.filter(slug__in=[event.slug for event in events]))
    goal = sdg_goal(5)
    Event.sdg_goals.through.objects.bulk_create(
        Event.sdg_goals.through(event=event, sdggoal=goal) for event in events
    )
    return events


class EventRows(Rows):
    def build(self, numbers):
        _events(numbers)


class ParticipationRows(OneCityRows):
    def build(self, numbers):
        Participation.objects.bulk_create(
            Participation(event=event, member=self.member, role="participant") for event in _events(numbers)
        )


class PilotProjectRows(Rows):
    def build(self, numbers):
        projects = PilotProject.objects.bulk_create(
            PilotProject(slug=f"project-{n}", title=f"Project {n}", title_en=f"Project {n}", start_year=2021)
            for n in numbers
        )
        projects = PilotProject.objects.filter(slug__in=[project.slug for project in projects])
        leader, partner = MemberCityFactory(), MemberCityFactory()
        PilotProjectMember.objects.bulk_create(
            PilotProjectMember(project=project, member=member, role=role)
            for project in projects
            for member, role in ((leader, "leader"), (partner, "partner"))
        )


def _activities(numbers: range) -> list[LearningActivity]:
    activities = LearningActivity.objects.bulk_create(
        LearningActivity(
            slug=f"learning-{n}", title=f"Course {n}", title_en=f"Course {n}", kind="course", year=2021
        )
        for n in numbers
    )
    return list(LearningActivity.objects.filter(slug__in=[activity.slug for activity in activities]))


class LearningActivityRows(Rows):
    def build(self, numbers):
        _activities(numbers)


class LearningParticipationRows(OneCityRows):
    def build(self, numbers):
        LearningParticipation.objects.bulk_create(
            LearningParticipation(member=self.member, year=2021, activity=activity)
            for activity in _activities(numbers)
        )


class PublicationRows(Rows):
    def build(self, numbers):
        publications = Publication.objects.bulk_create(
            Publication(
                slug=f"publication-{n}", title=f"Report {n}", title_en=f"Report {n}", kind="report", year=2021
            )
            for n in numbers
        )
        publications = Publication.objects.filter(slug__in=[publication.slug for publication in publications])
        member = MemberCityFactory()
        through = Publication.contributing_members.through
        through.objects.bulk_create(
            through(publication=publication, membercity=member) for publication in publications
        )


class PlatformContributionRows(OneCityRows):
    def build(self, numbers):
        PlatformContribution.objects.bulk_create(
            PlatformContribution(member=self.member, year=2021, kind="news_item", title=f"News {n}")
            for n in numbers
        )


class ActionPlanRows(Rows):
    """Plans with a line, a measure, a deliverable and its status each."""

    def build(self, numbers):
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(code=f"P{n}", title=f"Plan {n}", title_en=f"Plan {n}", start_year=2021, end_year=2023)
            for n in numbers
        )
        plans = list(ActionPlan.objects.filter(code__in=[plan.code for plan in plans]))
        ActionLine.objects.bulk_create(
            ActionLine(plan=plan, code="L1", title="Line", title_en="Line") for plan in plans
        )
        lines = ActionLine.objects.filter(plan__in=plans)
        PlanMeasure.objects.bulk_create(
            PlanMeasure(line=line, code="L1A1", title="Action", title_en="Action") for line in lines
        )
        measures = PlanMeasure.objects.filter(line__in=lines)
        Deliverable.objects.bulk_create(
            Deliverable(measure=measure, code="L1A1D1", title="Deliverable", title_en="Deliverable")
            for measure in measures
        )
        deliverables = Deliverable.objects.filter(measure__in=measures)
        DeliverableStatus.objects.bulk_create(
            DeliverableStatus(deliverable=deliverable, year=2021, status="attained")
            for deliverable in deliverables
        )


class ReportRunRows(Rows):
    def build(self, numbers):
        ReportRun.objects.bulk_create(
            ReportRun(kind="annual", year=2021, language="en", status="succeeded", params_key=f"annual:{n}")
            for n in numbers
        )


class RatifiedMemberRows(Rows):
    """The records behind "new member cities" of 2021."""

    def build(self, numbers):
        _members(numbers, ratified_on=datetime.date(2021, 6, 1))


LISTS: dict[str, tuple[str, Callable[[], Rows]]] = {
    "members": ("/api/v1/members/?fee_year=2021", MemberRows),
    "regions": ("/api/v1/regions/", RegionRows),
    "heads of government": ("/api/v1/heads-of-government/", HeadRows),
    "contacts": ("/api/v1/contacts/", ContactRows),
    "invoices": ("/api/v1/invoices/", InvoiceRows),
    "payments": ("/api/v1/payments/", PaymentRows),
    "events": ("/api/v1/events/", EventRows),
    "participations": ("/api/v1/participations/", ParticipationRows),
    "pilot projects": ("/api/v1/pilot-projects/", PilotProjectRows),
    "learning activities": ("/api/v1/learning-activities/", LearningActivityRows),
    "learning participations": ("/api/v1/learning-participations/", LearningParticipationRows),
    "publications": ("/api/v1/publications/", PublicationRows),
    "platform contributions": ("/api/v1/platform-contributions/", PlatformContributionRows),
    "action plans": ("/api/v1/action-plans/", ActionPlanRows),
    "report runs": ("/api/v1/report-runs/", ReportRunRows),
    "indicator records": ("/api/v1/indicators/new_member_cities/records/?year=2021", RatifiedMemberRows),
}


def _queries(client, url: str) -> tuple[int, int]:
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}{separator}page_size=500")
    assert response.status_code == 200, response.content[:500]
    return len(queries.captured_queries), response.json()["count"]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_runs_the_same_queries_for_10_and_500_rows(name):
    url, rows_class = LISTS[name]
    client = token_client(SecretariatFactory())
    rows = rows_class()
    rows(10)
    # The first request of a process may also ask the database what it supports
    # (SQLite's JSON check, kept for the connection): counted apart.
    _queries(client, url)
    queries_10, count_10 = _queries(client, url)
    rows(490)
    queries_500, count_500 = _queries(client, url)
    assert count_500 - count_10 == 490
    assert count_500 >= 500
    assert queries_500 == queries_10, f"{name}: {queries_10} queries for 10 rows, {queries_500} for 500"


def test_the_member_list_of_a_city_account_runs_a_fixed_number_of_queries(django_assert_num_queries):
    from tests.members.factories import CityViewerFactory

    rows = MemberRows()
    rows(20)
    viewer = CityViewerFactory(member_city=MemberCity.objects.first())
    client = token_client(viewer)
    # The token and its account, the account's groups, the page (with its count).
    with django_assert_num_queries(3):
        response = client.get("/api/v1/members/?fee_year=2021")
    assert response.json()["count"] == 1
