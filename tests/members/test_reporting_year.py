"""The reporting year: pages and forms open on the latest year that has records
(or the year the secretariat set), not the calendar year; a report on a year
with almost no records warns before it is rendered."""

import datetime

import pytest
from django.urls import reverse

from members.models import ReportingYear
from members.selectors.reporting_year import latest_year_with_records, reporting_year, year_coverage
from members.services.reporting_year import reporting_year_clear, reporting_year_set
from reports.models import ReportRun
from tests.activities.factories import ActionPlanFactory, EventFactory
from tests.members.factories import (
    CityViewerFactory,
    CommunicationsFactory,
    InvoiceFactory,
    MemberCityFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def test_the_reporting_year_is_the_latest_year_with_records_not_the_calendar_year():
    InvoiceFactory.create_batch(2, year=2021)
    EventFactory(start_date=datetime.date(2019, 5, 1))

    assert reporting_year(today=TODAY) == 2021


def test_invoices_issued_ahead_and_planned_events_do_not_move_it():
    InvoiceFactory(year=2021)
    InvoiceFactory(year=2027, number="2027-0001")
    EventFactory(start_date=datetime.date(2028, 5, 1))

    assert latest_year_with_records(today=TODAY) == 2021


def test_an_empty_database_opens_on_the_calendar_year():
    assert reporting_year(today=TODAY) == 2026


def test_the_year_set_by_the_secretariat_wins_until_it_is_cleared():
    InvoiceFactory(year=2021)

    reporting_year_set(year=2020)
    reporting_year_set(year=2019)  # changes the one row

    assert ReportingYear.objects.get().year == 2019
    assert reporting_year(today=TODAY) == 2019
    reporting_year_clear()
    assert reporting_year(today=TODAY) == 2021


def test_a_year_with_a_tenth_of_the_fullest_years_records_is_near_empty():
    InvoiceFactory.create_batch(20, year=2021)
    InvoiceFactory(year=2020, number="2020-0001")
    InvoiceFactory(year=2019, number="2019-0001")
    InvoiceFactory(year=2019, number="2019-0002")

    thin, full = year_coverage(years=[2020, 2021])
    assert (thin.records, thin.reference_year, thin.reference_records, thin.near_empty) == (1, 2021, 20, True)
    assert full.near_empty is False
    (two,) = year_coverage(years=[2019])
    assert two.near_empty is False  # 2 of 20: a tenth


def test_the_member_list_in_the_admin_shows_the_fee_of_the_reporting_year(client):
    InvoiceFactory(member=MemberCityFactory(name="Seoul", name_en="Seoul"), year=2021)
    client.force_login(SecretariatFactory())

    page = client.get(reverse("admin:members_membercity_changelist")).content.decode()

    assert "2021: " in page
    assert f"{datetime.date.today().year}: " not in page or datetime.date.today().year == 2021


def test_the_members_api_gives_the_fee_of_the_reporting_year_by_default(client):
    InvoiceFactory(year=2021)
    client.force_login(SecretariatFactory())

    result = client.get("/api/v1/members/").json()["results"][0]

    assert result["fee"]["year"] == 2021


def test_the_calendar_opens_on_the_reporting_year(client):
    EventFactory(start_date=datetime.date(2021, 3, 18))
    client.force_login(SecretariatFactory())

    response = client.get(reverse("activities:calendar-current"))

    assert response.url == reverse("activities:calendar", kwargs={"year": 2021})


def test_a_citys_engagement_page_opens_on_the_reporting_year(client):
    city = MemberCityFactory(ratified_on=datetime.date(2015, 6, 1))
    InvoiceFactory(member=city, year=2021)
    client.force_login(CityViewerFactory(member_city=city))

    response = client.get(reverse("portal:engagement"))

    assert response.context["year"] == 2021
    assert response.context["year_form"]["year"].value() == 2021


def test_the_reports_form_proposes_the_reporting_year(client):
    InvoiceFactory(year=2021)
    client.force_login(CommunicationsFactory())

    form = client.get(reverse("reports:list")).context["form"]

    assert form["year"].value() == 2021


def test_an_annual_report_on_a_year_with_almost_no_records_warns_before_it_renders(client):
    InvoiceFactory.create_batch(12, year=2021)
    client.force_login(CommunicationsFactory())

    response = client.post(reverse("reports:list"), {"kind": "annual", "year": 2019, "language": "en"})

    assert response.status_code == 200
    assert not ReportRun.objects.exists()
    page = response.content.decode()
    assert "almost no records" in page and "2019: 0 records (2021: 12)" in page
    assert 'type="checkbox" name="thin_years_confirmed"' in page


def test_the_warning_speaks_the_users_language(client):
    InvoiceFactory.create_batch(12, year=2021)
    client.force_login(CommunicationsFactory())

    page = client.post(
        reverse("reports:list"), {"kind": "annual", "year": 2019, "language": "en"}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert "2019:" in page and 'name="thin_years_confirmed"' in page


def test_confirming_the_warning_requests_the_report(client):
    InvoiceFactory.create_batch(12, year=2021)
    client.force_login(CommunicationsFactory())

    response = client.post(
        reverse("reports:list"),
        {"kind": "annual", "year": 2019, "language": "en", "thin_years_confirmed": "on"},
    )

    run = ReportRun.objects.get()
    assert (run.year, response.status_code) == (2019, 302)


def test_a_report_on_a_full_year_renders_without_a_warning(client):
    InvoiceFactory.create_batch(12, year=2021)
    client.force_login(CommunicationsFactory())

    response = client.post(reverse("reports:list"), {"kind": "annual", "year": 2021, "language": "en"})

    assert response.status_code == 302 and ReportRun.objects.get().year == 2021


def test_a_three_year_report_names_the_years_of_its_plan_with_almost_no_records(client):
    InvoiceFactory.create_batch(12, year=2021)
    ActionPlanFactory(code="2021-2023", start_year=2021, end_year=2023)
    client.force_login(CommunicationsFactory())

    response = client.post(
        reverse("reports:list"), {"kind": "three-year", "plan_code": "2021-2023", "language": "en"}
    )

    page = response.content.decode()
    assert (
        "2022: 0 records (2021: 12)" in page and "2023: 0 records" in page and "2021: 12 records" not in page
    )
    assert not ReportRun.objects.exists()
