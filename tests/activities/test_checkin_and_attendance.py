"""The door and the online session: check-in by code or by name (a second scan
says when), the staff pages that do it, the attendance report of a video
platform (preview, all or nothing, unmatched rows listed), and the member
participations derived from who attended, which the member profile tables count."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import (
    AttendanceImport,
    AttendanceImportStatus,
    EventKind,
    OnlineAttendance,
    Participation,
    ParticipationRole,
    RegistrationStatus,
)
from activities.selectors.engagement import member_engagement
from activities.services.attendance import attendance_import_apply, attendance_import_preview
from activities.services.checkin import registration_check_in, registration_check_in_undo
from tests.activities.factories import ParticipationFactory, PublicEventFactory, RegistrationFactory
from tests.members.factories import CommunicationsFactory, MemberCityFactory, SecretariatFactory

# What the tasks do is under test here, not how they travel: they run in this
# process even where a broker is configured.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def test_a_code_checks_in_once_and_the_second_scan_says_when():
    registration = RegistrationFactory(code="K7QX2MHD9PAT")
    first = registration_check_in(event=registration.event, code="k7qx-2mhd-9pat")
    again = registration_check_in(event=registration.event, code="K7QX2MHD9PAT")
    assert first.first_time and not again.first_time
    assert again.registration.checked_in_at == first.registration.checked_in_at


@pytest.mark.parametrize(
    "status", [RegistrationStatus.WAITING, RegistrationStatus.CANCELLED, RegistrationStatus.PENDING]
)
def test_only_confirmed_registrants_are_checked_in(status):
    registration = RegistrationFactory(status=status)
    with pytest.raises(ValidationError):
        registration_check_in(event=registration.event, code=registration.code)


def test_a_code_of_another_event_is_unknown():
    registration = RegistrationFactory()
    with pytest.raises(ValidationError) as refusal:
        registration_check_in(event=PublicEventFactory(), code=registration.code)
    assert "No registration" in refusal.value.messages[0]


def test_the_scanner_endpoint_answers_each_outcome(client):
    client.force_login(SecretariatFactory())
    registration = RegistrationFactory(name="Ana López", code="SCANME234567")
    url = f"/activities/events/{registration.event.slug}/check-in/scan/"
    first = client.post(url, {"code": "SCANME234567"}).json()
    second = client.post(url, {"code": "SCANME234567"}).json()
    unknown = client.post(url, {"code": "NOPE"}).json()
    assert (first["result"], second["result"], unknown["result"]) == ("ok", "again", "refused")
    assert first["message"] == "Ana López is checked in."
    assert "already checked in at" in second["message"]
    assert first["checked_in"] == 1


def test_the_door_page_finds_a_name_and_checks_in(client):
    client.force_login(SecretariatFactory())
    registration = RegistrationFactory(name="Zhang Min")
    url = f"/activities/events/{registration.event.slug}/check-in/"
    page = client.get(url, {"q": "zhang"}).content.decode()
    assert "Zhang Min" in page and f'value="{registration.pk}"' in page
    response = client.post(url, {"registration": registration.pk})
    assert "Zhang Min is checked in." in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_communications_read_the_event_desk_but_cannot_check_in(client):
    registration = RegistrationFactory()
    client.force_login(CommunicationsFactory())
    slug = registration.event.slug
    assert client.get(f"/activities/events/{slug}/").status_code == 200
    assert client.get(f"/activities/events/{slug}/check-in/").status_code == 403
    assert (
        client.post(f"/activities/events/{slug}/check-in/scan/", {"code": registration.code}).status_code
        == 403
    )


def test_a_board_meeting_with_registrations_derives_table_bs_board_column_from_attendees(
    django_capture_on_commit_callbacks,
):
    event = PublicEventFactory(
        kind=EventKind.BOARD_MEETING,
        year=2030,
        start_date=datetime.date(2030, 3, 1),
        end_date=datetime.date(2030, 3, 1),
    )
    attending_city, absent_city, speaking_city = MemberCityFactory(), MemberCityFactory(), MemberCityFactory()
    present = RegistrationFactory(event=event, member_city=attending_city)
    RegistrationFactory(event=event, member_city=absent_city)  # registered, never came
    speaker = RegistrationFactory(event=event, member_city=speaking_city, role="speaker")
    with django_capture_on_commit_callbacks(execute=True):
        registration_check_in(event=event, code=present.code)
        registration_check_in(event=event, code=speaker.code)
    rows = {p.member_id: p for p in Participation.objects.filter(event=event)}
    assert set(rows) == {attending_city.pk, speaking_city.pk}
    assert (
        rows[speaking_city.pk].role == ParticipationRole.SPEAKER and rows[speaking_city.pk].from_registrations
    )
    table = {
        row.member.pk: row for row in member_engagement(year=2030, members=[attending_city, absent_city])
    }
    assert table[attending_city.pk].board_meeting_attended is True
    assert table[absent_city.pk].board_meeting_attended is False
    # A check-in taken back takes the participation back.
    with django_capture_on_commit_callbacks(execute=True):
        registration_check_in_undo(registration=present)
    assert not Participation.objects.filter(event=event, member=attending_city).exists()


def test_a_typed_participation_is_kept_when_attendance_is_derived(django_capture_on_commit_callbacks):
    event = PublicEventFactory()
    organiser = MemberCityFactory()
    ParticipationFactory(event=event, member=organiser, role=ParticipationRole.ORGANISER)
    registration = RegistrationFactory(event=event, member_city=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        registration_check_in(event=event, code=registration.code)
    row = Participation.objects.get(event=event, member=organiser)
    assert row.role == ParticipationRole.ORGANISER and not row.from_registrations


ZOOM_CSV = """Meeting ID,Topic,Start Time
812 3456 7890,World Congress,05/04/2030 09:00:00 AM

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ana López,ANA@example.org,05/04/2030 09:01:00 AM,05/04/2030 10:00:00 AM,59,No
Ana López,ana@example.org,05/04/2030 09:50:00 AM,05/04/2030 11:00:00 AM,70,No
Someone Else,else@example.org,05/04/2030 09:05:00 AM,05/04/2030 09:30:00 AM,25,Yes
"""


def test_an_attendance_report_is_previewed_then_applied_with_unmatched_rows_listed():
    event = PublicEventFactory(time_zone="Europe/Madrid")
    ana = RegistrationFactory(
        event=event, email="ana@example.org", mode="online", member_city=MemberCityFactory()
    )
    preview = attendance_import_preview(event=event, content=ZOOM_CSV.encode(), file_name="zoom.csv", by=None)
    assert (preview.row_count, preview.matched_count) == (3, 2)
    assert preview.unmatched == [{"line": 7, "email": "else@example.org", "name": "Someone Else"}]
    assert not OnlineAttendance.objects.exists()  # nothing recorded before staff apply it

    attendance_import_apply(attendance_import=preview)
    ana.refresh_from_db()
    assert ana.attended_online_at == datetime.datetime(2030, 5, 4, 7, 1, tzinfo=datetime.UTC)
    assert ana.online_minutes == 119  # 09:01 to 11:00, the overlap counted once
    assert Participation.objects.filter(event=event, member=ana.member_city, from_registrations=True).exists()
    preview.refresh_from_db()
    assert preview.status == AttendanceImportStatus.APPLIED and preview.rows == []
    with pytest.raises(ValidationError):
        attendance_import_apply(attendance_import=preview)  # once only


def test_a_report_with_a_bad_row_is_refused_whole():
    event = PublicEventFactory()
    RegistrationFactory(event=event, email="ana@example.org")
    content = "Email,Name,Join Time,Leave Time\nana@example.org,Ana,2030-05-04 09:00,2030-05-04 10:00\nbroken,Bo,yesterday,2030-05-04 10:00\n"
    with pytest.raises(ValidationError) as refusal:
        attendance_import_preview(event=event, content=content, file_name="bad.csv", by=None)
    assert "Line 3" in " ".join(refusal.value.messages)
    assert not AttendanceImport.objects.exists()


def test_a_file_without_the_needed_columns_is_refused():
    event = PublicEventFactory()
    with pytest.raises(ValidationError) as refusal:
        attendance_import_preview(event=event, content="Name,Minutes\nAna,30\n", file_name="x.csv", by=None)
    assert "e-mail column" in refusal.value.messages[0]


def test_the_import_pages_preview_and_apply(client):
    client.force_login(SecretariatFactory())
    event = PublicEventFactory()
    RegistrationFactory(event=event, email="ana@example.org", name="Ana López")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("zoom.csv", ZOOM_CSV.encode(), content_type="text/csv")
    response = client.post(f"/activities/events/{event.slug}/attendance/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Ana López" in page and "else@example.org" in page
    client.post(response.url, {"action": "apply"})
    assert AttendanceImport.objects.get().status == AttendanceImportStatus.APPLIED
