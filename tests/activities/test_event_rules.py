"""The rules of events and participations: each refusal answers with a clear
message and leaves the database as it was."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Event, EventFormat, EventKind, Participation, ParticipationRole
from activities.services.events import ParticipationSpec, event_save, participation_add
from tests.members.factories import MemberCityFactory

from .factories import EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


CSW65 = {
    "slug": "csw65",
    "title": "65th session of the Commission on the Status of Women",
    "kind": EventKind.INTERNATIONAL_EVENT,
    "format": EventFormat.IN_PERSON,
    "year": 2021,
    "start_date": datetime.date(2021, 3, 18),
    "end_date": datetime.date(2021, 3, 18),
    "city": "New York",
    "country": "US",
}


def new_event(**fields) -> Event:
    return Event(**{**CSW65, **fields})


def test_an_event_with_valid_figures_is_saved_with_its_participations():
    member = MemberCityFactory()
    event = event_save(
        event=new_event(participants_total=100, participants_women=52, participants_men=48),
        participations=[ParticipationSpec(member=member, role=ParticipationRole.SPEAKER)],
    )
    assert Event.objects.get(pk=event.pk).participants_women == 52
    assert list(event.participations.values_list("member__slug", "role")) == [(member.slug, "speaker")]


def test_participant_counts_by_gender_above_the_total_are_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(
            event=new_event(participants_total=100, participants_women=60, participants_men=50),
            participations=[ParticipationSpec(member=MemberCityFactory())],
        )
    assert "The counts by gender (110) cannot exceed the total participants (100)." in refusal.value.messages
    assert not Event.objects.exists()
    assert not Participation.objects.exists()


def test_speaker_counts_by_gender_above_the_total_are_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(event=new_event(speakers_total=3, speakers_women=2, speakers_another=2))
    assert "speakers_women" in refusal.value.message_dict
    assert not Event.objects.exists()


def test_a_breakdown_by_gender_without_a_total_is_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(event=new_event(participants_women=10))
    assert refusal.value.message_dict["participants_total"] == [
        "Give the total (participants) before its breakdown by gender."
    ]
    assert not Event.objects.exists()


def test_an_event_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(
            event=new_event(start_date=datetime.date(2021, 3, 30), end_date=datetime.date(2021, 3, 29))
        )
    assert refusal.value.message_dict["end_date"] == ["An event ends on or after its start (2021-03-30)."]
    assert not Event.objects.exists()


def test_an_online_event_with_a_host_city_is_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(event=new_event(format=EventFormat.ONLINE))
    assert refusal.value.message_dict["city"] == ["An online event has no host city."]
    assert not Event.objects.exists()


def test_an_event_needs_a_year_but_not_a_date():
    event = event_save(
        event=new_event(
            slug="board-meeting-2021-online",
            kind=EventKind.BOARD_MEETING,
            format=EventFormat.ONLINE,
            start_date=None,
            end_date=None,
            city="",
            country="",
        )
    )
    assert Event.objects.get(pk=event.pk).year == 2021
    with pytest.raises(ValidationError) as refusal:
        event_save(event=new_event(slug="no-year", year=None, start_date=None, end_date=None))
    assert "year" in refusal.value.message_dict


def test_a_start_date_outside_the_year_is_refused():
    with pytest.raises(ValidationError) as refusal:
        event_save(event=new_event(year=2020))
    assert refusal.value.message_dict["year"] == ["The event starts on 2021-03-18, which is not in 2020."]


def test_a_member_cannot_take_part_in_an_event_after_its_withdrawal():
    withdrawn = MemberCityFactory(withdrawn_on=datetime.date(2021, 3, 1), status="withdrawn")
    event = EventFactory(start_date=datetime.date(2021, 3, 18))
    with pytest.raises(ValidationError) as refusal:
        participation_add(event=event, member=withdrawn)
    assert refusal.value.message_dict["member"] == [
        f"{withdrawn.name} withdrew from the association on 2021-03-01 and cannot take part in an event on "
        "2021-03-18."
    ]
    assert not Participation.objects.exists()


def test_an_event_saved_with_a_withdrawn_member_saves_nothing():
    withdrawn = MemberCityFactory(withdrawn_on=datetime.date(2021, 3, 1), status="withdrawn")
    member = MemberCityFactory()
    with pytest.raises(ValidationError) as refusal:
        event_save(
            event=new_event(),
            participations=[
                ParticipationSpec(member=member),
                ParticipationSpec(member=withdrawn),
            ],
        )
    assert any("withdrew from the association on 2021-03-01" in m for m in refusal.value.messages)
    assert not Event.objects.exists()
    assert not Participation.objects.exists()


def test_moving_an_event_after_a_participants_withdrawal_is_refused():
    member = MemberCityFactory(withdrawn_on=datetime.date(2021, 6, 30), status="withdrawn")
    participation = ParticipationFactory(member=member, event__start_date=datetime.date(2021, 3, 18))
    event = Event.objects.get(pk=participation.event_id)
    event.start_date = event.end_date = datetime.date(2021, 9, 1)
    with pytest.raises(ValidationError):
        event_save(event=event)
    assert Event.objects.get(pk=event.pk).start_date == datetime.date(2021, 3, 18)


def test_an_undated_event_is_after_a_withdrawal_only_in_a_later_year():
    member = MemberCityFactory(withdrawn_on=datetime.date(2021, 6, 30), status="withdrawn")
    same_year = EventFactory(start_date=None, end_date=None, year=2021, kind=EventKind.BOARD_MEETING)
    next_year = EventFactory(start_date=None, end_date=None, year=2022, kind=EventKind.BOARD_MEETING)
    participation_add(event=same_year, member=member)
    with pytest.raises(ValidationError) as refusal:
        participation_add(event=next_year, member=member)
    assert "cannot take part in an event of 2022" in refusal.value.messages[0]


def test_a_member_takes_part_once_per_event():
    participation = ParticipationFactory()
    with pytest.raises(ValidationError) as refusal:
        participation_add(event=participation.event, member=participation.member)
    assert "This member city already takes part in this event." in refusal.value.messages
    assert Participation.objects.count() == 1


def test_saving_an_event_replaces_its_participations():
    kept, dropped, added = MemberCityFactory.create_batch(3)
    event = event_save(
        event=new_event(),
        participations=[ParticipationSpec(member=kept), ParticipationSpec(member=dropped)],
    )
    event_save(
        event=event,
        participations=[
            ParticipationSpec(member=kept, role=ParticipationRole.ORGANISER),
            ParticipationSpec(member=added),
        ],
    )
    assert dict(event.participations.values_list("member__slug", "role")) == {
        kept.slug: "organiser",
        added.slug: "participant",
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"participants_total": 10, "participants_women": 11},
        {"start_date": datetime.date(2021, 3, 2), "end_date": datetime.date(2021, 3, 1)},
        {"format": EventFormat.ONLINE, "city": "Seoul"},
    ],
    ids=["gender-counts", "dates", "online-host-city"],
)
def test_the_database_refuses_what_the_rules_refuse(fields):
    # A second line of defence for writes that bypass the services (bulk loads).
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(**{**CSW65, **fields})
