"""A member city's own activity records as an account reads them: its
participations in events and in learning, its contributions to the platforms.
Each is scoped like every city record (``members.selectors.scoping``): the
secretariat and the communications team read every city's, a city account its
own city's, any other account none."""

from typing import Any

from django.db.models import QuerySet

from activities.models import LearningParticipation, Participation, PlatformContribution
from members.selectors.scoping import city_records_for_user


def participation_list_for_user(*, user: Any) -> QuerySet[Participation]:
    """Participations in events, with the event and the member."""
    return city_records_for_user(Participation.objects.select_related("event", "member"), user=user)


def learning_participation_list_for_user(*, user: Any) -> QuerySet[LearningParticipation]:
    """Participations in learning, with the member."""
    return city_records_for_user(LearningParticipation.objects.select_related("member"), user=user)


def platform_contribution_list_for_user(*, user: Any) -> QuerySet[PlatformContribution]:
    """Contributions to the association's platforms, with the member."""
    return city_records_for_user(PlatformContribution.objects.select_related("member"), user=user)
