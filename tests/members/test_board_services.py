"""Board mandates and the other statutory roles: saved validated, with their
history naming who saved them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import BoardMandate, Gender
from members.models.city import BoardRole
from members.services.board import board_mandate_save
from tests.members.factories import MemberCityFactory, StaffFactory, region

pytestmark = pytest.mark.django_db


def test_a_regional_secretary_is_saved_for_a_region_with_its_history():
    staff = StaffFactory()
    mandate = BoardMandate(
        member=MemberCityFactory(),
        role=BoardRole.REGIONAL_SECRETARY,
        region=region("europe"),
        holder_name="Barbara Berninger",
        holder_gender=Gender.WOMAN,
        start=datetime.date(2020, 11, 1),
    )

    board_mandate_save(mandate=mandate, by=staff)

    assert mandate.history.get().history_user == staff


def test_a_regional_secretary_without_a_region_is_refused_and_nothing_is_written():
    mandate = BoardMandate(
        member=MemberCityFactory(), role=BoardRole.REGIONAL_SECRETARY, start=datetime.date(2020, 11, 1)
    )

    with pytest.raises(ValidationError, match="A regional secretary represents a region"):
        board_mandate_save(mandate=mandate)
    assert not BoardMandate.objects.exists()
