"""Serializers of the activities API (read only: the secretariat records
activities in the admin, through the activities services). Related records
are named by id and, where a client needs it to print a row, a short summary;
the querysets of the views fetch them in a fixed number of queries."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import (
    ActionLine,
    ActionPlan,
    Campaign,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    LearningParticipation,
    Participation,
    PilotProject,
    PilotProjectMember,
    PlanMeasure,
    PlatformContribution,
    Publication,
    PublicationLanguage,
)
from members.api.serializers import MemberSummarySerializer
from metropolis.api.serializers import ReadOnlyModelSerializer


class ActionLineSummarySerializer(ReadOnlyModelSerializer):
    plan = serializers.CharField(source="plan.code", help_text="The code of the line's action plan.")

    class Meta:
        model = ActionLine
        fields = ["id", "code", "title", "plan"]


@extend_schema_field(serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=17)))
class SdgGoalNumbersField(serializers.Field):
    """The numbers of the SDG goals a record is tagged with (prefetched)."""

    def to_representation(self, manager):
        return [goal.number for goal in manager.all()]


class EventSerializer(ReadOnlyModelSerializer):
    action_line = ActionLineSummarySerializer(allow_null=True)
    sdg_goals = SdgGoalNumbersField()
    country = serializers.CharField(help_text="The host country's code; empty online.")
    # Declared: a read-only field of the model would lose its empty choice in the schema.
    campaign = serializers.ChoiceField(choices=Campaign.choices, allow_blank=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "campaign",
            "led_by_association",
            "format",
            "year",
            "start_date",
            "end_date",
            "city",
            "country",
            "other_organisers",
            "gender_approach",
            "action_line",
            "sdg_goals",
            "sessions",
            "participants_total",
            "participants_women",
            "participants_men",
            "participants_another",
            "speakers_total",
            "speakers_women",
            "speakers_men",
            "speakers_another",
            "sign_language",
            "live_captions",
            "webcast",
        ]


class EventSummarySerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "slug", "title", "year", "kind"]


class ParticipationSerializer(ReadOnlyModelSerializer):
    event = EventSummarySerializer()
    member = MemberSummarySerializer()

    class Meta:
        model = Participation
        fields = ["id", "event", "member", "role", "note"]


class ProjectMemberSerializer(ReadOnlyModelSerializer):
    member = MemberSummarySerializer()

    class Meta:
        model = PilotProjectMember
        fields = ["member", "role"]


class PilotProjectSerializer(ReadOnlyModelSerializer):
    action_line = ActionLineSummarySerializer(allow_null=True)
    sdg_goals = SdgGoalNumbersField()
    members = ProjectMemberSerializer(source="memberships", many=True, help_text="Leaders and partners.")
    call = serializers.IntegerField(
        source="call.year", allow_null=True, help_text="The year of the call it was selected in."
    )

    class Meta:
        model = PilotProject
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "start_year",
            "end_year",
            "status",
            "budget",
            "currency",
            "gender_approach",
            "action_line",
            "sdg_goals",
            "call",
            "members",
        ]


class LearningActivitySerializer(ReadOnlyModelSerializer):
    action_line = ActionLineSummarySerializer(allow_null=True)
    sdg_goals = SdgGoalNumbersField()

    class Meta:
        model = LearningActivity
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "year",
            "start_date",
            "end_date",
            "gender_approach",
            "action_line",
            "sdg_goals",
        ]


class LearningParticipationSerializer(ReadOnlyModelSerializer):
    member = MemberSummarySerializer()

    class Meta:
        model = LearningParticipation
        fields = ["id", "member", "year", "activity", "times", "note"]


class PublicationSerializer(ReadOnlyModelSerializer):
    action_line = ActionLineSummarySerializer(allow_null=True)
    sdg_goals = SdgGoalNumbersField()
    languages = serializers.ListField(child=serializers.ChoiceField(choices=PublicationLanguage.choices))
    contributing_members = MemberSummarySerializer(many=True)
    file = serializers.FileField(allow_null=True, use_url=True)
    # A plain string: it may be empty (the schema's "uri" format would refuse that).
    url = serializers.CharField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "year",
            "published_on",
            "languages",
            "gender_perspective",
            "url",
            "file",
            "action_line",
            "sdg_goals",
            "contributing_members",
        ]


class PlatformContributionSerializer(ReadOnlyModelSerializer):
    member = MemberSummarySerializer()
    url = serializers.CharField(help_text="May be empty.")

    class Meta:
        model = PlatformContribution
        fields = ["id", "member", "year", "kind", "title", "url", "published_on"]


# Action plans ------------------------------------------------------------------------


class DeliverableStatusSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = DeliverableStatus
        fields = ["year", "status", "status_printed", "note", "events", "publications", "pilot_projects"]


class DeliverableSerializer(ReadOnlyModelSerializer):
    statuses = DeliverableStatusSerializer(many=True, help_text="Where it stood at the end of each year.")

    class Meta:
        model = Deliverable
        fields = ["id", "code", "code_printed", "title", "statuses"]


class PlanMeasureSerializer(ReadOnlyModelSerializer):
    deliverables = DeliverableSerializer(many=True)

    class Meta:
        model = PlanMeasure
        fields = ["id", "kind", "code", "title", "deliverables"]


class ActionLineSerializer(ReadOnlyModelSerializer):
    measures = PlanMeasureSerializer(many=True)

    class Meta:
        model = ActionLine
        fields = ["id", "code", "title", "measures"]


class ActionPlanSerializer(ReadOnlyModelSerializer):
    sdg_goals = SdgGoalNumbersField()
    lines = ActionLineSerializer(many=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "code",
            "title",
            "start_year",
            "end_year",
            "sdg_goals",
            "published_total",
            "published_attained",
            "published_in_progress",
            "published_not_developed",
            "lines",
        ]


class StatusCountsSerializer(serializers.Serializer):
    attained = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_developed = serializers.IntegerField()
    not_reported = serializers.IntegerField(help_text="Deliverables with no status recorded for the year.")
    total = serializers.IntegerField()


class ActionPlanSummarySerializer(ReadOnlyModelSerializer):
    class Meta:
        model = ActionPlan
        fields = ["id", "code", "title", "start_year", "end_year"]


class ActionLineBriefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = ActionLine
        fields = ["id", "code", "title"]


class LineRollupSerializer(serializers.Serializer):
    line = ActionLineBriefSerializer()
    counts = StatusCountsSerializer()


class PlanRollupSerializer(serializers.Serializer):
    """Deliverables per status in a year (``activities.selectors.plan_rollup``)."""

    plan = ActionPlanSummarySerializer()
    year = serializers.IntegerField()
    counts = StatusCountsSerializer()
    lines = LineRollupSerializer(many=True)
