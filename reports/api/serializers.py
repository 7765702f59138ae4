"""Serializers of the report runs API: a run's state while a worker renders
it, and a request for a report."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import MemberCity
from members.selectors.scoping import member_queryset_for_user
from metropolis.api.serializers import ReadOnlyModelSerializer
from metropolis.years import FIRST_YEAR, LAST_YEAR
from reports.models import ReportKind, ReportRun, RunStatus
from reports.services import report_parameters


class ReportRunSerializer(ReadOnlyModelSerializer):
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="What the pre-flight check found."
    )
    download_url = serializers.SerializerMethodField(help_text="The PDF, once the run has succeeded.")

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "year",
            "plan_code",
            "member",
            "language",
            "status",
            "progress",
            "step",
            "message",
            "warnings",
            "page_count",
            "checksum",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, run: ReportRun) -> str | None:
        if run.status != RunStatus.SUCCEEDED or not run.output:
            return None
        path = reverse("api:report-run-download", args=[run.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _member_field(members: QuerySet[MemberCity]) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=members, required=False, allow_null=True, help_text="Scorecard: the member city."
    )


class ReportRunRequestSerializer(serializers.Serializer):
    """A report to render: the annual report of a year, the three-year report of
    an action plan, or a member's scorecard of a year (a city account: its own
    city's)."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        allow_null=True,
        help_text="Annual report and scorecard.",
    )
    plan_code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Three-year report: the plan's code.",
    )
    member = _member_field(MemberCity.objects.none())
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A member the account does not read is not found, as at its address.
        request = self.context.get("request")
        if request is not None:
            self.fields["member"] = _member_field(member_queryset_for_user(user=request.user))

    def validate(self, data: dict) -> dict:
        # Which parameters the kind takes, and whether they hold, is the
        # services' one rule (as on the reports page and the command line).
        try:
            params = report_parameters(
                kind=data["kind"],
                year=data.get("year"),
                plan_code=data.get("plan_code", ""),
                member=data.get("member"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return {"kind": data["kind"], "language": data["language"], **params}
