"""Serializers of the report runs API: a run's state while a worker renders
it, and a request for a report."""

from typing import cast

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import ActionPlan
from members.models import MemberCity
from members.selectors import member_is_member_in, member_queryset_for_user
from reports.models import ReportKind, ReportRun, RunStatus


class ReportRunSerializer(serializers.ModelSerializer):
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
        read_only_fields = fields

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
        min_value=2000,
        max_value=2100,
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
        kind = data["kind"]
        year, plan_code, member = data.get("year"), data.get("plan_code", ""), data.get("member")
        if kind in (ReportKind.ANNUAL, ReportKind.SCORECARD) and not year:
            raise serializers.ValidationError({"year": _("Choose a year.")})
        if kind == ReportKind.THREE_YEAR and not ActionPlan.objects.filter(code=plan_code).exists():
            raise serializers.ValidationError({"plan_code": _("Choose an action plan.")})
        if kind == ReportKind.SCORECARD:
            if member is None:
                raise serializers.ValidationError({"member": _("Choose a member city.")})
            if not member_is_member_in(member=member, year=int(cast(int, year))):
                raise serializers.ValidationError(
                    {
                        "year": _("%(member)s was not a member in %(year)s.")
                        % {"member": member.name, "year": year}
                    }
                )
        # Only what the kind of report uses identifies it (as on the reports page).
        return {
            "kind": kind,
            "year": year if kind != ReportKind.THREE_YEAR else None,
            "plan_code": plan_code if kind == ReportKind.THREE_YEAR else "",
            "member": member if kind == ReportKind.SCORECARD else None,
            "language": data["language"],
        }
