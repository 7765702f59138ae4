"""factory_boy factories for the gender app."""

import factory
from factory.django import DjangoModelFactory

from gender.models import (
    FundingEntry,
    GenderMainstreamingEngagement,
    InternalGenderTool,
    InternalGenderTraining,
    Programme,
    ProgrammeYear,
    StaffMember,
)
from tests.members.factories import MemberCityFactory


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    name = factory.Faker("name")
    role = "Policy officer"
    kind = "staff"
    gender = "woman"
    start_year = 2019


class GenderMainstreamingEngagementFactory(DjangoModelFactory):
    class Meta:
        model = GenderMainstreamingEngagement

    member = factory.SubFactory(MemberCityFactory)
    year = 2021


class InternalGenderTrainingFactory(DjangoModelFactory):
    class Meta:
        model = InternalGenderTraining

    year = 2021
    title = factory.Sequence(lambda n: f"Gender tools training {n}")


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Programme {n}")


class ProgrammeYearFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeYear

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2021


class FundingEntryFactory(DjangoModelFactory):
    class Meta:
        model = FundingEntry

    year = 2021
    source = "other"


class InternalGenderToolFactory(DjangoModelFactory):
    class Meta:
        model = InternalGenderTool

    year = 2021
    title = factory.Sequence(lambda n: f"Gender tool {n}")
