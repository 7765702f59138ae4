"""The staff home in the admin: the figures of the reporting year, each linked
to its filtered list; the admin's models grouped by task; the navigation to
indicators, calendar and API docs; the header's search. Query counts pinned."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import MemberStatus
from metropolis.admin_site import TASKS
from reports.models import ReportRun
from reports.staff_home import reporting_year
from tests.activities.factories import EventFactory, PublicationFactory, SubmissionFactory
from tests.members.factories import (
    CommunicationsFactory,
    ContactFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, the groups' permissions, the reporting year, the fee summary,
# members by status, pending submissions, coming events, latest runs, the
# annual report's pre-flight (members, regions, invoices, events, plan) and the
# app list's permissions: the same whatever the number of records.
STAFF_HOME_QUERIES = 18
# Session, user, its own and its groups' permissions, then one query per kind
# of record (members, contacts, invoices, events, publications).
SEARCH_QUERIES = 10


@pytest.fixture
def secretariat_client(client):
    client.force_login(SecretariatFactory())
    return client


def _records(count: int) -> None:
    today = timezone.localdate()
    for index in range(count):
        member = MemberCityFactory()
        ContactFactory(member=member)
        invoice = InvoiceFactory(member=member, year=2021)
        if index % 2:
            PaymentFactory(invoice=invoice, amount=Decimal("2500.00"))
        SubmissionFactory(member=member)
        EventFactory(start_date=today + datetime.timedelta(days=index + 1))
        ReportRun.objects.create(kind="annual", year=2021, language="en", params_key=f"annual-{index}")


def test_the_reporting_year_is_the_latest_year_with_invoices_not_the_calendar_year():
    InvoiceFactory(year=2020, number="2020-0001")
    InvoiceFactory(year=2021)

    assert reporting_year(today=datetime.date(2026, 12, 2)) == 2021


def test_the_staff_home_shows_the_fees_of_the_reporting_year_linked_to_their_lists(secretariat_client):
    paid, unpaid = InvoiceFactory(amount=Decimal("10000.00")), InvoiceFactory(amount=Decimal("6000.00"))
    PaymentFactory(invoice=paid)
    MemberCityFactory(status=MemberStatus.SUSPENDED)
    SubmissionFactory(title="Green corridors of Abidjan")
    EventFactory(title="Annual meeting ahead", start_date=timezone.localdate() + datetime.timedelta(days=10))

    response = secretariat_client.get(reverse("admin:index"))

    content = response.content.decode()
    assert response.context["year"] == 2021
    [fees] = response.context["fees"]
    figures = {figure.label: figure for figure in fees["figures"]}
    assert figures["Invoices issued"].value == "2 · 16,000.00 EUR"
    assert figures["Paid"].value == "10,000.00 EUR"
    assert figures["Overdue"].value == "1 · 6,000.00 EUR"
    assert figures["Overdue"].url == "/admin/members/invoice/?year=2021&currency=EUR&status=overdue"
    assert figures["Arrears, all years"].value == "6,000.00 EUR owed by 1 member"
    assert fees["chart"].startswith("<svg")
    # The linked list holds the figure's records.
    overdue = secretariat_client.get(figures["Overdue"].url)
    assert [invoice.pk for invoice in overdue.context["cl"].result_list] == [unpaid.pk]
    assert "/admin/members/membercity/?status__exact=suspended" in content
    assert "Green corridors of Abidjan" in content
    assert "Annual meeting ahead" in content
    assert "Before the annual report 2021" in content


def test_the_staff_home_shows_the_annual_reports_data_warnings(secretariat_client):
    MemberCityFactory(name="Nowhere City", region=None)
    InvoiceFactory()

    response = secretariat_client.get(reverse("admin:index"))

    assert any("has no region" in warning for warning in response.context["report_warnings"])


def test_the_admin_home_groups_the_models_by_task(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))

    groups = {group["app_label"]: group for group in response.context["app_list"]}
    assert [group["name"] for group in response.context["app_list"]] == [str(label) for _t, label in TASKS]
    members_and_fees = {model["object_name"] for model in groups["members-and-fees"]["models"]}
    assert {"MemberCity", "Invoice", "Payment", "FeeSchedule"} <= members_and_fees
    assert "ActionPlan" in {model["object_name"] for model in groups["plans-and-indicators"]["models"]}
    assert "User" in {model["object_name"] for model in groups["accounts"]["models"]}


def test_the_navigation_links_indicators_calendar_and_api_docs(secretariat_client):
    InvoiceFactory(year=2021)

    content = secretariat_client.get(reverse("admin:members_invoice_changelist")).content.decode()
    indicators = secretariat_client.get(reverse("admin:indicators"))

    assert reverse("admin:indicators") in content
    assert reverse("activities:calendar-current") in content
    assert reverse("api:docs") in content
    assert indicators["Location"] == reverse("gender:key-results", args=[2021])


def test_the_communications_team_sees_the_home_without_the_fees(client):
    client.force_login(CommunicationsFactory())

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert 'id="panel-runs"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_the_staff_home_runs_the_same_queries_for_few_and_many_records(
    count, secretariat_client, django_assert_num_queries
):
    _records(count)

    with django_assert_num_queries(STAFF_HOME_QUERIES):
        response = secretariat_client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_the_search_finds_members_in_any_language_contacts_invoices_events_and_publications(
    secretariat_client,
):
    member = MemberCityFactory(name="Ciudad de México", name_zh_hans="墨西哥城")
    ContactFactory(member=member, name="Rosa Torres", email="rosa@cdmx.example.org")
    InvoiceFactory(member=member, number="2021-0777")
    EventFactory(title="Urban mobility forum", title_en="Urban mobility forum")
    PublicationFactory(title="Mobility in the metropolis", title_en="Mobility in the metropolis")

    def found(text):
        response = secretariat_client.get(reverse("admin:search"), {"q": text})
        return {
            section.title: [hit.label for hit in section.hits] for section in response.context["sections"]
        }

    assert found("墨西哥")["Members"] == ["Ciudad de México"]
    assert found("cdmx.example")["Contacts"] == ["Rosa Torres"]
    assert found("0777")["Invoices"] == ["2021-0777"]
    mobility = found("mobility")
    assert mobility["Events"] == ["Urban mobility forum"]
    assert mobility["Publications"] == ["Mobility in the metropolis"]


@pytest.mark.parametrize("count", [1, 6])
def test_the_search_runs_one_query_per_kind_whatever_it_finds(
    count, secretariat_client, django_assert_num_queries
):
    for index in range(count):
        member = MemberCityFactory(name=f"Metro {index}")
        ContactFactory(member=member, name=f"Metro contact {index}")
        InvoiceFactory(member=member)
        EventFactory(title=f"Metro event {index}", title_en=f"Metro event {index}")

    with django_assert_num_queries(SEARCH_QUERIES):
        response = secretariat_client.get(reverse("admin:search"), {"q": "metro"})

    assert len(response.context["sections"][0].hits) == count
