"""A person's data: a copy (JSON, CSV), erasure on request that keeps counts
and the history's shape, refusals that change nothing, the retention rule,
and the same from the admin and the city portal."""

import csv
import datetime
import io
import json

import pytest
from axes.models import AccessLog
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import (
    ConsentRecord,
    ConsentSource,
    Contact,
    DataRequestKind,
    HeadOfGovernment,
    Mailing,
    MailingKind,
    MailingRecipient,
    MailingStatus,
    MemberStatus,
    PersonalDataRequest,
    User,
)
from members.selectors.personal_data import as_csv, contact_personal_data, user_personal_data
from members.services.contacts import contact_remove, contact_update
from members.services.personal_data import (
    contact_erase,
    erased_name,
    head_of_government_erase,
    personal_data_retention_apply,
    user_erase,
)
from tests.members.factories import (
    BoardMandateFactory,
    CityEditorFactory,
    ContactFactory,
    FeeReminderFactory,
    HeadOfGovernmentFactory,
    MemberCityFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return SecretariatFactory()


@pytest.fixture
def city():
    return MemberCityFactory(name="Lisbon", name_en="Lisbon", slug="lisbon")


@pytest.fixture
def second(city, staff):
    """A contact who is not the primary one, with a history, mailings and a consent record."""
    ContactFactory(member=city, is_primary=True, email="primary@lisboa.example.org")
    contact = ContactFactory(
        member=city,
        name="Rui Costa",
        email="rui@lisboa.example.org",
        phone="+351 21 000",
        is_primary=False,
        gender="man",
        preferred_language="fr",
    )
    contact_update(
        contact=contact,
        name="Rui Costa",
        role="Mobility",
        email="rui@lisboa.example.org",
        phone="+351 21 111",
        preferred_language="fr",
        gender="man",
        by=staff,
    )
    mailing = Mailing.objects.create(
        kind=MailingKind.NEWS,
        segment="active-members",
        subject_en="News",
        body_en="Text",
        status=MailingStatus.SENT,
    )
    MailingRecipient.objects.create(
        mailing=mailing, contact=contact, email=contact.email, name=contact.name, language="fr", status="sent"
    )
    ConsentRecord.objects.create(
        email=contact.email,
        contact=contact,
        kind=MailingKind.EVENTS,
        given=False,
        source=ConsentSource.UNSUBSCRIBE_LINK,
    )
    return Contact.objects.get(pk=contact.pk)


def test_a_contacts_copy_holds_their_record_history_consent_and_mailings(second):
    data = contact_personal_data(contact=second)
    assert data["contact"]["email"] == "rui@lisboa.example.org"
    assert data["contact"]["member"] == {"slug": "lisbon", "name": "Lisbon"}
    assert [row["phone"] for row in data["contact_history"]] == ["+351 21 000", "+351 21 111"]
    assert data["consent_records"][0]["kind"] == "events" and data["consent_records"][0]["receives"] is False
    assert data["mailings_received"][0]["status"] == "sent"
    json.loads(json.dumps(data))  # plain values only


def test_the_csv_copy_escapes_cells_a_spreadsheet_would_run(second):
    Contact.objects.filter(pk=second.pk).update(role='=HYPERLINK("http://x")')
    second.refresh_from_db()
    text = as_csv(contact_personal_data(contact=second)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "field", "value"]
    role = next(row for row in rows if row[:2] == ["contact", "role"])
    assert role[2] == '\'=HYPERLINK("http://x")'
    assert ["contact", "email", "rui@lisboa.example.org"] in rows


def test_erasing_a_contact_anonymises_the_record_its_history_and_its_mailings(second, staff):
    history_rows = second.history.count()
    request = contact_erase(contact=second, by=staff, reason="E-mail of 3 May")
    second.refresh_from_db()
    assert (second.name, second.email, second.phone, second.role) == (erased_name(second.pk), "", "", "")
    assert second.erased_at is not None
    # What counts stays: the member, the language, the gender.
    assert (second.member.slug, second.preferred_language, second.gender) == ("lisbon", "fr", "man")
    # The history keeps its rows (one more: the erasure), without the person.
    rows = list(second.history.all())
    assert len(rows) == history_rows + 1
    assert {(r.name, r.email, r.phone) for r in rows} == {(erased_name(second.pk), "", "")}
    assert MailingRecipient.objects.get(contact=second).email == ""
    assert MailingRecipient.objects.get(contact=second).status == "sent"
    assert ConsentRecord.objects.get(contact=second).email == ""
    assert request.kind == DataRequestKind.ERASURE and "rui" not in request.subject_label.lower()
    with pytest.raises(ValidationError, match="already been erased"):
        contact_erase(contact=second, by=staff)


def test_erasing_the_primary_contact_is_refused_and_changes_nothing(city, staff):
    primary = ContactFactory(member=city, is_primary=True, name="Ana Lopes", email="ana@lisboa.example.org")
    with pytest.raises(ValidationError, match="primary contact of Lisbon"):
        contact_erase(contact=primary, by=staff)
    primary.refresh_from_db()
    assert (primary.name, primary.email, primary.erased_at) == ("Ana Lopes", "ana@lisboa.example.org", None)
    assert not PersonalDataRequest.objects.exists()


def test_an_address_shared_with_another_contact_keeps_their_fee_reminders(city, staff):
    ContactFactory(member=city, is_primary=True, email="office@lisboa.example.org")
    leaving = ContactFactory(member=city, is_primary=False, email="office@lisboa.example.org")
    reminder = FeeReminderFactory(recipient="office@lisboa.example.org")
    contact_erase(contact=leaving, by=staff)
    reminder.refresh_from_db()
    assert reminder.recipient == "office@lisboa.example.org"


def test_erasing_a_current_head_of_government_is_refused_and_changes_nothing(city, staff):
    head = HeadOfGovernmentFactory(member=city, name="Carlos Moedas", term_end=None)
    with pytest.raises(ValidationError, match="current head of government of Lisbon"):
        head_of_government_erase(head=head, by=staff)
    head.refresh_from_db()
    assert head.name == "Carlos Moedas" and head.erased_at is None
    assert not PersonalDataRequest.objects.exists()


def test_erasing_a_former_head_keeps_the_term_and_gender_and_their_board_seat_loses_the_name(city, staff):
    head = HeadOfGovernmentFactory(
        member=city,
        name="Fernando Medina",
        gender="man",
        term_start=datetime.date(2015, 4, 6),
        term_end=datetime.date(2021, 10, 18),
    )
    mandate = BoardMandateFactory(member=city, holder_name="Fernando Medina")
    head_of_government_erase(head=head, by=staff)
    head.refresh_from_db()
    mandate.refresh_from_db()
    assert (
        head.name == erased_name(head.pk)
        and head.gender == "man"
        and head.term_end == datetime.date(2021, 10, 18)
    )
    assert set(HeadOfGovernment.history.filter(id=head.pk).values_list("name", flat=True)) == {
        erased_name(head.pk)
    }
    assert mandate.holder_name == erased_name(head.pk)


def test_erasing_an_account_ends_its_access_and_its_login_records_lose_the_person(client, city, staff):
    user = CityEditorFactory(member_city=city, email="editor@lisboa.example.org", full_name="Inês Dias")
    client.force_login(user)
    AccessLog.objects.create(
        username="editor@lisboa.example.org", ip_address="192.0.2.1", user_agent="Firefox"
    )
    assert "192.0.2.1" in [row["ip_address"] for row in user_personal_data(user=user)["logins"]]
    user_erase(user=user, by=staff)
    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@erased.invalid" and user.full_name == "" and not user.is_active
    assert not user.has_usable_password() and not user.groups.exists()
    assert user.member_city == city  # the count of accounts per city stays
    assert set(AccessLog.objects.values_list("username", "ip_address", "user_agent")) == {
        (user.email, None, "")
    }
    assert client.get(reverse("portal:home")).status_code == 302  # logged out


def test_erasing_ones_own_account_is_refused(staff):
    with pytest.raises(ValidationError, match="your own account"):
        user_erase(user=staff, by=staff)
    assert User.objects.get(pk=staff.pk).erased_at is None


def test_the_retention_rule_erases_former_contacts_once_the_period_has_passed(staff, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 2
    today = datetime.date(2026, 6, 1)
    long_gone = MemberCityFactory(
        slug="long-gone", status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2024, 1, 31)
    )
    recently_gone = MemberCityFactory(
        slug="recently-gone", status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2025, 1, 1)
    )
    old = ContactFactory(member=long_gone, email="old@gone.example.org")
    recent = ContactFactory(member=recently_gone, email="recent@gone.example.org")
    current = MemberCityFactory(slug="current")
    ContactFactory(member=current, is_primary=True)
    removed = ContactFactory(
        member=current, is_primary=False, name="Removed Person", email="removed@example.org"
    )
    contact_remove(contact=removed, by=staff)
    Contact.history.filter(id=removed.pk).update(
        history_date=timezone.make_aware(datetime.datetime(2023, 1, 1))
    )

    run = personal_data_retention_apply(today=today)
    assert run.contacts_erased == [old.pk]
    assert run.removed_contacts_histories == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == "" and old.erased_at is not None
    assert recent.email == "recent@gone.example.org"
    assert set(Contact.history.filter(id=removed.pk).values_list("email", flat=True)) == {""}
    assert PersonalDataRequest.objects.get().kind == DataRequestKind.RETENTION
    # A second run finds nothing more to erase.
    again = personal_data_retention_apply(today=today)
    assert again.as_dict() == {
        "contacts_erased": 0,
        "removed_contacts_histories": 0,
        "mailing_addresses_cleared": 0,
    }


