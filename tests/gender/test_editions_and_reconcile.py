"""Frozen editions keep their values; reconcile shows published against computed."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gender.models import ValueKind
from gender.services import edition_freeze, indicator_value_set
from tests.members.factories import MemberCityFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_a_frozen_edition_keeps_its_values_after_a_record_changes():
    MemberCityFactory.create_batch(2, ratified_on=datetime.date(2021, 3, 1))
    edition = edition_freeze(year=2021, title="Annual report 2021")
    MemberCityFactory(ratified_on=datetime.date(2021, 9, 1))
    edition.refresh_from_db()
    assert edition.values_by_code()["new_member_cities"] == Decimal(2)
    assert edition_freeze(year=2021, title="again").values_by_code()["new_member_cities"] == Decimal(3)


def test_a_frozen_edition_takes_the_manual_value_of_a_manual_indicator():
    indicator_value_set(code="social_media_followers", year=2021, kind=ValueKind.MANUAL, value=Decimal(36400))
    edition = edition_freeze(year=2021, title="Annual report 2021")
    assert edition.values_by_code()["social_media_followers"] == Decimal(36400)


def test_a_computed_indicator_refuses_a_manual_value():
    with pytest.raises(ValidationError, match="computed from the records"):
        indicator_value_set(code="new_member_cities", year=2021, kind=ValueKind.MANUAL, value=Decimal(1))


def test_manual_and_published_values_record_who_entered_them():
    staff = StaffFactory()
    value = indicator_value_set(
        code="new_member_cities",
        year=2021,
        kind=ValueKind.PUBLISHED,
        value=Decimal(3),
        section="Key results",
        by=staff,
    )
    assert value.entered_by == staff and value.entered_at is not None


def test_reconcile_prints_published_and_computed_values_and_marks_differences():
    MemberCityFactory.create_batch(2, ratified_on=datetime.date(2021, 3, 1))
    indicator_value_set(
        code="new_member_cities", year=2021, kind=ValueKind.PUBLISHED, value=Decimal(3), section="Key results"
    )
    indicator_value_set(
        code="agreements_members", year=2021, kind=ValueKind.PUBLISHED, value=Decimal(0), section="L1"
    )
    out = StringIO()
    call_command("reconcile", "--year", "2021", stdout=out)
    lines = out.getvalue().splitlines()
    new_members = next(line for line in lines if line.startswith("new_member_cities"))
    assert "2" in new_members and "3" in new_members and "DIFFERS" in new_members
    agreements = next(line for line in lines if line.startswith("agreements_members "))
    assert "DIFFERS" not in agreements
    assert "1 published values differ" in lines[-1]


def test_staff_pages_show_the_value_and_link_each_record_to_the_admin(client):
    members = MemberCityFactory.create_batch(2, ratified_on=datetime.date(2021, 3, 1))
    client.force_login(StaffFactory())
    page = client.get("/indicators/2021/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    detail = client.get("/indicators/2021/new_member_cities/")
    assert detail.status_code == 200
    for member in members:
        assert f"/admin/members/membercity/{member.pk}/change/".encode() in detail.content


def test_staff_pages_are_closed_to_anonymous_users(client):
    assert client.get("/indicators/2021/").status_code == 302
