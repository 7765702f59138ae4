"""Endpoints of the activities records.

Association-wide records (events, pilot projects, learning activities,
publications, action plans) are read by every logged-in account. A member
city's own records (its participations in events and in learning, its
contributions to the platforms) are scoped like the portal: a city account
reads its own city's, another city's answers 404. Every list fetches its
related records in a fixed number of queries, whatever the number of rows.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from activities.models import (
    ActionLine,
    ActionPlan,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    PilotProject,
    PilotProjectMember,
    PlanMeasure,
    Publication,
)
from activities.selectors.city_records import (
    learning_participation_list_for_user,
    participation_list_for_user,
    platform_contribution_list_for_user,
)
from activities.selectors.plans import plan_rollup, plan_rollups
from metropolis.api.filters import year_parameter
from metropolis.api.viewsets import AccountRecordsViewSet, ReadOnlyApiViewSet
from metropolis.years import FIRST_YEAR, LAST_YEAR

from .filters import (
    ActionPlanFilter,
    EventFilter,
    LearningActivityFilter,
    LearningParticipationFilter,
    ParticipationFilter,
    PilotProjectFilter,
    PlatformContributionFilter,
    PublicationFilter,
)
from .serializers import (
    ActionPlanSerializer,
    EventSerializer,
    LearningActivitySerializer,
    LearningParticipationSerializer,
    ParticipationSerializer,
    PilotProjectSerializer,
    PlanRollupSerializer,
    PlatformContributionSerializer,
    PublicationSerializer,
)

EVENTS_TAG = "Events"
PROJECTS_TAG = "Pilot projects"
LEARNING_TAG = "Learning"
PUBLICATIONS_TAG = "Publications and platforms"
PLANS_TAG = "Action plans"

_TITLE_SEARCH = ["title_en", "title_es", "title_fr", "title_zh_hans", "slug"]


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description=(
            "The association's events, statutory meetings, campaigns and the international events it "
            "took part in, with head counts by gender and accessibility. Filter by a date range "
            "(`date_from`, `date_to`: events that take place in it), year, kind, format (`event_format`), "
            "campaign, gender approach, action line or SDG goal."
        ),
        examples=[
            OpenApiExample(
                "A webinar",
                response_only=True,
                value={
                    "id": 7,
                    "slug": "2021-women-in-urban-leadership",
                    "title": "Women in urban leadership",
                    "kind": "webinar",
                    "campaign": "international_womens_day",
                    "led_by_association": True,
                    "format": "online",
                    "year": 2021,
                    "start_date": "2021-03-08",
                    "end_date": "2021-03-08",
                    "city": "",
                    "country": "",
                    "other_organisers": "",
                    "gender_approach": True,
                    "action_line": {"id": 2, "code": "L2", "title": "Gender equality", "plan": "2021-2023"},
                    "sdg_goals": [5, 11],
                    "sessions": 1,
                    "participants_total": 180,
                    "participants_women": 120,
                    "participants_men": 55,
                    "participants_another": 5,
                    "speakers_total": 6,
                    "speakers_women": 5,
                    "speakers_men": 1,
                    "speakers_another": 0,
                    "sign_language": True,
                    "live_captions": True,
                    "webcast": True,
                },
            )
        ],
        tags=[EVENTS_TAG],
    ),
    retrieve=extend_schema(summary="One event", description="An event of the calendar.", tags=[EVENTS_TAG]),
)
class EventViewSet(ReadOnlyApiViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    search_fields = [*_TITLE_SEARCH, "city"]
    ordering_fields = ["start_date", "year", "title", "kind", "id"]
    ordering = ["year", "start_date", "slug"]
    queryset = Event.objects.select_related("action_line__plan").prefetch_related("sdg_goals")


@extend_schema_view(
    list=extend_schema(
        summary="List participations in events",
        description=(
            "Which member city took part in which event, with its most prominent role. A city account "
            "gets its own city's."
        ),
        tags=[EVENTS_TAG],
    ),
    retrieve=extend_schema(
        summary="One participation in an event",
        description="Another city's participation answers 404 to a city account.",
        tags=[EVENTS_TAG],
    ),
)
class ParticipationViewSet(AccountRecordsViewSet):
    selector = participation_list_for_user
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilter
    ordering_fields = ["id", "role"]
    ordering = ["event__year", "event_id", "member__name_en", "id"]


@extend_schema_view(
    list=extend_schema(
        summary="List pilot projects",
        description="Pilot projects with their member cities and each one's role (leader or partner).",
        tags=[PROJECTS_TAG],
    ),
    retrieve=extend_schema(summary="One pilot project", description="A pilot project.", tags=[PROJECTS_TAG]),
)
class PilotProjectViewSet(ReadOnlyApiViewSet):
    serializer_class = PilotProjectSerializer
    filterset_class = PilotProjectFilter
    search_fields = _TITLE_SEARCH
    ordering_fields = ["start_year", "title", "id"]
    ordering = ["-start_year", "slug"]
    queryset = PilotProject.objects.select_related("action_line__plan", "call").prefetch_related(
        "sdg_goals",
        Prefetch(
            "memberships",
            queryset=PilotProjectMember.objects.select_related("member").order_by("role", "member__name_en"),
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary="List learning activities",
        description="Courses, webinars and learning programme editions.",
        tags=[LEARNING_TAG],
    ),
    retrieve=extend_schema(
        summary="One learning activity", description="A learning activity.", tags=[LEARNING_TAG]
    ),
)
class LearningActivityViewSet(ReadOnlyApiViewSet):
    serializer_class = LearningActivitySerializer
    filterset_class = LearningActivityFilter
    search_fields = _TITLE_SEARCH
    ordering_fields = ["year", "start_date", "title", "id"]
    ordering = ["year", "start_date", "slug"]
    queryset = LearningActivity.objects.select_related("action_line__plan").prefetch_related("sdg_goals")


@extend_schema_view(
    list=extend_schema(
        summary="List learning participations",
        description=(
            "How many times a member city took part in learning activities in a year, in one activity "
            "or in the year's as a whole (`activity` null). A city account gets its own city's."
        ),
        tags=[LEARNING_TAG],
    ),
    retrieve=extend_schema(
        summary="One learning participation",
        description="Another city's answers 404 to a city account.",
        tags=[LEARNING_TAG],
    ),
)
class LearningParticipationViewSet(AccountRecordsViewSet):
    selector = learning_participation_list_for_user
    serializer_class = LearningParticipationSerializer
    filterset_class = LearningParticipationFilter
    ordering_fields = ["year", "times", "id"]
    ordering = ["-year", "member__name_en", "id"]


@extend_schema_view(
    list=extend_schema(
        summary="List publications",
        description=(
            "The association's publications with the member cities that contributed. Filter by year, "
            "kind, gender perspective, action line or contributing member."
        ),
        tags=[PUBLICATIONS_TAG],
    ),
    retrieve=extend_schema(summary="One publication", description="A publication.", tags=[PUBLICATIONS_TAG]),
)
class PublicationViewSet(ReadOnlyApiViewSet):
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    search_fields = _TITLE_SEARCH
    ordering_fields = ["year", "published_on", "title", "id"]
    ordering = ["-year", "slug"]
    queryset = Publication.objects.select_related("action_line__plan").prefetch_related(
        "sdg_goals", "contributing_members"
    )


@extend_schema_view(
    list=extend_schema(
        summary="List platform contributions",
        description=(
            "News items, publications, Urban Sustainability Exchange cases and Cities for Global Health "
            "initiatives member cities put on the association's platforms. A city account gets its own city's."
        ),
        tags=[PUBLICATIONS_TAG],
    ),
    retrieve=extend_schema(
        summary="One platform contribution",
        description="Another city's answers 404 to a city account.",
        tags=[PUBLICATIONS_TAG],
    ),
)
class PlatformContributionViewSet(AccountRecordsViewSet):
    selector = platform_contribution_list_for_user
    serializer_class = PlatformContributionSerializer
    filterset_class = PlatformContributionFilter
    search_fields = ["title"]
    ordering_fields = ["year", "published_on", "id"]
    ordering = ["-year", "kind", "member__name_en", "id"]


class RollupYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


ROLLUP_YEAR = year_parameter(required=True)

ROLLUP_EXAMPLE = OpenApiExample(
    "Plan 2021-2023 at the end of 2021",
    response_only=True,
    value={
        "plan": {
            "id": 2,
            "code": "2021-2023",
            "title": "Strategic Action Plan",
            "start_year": 2021,
            "end_year": 2023,
        },
        "year": 2021,
        "counts": {"attained": 30, "in_progress": 12, "not_developed": 3, "not_reported": 0, "total": 45},
        "lines": [
            {
                "line": {"id": 4, "code": "L1", "title": "Metropolitan governance"},
                "counts": {
                    "attained": 10,
                    "in_progress": 4,
                    "not_developed": 1,
                    "not_reported": 0,
                    "total": 15,
                },
            }
        ],
    },
)


def _rollup_year(request: Request) -> int:
    query = RollupYearSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["year"]


@extend_schema_view(
    list=extend_schema(
        summary="List action plans",
        description=(
            "Strategic action plans with their lines, measures or actions, deliverables and each "
            "deliverable's status per year (with the events, publications and pilot projects that "
            "delivered it)."
        ),
        tags=[PLANS_TAG],
    ),
    retrieve=extend_schema(
        summary="One action plan", description="A plan with its whole tree.", tags=[PLANS_TAG]
    ),
)
class ActionPlanViewSet(ReadOnlyApiViewSet):
    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    search_fields = ["code", "title_en"]
    ordering_fields = ["start_year", "code", "id"]
    ordering = ["-start_year", "code"]
    queryset = ActionPlan.objects.prefetch_related(
        "sdg_goals",
        Prefetch(
            "lines",
            queryset=ActionLine.objects.order_by("position", "code").prefetch_related(
                Prefetch(
                    "measures",
                    queryset=PlanMeasure.objects.order_by("position", "code").prefetch_related(
                        Prefetch(
                            "deliverables",
                            queryset=Deliverable.objects.order_by("position", "code").prefetch_related(
                                Prefetch(
                                    "statuses",
                                    queryset=DeliverableStatus.objects.order_by("year").prefetch_related(
                                        "events", "publications", "pilot_projects"
                                    ),
                                )
                            ),
                        )
                    ),
                )
            ),
        ),
    )

    def get_queryset(self):
        # A roll-up counts rows itself: it needs the plan, not its whole tree.
        if self.action == "rollup":
            return ActionPlan.objects.all()
        return super().get_queryset()

    @extend_schema(
        summary="A plan's deliverables per status in a year",
        description=(
            "How many of the plan's deliverables were attained, in progress, not developed or not "
            "reported at the end of `year`, per line and for the plan (one definition: "
            "`activities.selectors.plan_rollup`)."
        ),
        parameters=[ROLLUP_YEAR],
        responses={200: PlanRollupSerializer},
        examples=[ROLLUP_EXAMPLE],
        filters=False,
        tags=[PLANS_TAG],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rollup(self, request: Request, pk: str) -> Response:
        year = _rollup_year(request)
        return Response(PlanRollupSerializer(plan_rollup(plan=self.get_object(), year=year)).data)

    @extend_schema(
        summary="Every plan in force in a year, per status",
        description="The roll-up of each plan in force in `year`.",
        parameters=[ROLLUP_YEAR],
        responses={200: PlanRollupSerializer(many=True)},
        filters=False,
        tags=[PLANS_TAG],
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def rollups(self, request: Request) -> Response:
        year = _rollup_year(request)
        return Response(PlanRollupSerializer(plan_rollups(year=year), many=True).data)