def test_the_retention_task_runs_from_the_schedule(eager_celery, db):
    from django.conf import settings

    from members.tasks import personal_data_retention_task

    assert (
        settings.CELERY_BEAT_SCHEDULE["members-personal-data-retention"]["task"]
        == "members.personal_data_retention"
    )
    assert personal_data_retention_task.delay("2026-06-01").get() == {
        "contacts_erased": 0,
        "removed_contacts_histories": 0,
        "mailing_addresses_cleared": 0,
    }


# --- From the admin and the portal ------------------------------------------------------------


def test_the_secretariat_downloads_a_copy_and_the_request_is_recorded(client, second, staff):
    client.force_login(staff)
    url = reverse("admin:members_contact_personal_data", args=[second.pk, "json"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-contact-{second.pk}.json"'
    assert json.loads(response.content)["contact"]["name"] == "Rui Costa"
    csv_response = client.get(reverse("admin:members_contact_personal_data", args=[second.pk, "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert list(PersonalDataRequest.objects.values_list("kind", "export_format")) == [
        ("export", "csv"),
        ("export", "json"),
    ]


def test_the_admins_erasure_of_a_current_head_shows_the_refusal_and_changes_nothing(client, city, staff):
    head = HeadOfGovernmentFactory(member=city, name="Carlos Moedas")
    former = HeadOfGovernmentFactory(
        member=city, name="Former", term_start=datetime.date(2010, 1, 1), term_end=datetime.date(2014, 1, 1)
    )
    client.force_login(staff)
    response = client.post(
        reverse("admin:members_headofgovernment_changelist"),
        {
            "action": "erase_personal_data",
            "_selected_action": [head.pk, former.pk],
            "apply": "1",
            "reason": "Letter",
            "confirm": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "current head of government of Lisbon" in page and "Nothing was changed." in page
    assert set(HeadOfGovernment.objects.values_list("name", flat=True)) == {"Carlos Moedas", "Former"}


def test_a_city_account_downloads_its_own_data_and_chooses_its_mailings(client, city):
    user = CityEditorFactory(member_city=city, email="rui@lisboa.example.org")
    ContactFactory(member=city, email="rui@lisboa.example.org", name="Rui Costa")
    ContactFactory(
        member=MemberCityFactory(slug="porto"), email="other@porto.example.org", name="Someone Else"
    )
    client.force_login(user)
    data = json.loads(client.get(reverse("portal:my-data-download"), {"format": "json"}).content)
    assert data["account"]["email"] == "rui@lisboa.example.org"
    assert [c["contact"]["name"] for c in data["contact_records"]] == ["Rui Costa"]
    assert "Someone Else" not in json.dumps(data)

    response = client.post(reverse("portal:my-data"), {"news": "on", "consultations": "on"})
    assert response.status_code == 302
    latest = ConsentRecord.objects.get()
    assert (latest.kind, latest.given, latest.source, latest.email) == (
        "events",
        False,
        "portal",
        "rui@lisboa.example.org",
    )
    page = client.get(reverse("portal:my-data")).content.decode()
    assert 'name="events" id="id_events">' in page and 'name="news" id="id_news" checked' in page


def test_the_copy_is_also_an_action_of_the_list_for_one_person(client, second, staff):
    client.force_login(staff)
    url = reverse("admin:members_contact_changelist")
    response = client.post(url, {"action": "export_personal_data_csv", "_selected_action": [second.pk]})
    assert response["Content-Type"].startswith("text/csv")
    assert "rui@lisboa.example.org" in response.content.decode("utf-8-sig")
    several = client.post(
        url,
        {
            "action": "export_personal_data_json",
            "_selected_action": list(Contact.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "Select one person" in several.content.decode()
