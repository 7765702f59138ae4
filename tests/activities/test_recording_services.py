"""The services that record yearly facts: counts kept as rows, recording again
replaces instead of adding, and each refusal names what is wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import (
    ActiveMemberYear,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    Publication,
    PublicationKind,
    PublicationMention,
    SdgGoal,
    SdgTarget,
)
from activities.services.engagement import active_member_year_record, indicator_analysis_record
from activities.services.learning import learning_participation_record
from activities.services.plans import sdg_target_save
from activities.services.publications import (
    publication_mention_add,
    publication_mention_delete,
    publication_save,
)
from tests.members.factories import MemberCityFactory

from .factories import (
    LearningActivityFactory,
    PublicationFactory,
    sdg_goal,
)

pytestmark = pytest.mark.django_db


def test_a_learning_count_without_an_activity_is_recorded_once_per_member_and_year():
    member = MemberCityFactory()
    learning_participation_record(member=member, year=2021, times=3)
    learning_participation_record(member=member, year=2021, times=4)
    assert list(LearningParticipation.objects.values_list("activity", "year", "times")) == [(None, 2021, 4)]


def test_a_learning_count_per_activity_sits_next_to_the_yearly_count():
    member = MemberCityFactory()
    activity = LearningActivityFactory(year=2021)
    learning_participation_record(member=member, year=2021, times=2)
    learning_participation_record(member=member, year=2021, times=1, activity=activity)
    learning_participation_record(member=member, year=2021, times=2, activity=activity)
    assert sorted(LearningParticipation.objects.values_list("times", flat=True)) == [2, 2]


def test_a_learning_count_of_another_year_than_its_activity_is_refused():
    activity = LearningActivityFactory(year=2021)
    with pytest.raises(ValidationError) as refusal:
        learning_participation_record(member=MemberCityFactory(), year=2020, times=1, activity=activity)
    assert refusal.value.message_dict["year"] == ["The activity took place in 2021."]
    assert not LearningParticipation.objects.exists()


def test_a_learning_count_of_zero_is_refused():
    with pytest.raises(ValidationError):
        learning_participation_record(member=MemberCityFactory(), year=2021, times=0)
    assert not LearningParticipation.objects.exists()


def test_mentions_are_rows_with_or_without_a_publication():
    member = MemberCityFactory()
    publication = PublicationFactory(year=2021)
    publication_mention_add(member=member, year=2021, publication=publication)
    publication_mention_add(member=member, year=2021)
    assert PublicationMention.objects.filter(member=member, year=2021).count() == 2
    with pytest.raises(ValidationError):
        publication_mention_add(member=member, year=2020, publication=publication)
    assert PublicationMention.objects.count() == 2


def test_a_publication_is_saved_with_its_languages_and_contributors():
    contributor = MemberCityFactory()
    publication = publication_save(
        publication=Publication(
            slug="non-sexist-language-handbook",
            title="Handbook on non-sexist language",
            kind=PublicationKind.HANDBOOK,
            year=2021,
            published_on=datetime.date(2021, 3, 8),
            languages=["en", "es", "fr", "zh-hans"],
            gender_perspective=True,
            url="https://www.metropolis.org/",
        ),
        contributing_members=[contributor],
        sdg_goals=[sdg_goal(5)],
    )
    publication.refresh_from_db()
    assert publication.languages == ["en", "es", "fr", "zh-hans"]
    assert list(publication.contributing_members.all()) == [contributor]
    assert list(publication.sdg_goals.values_list("number", flat=True)) == [5]


def test_a_publication_in_an_unknown_language_is_refused():
    with pytest.raises(ValidationError) as refusal:
        publication_save(
            publication=Publication(
                slug="x", title="X", kind=PublicationKind.REPORT, year=2021, languages=["klingon"]
            )
        )
    assert "languages" in refusal.value.message_dict
    assert not Publication.objects.exists()


def test_recording_an_analysis_or_an_active_year_twice_keeps_one_row():
    member = MemberCityFactory()
    indicator_analysis_record(member=member, year=2021)
    indicator_analysis_record(member=member, year=2021, benchmark_position=12)
    active_member_year_record(member=member, year=2021)
    active_member_year_record(member=member, year=2021, basis="Board and Congress")
    assert list(MetropolitanIndicatorAnalysis.objects.values_list("benchmark_position", flat=True)) == [12]
    assert list(ActiveMemberYear.objects.values_list("basis", flat=True)) == ["Board and Congress"]


def test_the_seventeen_goals_are_there_in_four_languages():
    assert SdgGoal.objects.count() == 17
    goal = SdgGoal.objects.get(number=11)
    assert (goal.name_en, goal.name_es, goal.name_fr, goal.name_zh_hans) == (
        "Sustainable Cities and Communities",
        "Ciudades y comunidades sostenibles",
        "Villes et communautés durables",
        "可持续城市和社区",
    )


@pytest.mark.parametrize(
    ("goal", "code", "accepted"),
    [(11, "11.1", True), (11, "11.a", True), (11, "5.1", False), (11, "11", False), (17, "17.19", True)],
)
def test_a_target_code_names_its_goal(goal, code, accepted):
    target = SdgTarget(goal=sdg_goal(goal), code=code, title="")
    if accepted:
        sdg_target_save(target=target)
        assert SdgTarget.objects.filter(code=code).exists()
    else:
        with pytest.raises(ValidationError):
            sdg_target_save(target=target)
        assert not SdgTarget.objects.exists()


def test_removing_a_mention_lowers_the_members_count_by_one():
    member = MemberCityFactory()
    first = publication_mention_add(member=member, year=2021)
    publication_mention_add(member=member, year=2021)

    publication_mention_delete(mention=first)

    assert PublicationMention.objects.filter(member=member, year=2021).count() == 1
