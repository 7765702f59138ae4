"""What API users filter the activities records by (django-filter)."""

import datetime

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from activities.models import (
    ActionPlan,
    Campaign,
    Event,
    EventFormat,
    EventKind,
    LearningActivity,
    LearningKind,
    LearningParticipation,
    Participation,
    ParticipationRole,
    PilotProject,
    PilotProjectMember,
    PlatformContribution,
    PlatformKind,
    ProjectRole,
    ProjectStatus,
    Publication,
    PublicationKind,
)
from metropolis.api.filters import IdFilter, YearFilter


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 17})
class SdgGoalFilter(filters.NumberFilter):
    """The number of one of the seventeen SDG goals; another number answers 400
    (the bounds are stated in the schema)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 17)
        super().__init__(*args, **kwargs)


class EventFilter(filters.FilterSet):
    year = YearFilter()
    kind = filters.ChoiceFilter(choices=EventKind.choices)
    # Not "format": DRF reads ?format= as the response's format (json, api).
    event_format = filters.ChoiceFilter(
        field_name="format", choices=EventFormat.choices, help_text="In person, online or hybrid."
    )
    campaign = filters.ChoiceFilter(choices=Campaign.choices)
    action_line = IdFilter(field_name="action_line")
    plan = filters.CharFilter(field_name="action_line__plan__code", help_text="The code of an action plan.")
    sdg_goal = SdgGoalFilter(method="filter_sdg_goal", help_text="The number of an SDG goal (1-17).")
    date_from = filters.DateFilter(
        method="filter_date_from", help_text="Events that end on or after this day (dated events only)."
    )
    date_to = filters.DateFilter(
        method="filter_date_to", help_text="Events that start on or before this day (dated events only)."
    )

    class Meta:
        model = Event
        fields = [
            "year",
            "kind",
            "event_format",
            "campaign",
            "gender_approach",
            "led_by_association",
            "action_line",
        ]

    def filter_sdg_goal(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(pk__in=Event.objects.filter(sdg_goals__number=value).values("pk"))

    def filter_date_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.alias(last_day=Coalesce(F("end_date"), F("start_date"))).filter(last_day__gte=value)

    def filter_date_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(start_date__lte=value)


class ParticipationFilter(filters.FilterSet):
    event = IdFilter(field_name="event")
    member = IdFilter(field_name="member")
    year = YearFilter(field_name="event__year")
    role = filters.ChoiceFilter(choices=ParticipationRole.choices)
    event_kind = filters.ChoiceFilter(field_name="event__kind", choices=EventKind.choices)

    class Meta:
        model = Participation
        fields = ["event", "member", "year", "role", "event_kind"]


class PilotProjectFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ProjectStatus.choices)
    year = YearFilter(method="filter_year", help_text="Projects running in that year.")
    action_line = IdFilter(field_name="action_line")
    member = IdFilter(method="filter_member", help_text="Projects the member city takes part in.")
    role = filters.ChoiceFilter(
        choices=ProjectRole.choices, method="filter_role", help_text="With `member`: its role in the project."
    )

    class Meta:
        model = PilotProject
        fields = ["status", "year", "gender_approach", "action_line"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(start_year__lte=value).filter(
            Q(end_year__isnull=True) | Q(end_year__gte=value)
        )

    def filter_member(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        memberships = PilotProjectMember.objects.filter(member_id=value)
        role = self.form.cleaned_data.get("role")
        if role:
            memberships = memberships.filter(role=role)
        return queryset.filter(pk__in=memberships.values("project"))

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Qualifies `member`; alone: projects with a member in that role (every project has a leader).
        if self.form.cleaned_data.get("member") is not None:
            return queryset
        return queryset.filter(pk__in=PilotProjectMember.objects.filter(role=value).values("project"))


class LearningActivityFilter(filters.FilterSet):
    year = YearFilter()
    kind = filters.ChoiceFilter(choices=LearningKind.choices)
    action_line = IdFilter(field_name="action_line")

    class Meta:
        model = LearningActivity
        fields = ["year", "kind", "gender_approach", "action_line"]


class LearningParticipationFilter(filters.FilterSet):
    member = IdFilter(field_name="member")
    year = YearFilter()
    activity = IdFilter(field_name="activity")

    class Meta:
        model = LearningParticipation
        fields = ["member", "year", "activity"]


class PublicationFilter(filters.FilterSet):
    year = YearFilter()
    kind = filters.ChoiceFilter(choices=PublicationKind.choices)
    action_line = IdFilter(field_name="action_line")
    member = IdFilter(method="filter_member", help_text="Publications the member city contributed to.")

    class Meta:
        model = Publication
        fields = ["year", "kind", "gender_perspective", "action_line"]

    def filter_member(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(pk__in=Publication.objects.filter(contributing_members=value).values("pk"))


class PlatformContributionFilter(filters.FilterSet):
    member = IdFilter(field_name="member")
    year = YearFilter()
    kind = filters.ChoiceFilter(choices=PlatformKind.choices)

    class Meta:
        model = PlatformContribution
        fields = ["member", "year", "kind"]


class ActionPlanFilter(filters.FilterSet):
    year = YearFilter(method="filter_year", help_text="Plans in force in that year.")

    class Meta:
        model = ActionPlan
        fields = ["code", "year"]

    def filter_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(start_year__lte=value, end_year__gte=value)
