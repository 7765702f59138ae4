"""The reading pages of "My city": fees, engagement next to the previous year
and the network, the member scorecard PDF, and the change log the city and the
secretariat both see. Lists keep their number of queries whatever their length."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import PlatformKind
from activities.selectors.engagement import engagement_comparison
from members.models import MemberStatus
from members.selectors.change_log import change_log
from members.services.contacts import contact_add
from members.services.profile import member_profile_update
from reports.models import ReportRun, RunStatus
from tests.activities.factories import PlatformContributionFactory
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    ContactFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return MemberCityFactory(
        name="Seoul", name_en="Seoul", slug="seoul", ratified_on=datetime.date(2015, 6, 1)
    )


@pytest.fixture
def viewer_client(client, city):
    client.force_login(CityViewerFactory(member_city=city))
    return client


# --- Fees -----------------------------------------------------------------------------------------


def test_the_fees_page_lists_the_citys_invoices_with_status_paid_and_outstanding(viewer_client, city):
    paid = InvoiceFactory(member=city, year=2020, number="2020-0007")
    PaymentFactory(invoice=paid)
    partly = InvoiceFactory(member=city, year=2021, number="2021-0007", due_on=datetime.date(2099, 3, 31))
    PaymentFactory(invoice=partly, amount=Decimal("2500.00"))
    InvoiceFactory(member=MemberCityFactory(), year=2021, number="2021-0099")

    response = viewer_client.get(reverse("portal:fees"))

    rows = [(row["invoice"].number, str(row["status"])) for row in response.context["rows"]]
    assert rows == [("2021-0007", "Partially paid"), ("2020-0007", "Paid")]
    page = response.content.decode()
    assert "7500.00 EUR" in page and "2500.00 EUR" in page
    assert "2021-0099" not in page
    assert response.context["outstanding"] == [("EUR", Decimal("7500.00"))]


def test_the_fees_page_runs_the_same_queries_for_2_or_12_invoices(
    viewer_client, city, django_assert_num_queries
):
    for year in (2010, 2011):
        InvoiceFactory(member=city, year=year, number=f"{year}-0001")
    # Session, user, groups, the city with its figures, the invoices with their
    # payments annotated; the layout's reports link asks for two sets of permissions.
    with django_assert_num_queries(7):
        viewer_client.get(reverse("portal:fees"))
    for year in range(2012, 2022):
        InvoiceFactory(member=city, year=year, number=f"{year}-0001")
    with django_assert_num_queries(7):
        viewer_client.get(reverse("portal:fees"))


# --- Engagement and the scorecard -------------------------------------------------------------------


def test_the_engagement_page_shows_the_scorecards_comparison(viewer_client, city):
    MemberCityFactory()  # the network
    PlatformContributionFactory(member=city, year=2021, kind=PlatformKind.USX_CASE)
    PlatformContributionFactory(member=city, year=2020, kind=PlatformKind.USX_CASE)
    PlatformContributionFactory(member=city, year=2020, kind=PlatformKind.USX_CASE)

    response = viewer_client.get(reverse("portal:engagement"), {"year": 2021})

    assert response.context["rows"] == engagement_comparison(member=city, year=2021)
    usx = next(row for row in response.context["rows"] if row["label"].startswith("Cases on the Urban"))
    assert (usx["value"], usx["previous"], usx["network"]) == (1, 2, 0.5)
    page = response.content.decode()
    # Both tables' columns.
    assert "News items on the association" in page and "World Metropolitan Day organiser" in page


def test_the_engagement_page_of_a_candidate_says_it_was_not_a_member(client):
    candidate = MemberCityFactory(
        name="Lima", name_en="Lima", status=MemberStatus.CANDIDATE, ratified_on=None
    )
    client.force_login(CityViewerFactory(member_city=candidate))

    response = client.get(reverse("portal:engagement"), {"year": 2021})

    assert response.context["rows"] == []
    assert "Lima was not a member in 2021" in response.content.decode()


def test_the_engagement_page_runs_a_fixed_number_of_queries(viewer_client, city, django_assert_num_queries):
    for _ in range(3):
        MemberCityFactory()
    # Session, user, groups, the city, the membership of the year, the city's rows of
    # the year and the previous year, the fingerprint of the records the network's
    # figures read and, as new members changed them, those figures; the scorecard
    # runs, and the layout's permission checks.
    with django_assert_num_queries(12):
        viewer_client.get(reverse("portal:engagement"), {"year": 2021})
    for _ in range(10):
        MemberCityFactory()
    with django_assert_num_queries(12):
        viewer_client.get(reverse("portal:engagement"), {"year": 2021})


@pytest.mark.usefixtures("eager_celery")
def test_a_city_account_gets_its_scorecard_pdf(
    viewer_client, city, django_capture_on_commit_callbacks, tmp_path
):
    MemberCityFactory()

    # The rendering is sent after commit and runs here (eager_celery), broker or not.
    with django_capture_on_commit_callbacks(execute=True):
        requested = viewer_client.post(reverse("portal:scorecard-request"), {"year": 2021, "language": "fr"})

    run = ReportRun.objects.get()
    assert requested.status_code == 302 and requested.url == reverse("portal:scorecard-run", args=[run.pk])
    assert (run.kind, run.member, run.year, run.language, run.status) == (
        "scorecard",
        city,
        2021,
        "fr",
        RunStatus.SUCCEEDED,
    )
    status = viewer_client.get(reverse("portal:scorecard-status", args=[run.pk])).json()
    assert status["progress"] == 100 and status["download_url"] == reverse(
        "portal:scorecard-download", args=[run.pk]
    )
    download = viewer_client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert "metropolis-scorecard-seoul-2021-fr.pdf" in download["Content-Disposition"]
    path = tmp_path / "scorecard.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Seoul" in text


def test_a_scorecard_is_not_requested_for_a_year_the_city_was_not_a_member(viewer_client):
    response = viewer_client.post(
        reverse("portal:scorecard-request"), {"year": 2010, "language": "en"}, follow=True
    )

    assert not ReportRun.objects.exists()
    assert "was not a member in 2010" in response.content.decode()


# --- Change log --------------------------------------------------------------------------------------


def _save_profile(member, user, **changes):
    member.refresh_from_db()
    values = {
        "description_en": member.description_en or "",
        "description_es": member.description_es or "",
        "description_fr": member.description_fr or "",
        "description_zh_hans": member.description_zh_hans or "",
        "website": member.website,
        "population": member.population,
        "population_year": member.population_year,
        **changes,
    }
    return member_profile_update(member=member, version=member.version, by=user, **values)


def test_the_change_log_says_who_changed_what_and_when(city):
    editor = CityEditorFactory(member_city=city, full_name="Min-jun Kim")
    _save_profile(city, editor, website="https://seoul.example.org")
    # A change by the secretariat is not the city's, but it is the "before" of the city's next change.
    _save_profile(city, SecretariatFactory(), population=9_700_000)
    _save_profile(city, editor, population=9_600_000)

    entries = change_log(member=city)

    assert [(e.who, e.record_kind) for e in entries] == [
        ("Min-jun Kim", "Profile"),
        ("Min-jun Kim", "Profile"),
    ]
    latest, first = entries
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("population", "9700000", "9600000")]
    assert [(c.label, c.old, c.new) for c in first.changes] == [("website", "–", "https://seoul.example.org")]
    assert latest.when > first.when


def test_the_change_log_does_not_mix_cities(city):
    other = MemberCityFactory()
    _save_profile(other, CityEditorFactory(member_city=other), website="https://other.example.org")

    assert change_log(member=city) == []


def test_the_secretariat_and_communications_see_the_citys_change_log_in_the_admin(city):
    ContactFactory(member=city)
    editor = CityEditorFactory(member_city=city, full_name="Min-jun Kim")
    _save_profile(city, editor, website="https://seoul.example.org")
    url = reverse("admin:members_membercity_portal_changes", args=[city.pk])

    for account in (SecretariatFactory(), CommunicationsFactory()):
        browser = Client()
        browser.force_login(account)
        page = browser.get(url)
        assert page.status_code == 200
        assert "Min-jun Kim" in page.content.decode() and "https://seoul.example.org" in page.content.decode()
    change_page = browser.get(reverse("admin:members_membercity_change", args=[city.pk])).content.decode()
    assert url in change_page


def test_the_change_log_runs_one_query_per_kind_of_record(city, django_assert_num_queries):
    editor = CityEditorFactory(member_city=city)
    for number in range(5):
        _save_profile(city, editor, population=1000 + number)
        contact_add(member=city, name=f"Contact {number}", by=editor)

    with django_assert_num_queries(4):
        entries = change_log(member=city)

    assert len(entries) == 10


def test_staff_and_communications_have_no_city_pages(client):
    for account in (SecretariatFactory(), CommunicationsFactory()):
        client.force_login(account)
        assert client.get(reverse("portal:home")).status_code == 403


def test_the_layout_links_a_city_account_to_its_pages(viewer_client, city):
    page = viewer_client.get(reverse("home")).content.decode()

    assert reverse("portal:home") in page
    assert "Open the pages of Seoul" in page
    assert reverse("reports:list") not in page


@pytest.mark.parametrize(
    ("language", "my_city", "save"),
    [
        ("es", "Mi ciudad", "Guardar el perfil"),
        ("fr", "Ma ville", "Enregistrer le profil"),
        ("zh-hans", "我的城市", "保存概况"),
    ],
)
def test_the_portal_speaks_the_visitors_language(client, city, language, my_city, save):
    client.force_login(CityEditorFactory(member_city=city))

    page = client.get(reverse("portal:profile"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert my_city in page and save in page
