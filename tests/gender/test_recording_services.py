"""The services that write the records the gender impact assessment and the
finance summary count: each validates before it saves, and a refusal writes
nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gender.models import FundingEntry, InternalGenderTraining, ProgrammeYear, StaffMember
from gender.services import (
    funding_entry_save,
    internal_gender_training_delete,
    internal_gender_training_save,
    programme_year_save,
    staff_member_save,
)

from .factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_a_team_member_who_leaves_before_joining_is_refused():
    person = StaffMember(name="Laura Valdés", kind="staff", gender="woman", start_year=2021, end_year=2020)

    with pytest.raises(ValidationError):
        staff_member_save(staff_member=person)
    assert not StaffMember.objects.exists()


def test_a_spending_share_above_100_percent_is_refused():
    row = ProgrammeYear(programme=ProgrammeFactory(), year=2021, spending_share=Decimal("100.5"))

    with pytest.raises(ValidationError):
        programme_year_save(programme_year=row)
    assert not ProgrammeYear.objects.exists()


def test_a_funding_entry_needs_an_amount_or_a_published_share():
    with pytest.raises(ValidationError, match="Give an amount or a published share"):
        funding_entry_save(entry=FundingEntry(year=2021, source="other"))

    entry = funding_entry_save(entry=FundingEntry(year=2021, source="other", share=Decimal("12.5")))
    assert FundingEntry.objects.get() == entry


def test_a_training_is_dated_in_its_year_and_can_be_removed():
    with pytest.raises(ValidationError):
        internal_gender_training_save(
            training=InternalGenderTraining(
                year=2021, title="Gender tools", held_on=datetime.date(2020, 5, 4)
            )
        )
    training = internal_gender_training_save(training=InternalGenderTraining(year=2021, title="Gender tools"))

    internal_gender_training_delete(training=training)

    assert not InternalGenderTraining.objects.exists()
