"""The membership lifecycle: candidate → active → suspended → withdrawn, each
step logged, and the steps that make no sense refused with a clear message."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import MembershipChange, MemberStatus
from members.services.lifecycle import (
    member_create,
    member_ratify,
    member_reinstate,
    member_suspend,
    member_withdraw,
)
from tests.members.factories import MemberCityFactory, StaffFactory, region

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 10, 20)


def test_ratifying_a_candidate_makes_it_an_active_member_from_that_day():
    staff = StaffFactory()
    member = MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)

    member = member_ratify(member=member, on=DAY, reason="Board meeting", by=staff)

    member.refresh_from_db()
    assert (member.status, member.ratified_on) == (MemberStatus.ACTIVE, DAY)
    assert member.is_new_in(2021)
    change = MembershipChange.objects.get(member=member)
    assert (change.from_status, change.to_status, change.effective_on, change.changed_by) == (
        MemberStatus.CANDIDATE,
        MemberStatus.ACTIVE,
        DAY,
        staff,
    )


def test_ratifying_an_active_member_is_refused():
    member = MemberCityFactory(name="Barcelona", name_en="Barcelona")

    with pytest.raises(ValidationError, match="Barcelona cannot be ratified: its membership is active"):
        member_ratify(member=member, on=DAY)

    assert not MembershipChange.objects.exists()


def test_suspending_and_reinstating_an_active_member_logs_both_steps():
    member = MemberCityFactory()

    member_suspend(member=member, on=DAY, reason="Fees unpaid for three years")
    member.refresh_from_db()
    assert member.status == MemberStatus.SUSPENDED
    member_reinstate(member=member, on=DAY + datetime.timedelta(days=30))
    member.refresh_from_db()

    assert member.status == MemberStatus.ACTIVE
    assert list(MembershipChange.objects.values_list("to_status", flat=True)) == [
        MemberStatus.SUSPENDED,
        MemberStatus.ACTIVE,
    ]


def test_suspending_without_a_reason_is_refused():
    member = MemberCityFactory()

    with pytest.raises(ValidationError, match="Give the reason for the suspension"):
        member_suspend(member=member, on=DAY, reason="  ")

    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_suspending_a_withdrawn_member_is_refused():
    member = MemberCityFactory(name="Lyon", name_en="Lyon", status=MemberStatus.WITHDRAWN)

    with pytest.raises(ValidationError, match="Lyon cannot be suspended: its membership is withdrawn"):
        member_suspend(member=member, on=DAY, reason="Unpaid fees")

    member.refresh_from_db()
    assert member.status == MemberStatus.WITHDRAWN
    assert not MembershipChange.objects.exists()


def test_reinstating_a_member_that_is_not_suspended_is_refused():
    member = MemberCityFactory(name="Quito", name_en="Quito")

    with pytest.raises(ValidationError, match="Quito cannot be reinstated: its membership is active"):
        member_reinstate(member=member, on=DAY)


def test_withdrawing_records_the_date_and_reason():
    member = MemberCityFactory()

    member_withdraw(member=member, on=DAY, reason="Letter of the mayor")

    member.refresh_from_db()
    assert (member.status, member.withdrawn_on) == (MemberStatus.WITHDRAWN, DAY)
    assert MembershipChange.objects.get(member=member).reason == "Letter of the mayor"


def test_withdrawing_twice_is_refused():
    member = MemberCityFactory(name="Oslo", name_en="Oslo", status=MemberStatus.WITHDRAWN)

    with pytest.raises(ValidationError, match="Oslo cannot be withdrawn: its membership is withdrawn"):
        member_withdraw(member=member, on=DAY, reason="Again")


def test_withdrawing_without_a_reason_is_refused():
    member = MemberCityFactory()

    with pytest.raises(ValidationError, match="Give the reason for the withdrawal"):
        member_withdraw(member=member, on=DAY, reason="")


def test_a_step_dated_before_the_ratification_is_refused():
    member = MemberCityFactory(ratified_on=datetime.date(2015, 6, 1))

    with pytest.raises(ValidationError, match="cannot be before the ratification on 2015-06-01"):
        member_suspend(member=member, on=datetime.date(2014, 1, 1), reason="Back-dated")

    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE


def test_a_new_member_is_a_candidate_until_the_board_ratifies_it():
    member = member_create(name_en="Accra", slug="accra", country="GH", region=region("africa"), kind="city")

    assert (member.status, member.ratified_on) == (MemberStatus.CANDIDATE, None)


def test_a_member_active_before_the_records_begin_is_recorded_active_with_no_ratification_date():
    member = member_create(
        name_en="Abidjan",
        slug="abidjan",
        country="CI",
        region=region("africa"),
        kind="city",
        already_active=True,
    )

    member.refresh_from_db()
    assert (member.status, member.ratified_on) == (MemberStatus.ACTIVE, None)
    # No lifecycle step is known, so none is logged.
    assert not MembershipChange.objects.filter(member=member).exists()
