"""Endpoints of the review engine (read only), scoped like the rest of the
portal: every account reads the calls that are not drafts (the secretariat and
the communications team every call); an applicant reads their own
submissions, a juror the submissions assigned to them (any other answers 404),
the secretariat everything; the reviews are the secretariat's and each
juror's own; the ranking is the secretariat's. Every list takes a fixed number
of queries whatever its length."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from activities.models import (
    Call,
    CallAnswer,
    CallAttachment,
    CallKind,
    CallPhase,
    CallSubmission,
    CallSubmissionStatus,
    ReviewAssignment,
)
from activities.selectors.calls import call_list_for_user, call_submissions_for_user, reviews_for_user
from activities.selectors.ranking import call_ranking
from members.permissions import is_secretariat
from metropolis.api.filters import IdFilter, YearFilter
from metropolis.api.viewsets import AccountRecordsViewSet

from .call_serializers import (
    CallSerializer,
    CallSubmissionSerializer,
    RankedSubmissionSerializer,
    ReviewSerializer,
)

CALLS_TAG = "Calls and awards"


class CallFilter(filters.FilterSet):
    year = YearFilter()
    kind = filters.ChoiceFilter(choices=CallKind.choices)
    phase = filters.ChoiceFilter(choices=CallPhase.choices)

    class Meta:
        model = Call
        fields = ["year", "kind", "phase"]


class CallSubmissionFilter(filters.FilterSet):
    call = IdFilter(field_name="call")
    status = filters.ChoiceFilter(choices=CallSubmissionStatus.choices)

    class Meta:
        model = CallSubmission
        fields = ["call", "status"]


class ReviewFilter(filters.FilterSet):
    call = IdFilter(field_name="juror__call")
    submission = IdFilter(field_name="submission")
    submitted = filters.BooleanFilter(
        field_name="submitted_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Submitted reviews only (or not).",
    )

    class Meta:
        model = ReviewAssignment
        fields = ["call", "submission", "submitted"]


CALL_EXAMPLE = OpenApiExample(
    "The Guangzhou Award",
    response_only=True,
    value={
        "id": 3,
        "slug": "guangzhou-award-2025",
        "kind": "award",
        "title": "6th Guangzhou International Award for Urban Innovation",
        "year": 2025,
        "edition": 6,
        "description": "",
        "phase": "open",
        "opens_at": "2025-01-06T00:00:00Z",
        "closes_at": "2025-03-31T15:59:00Z",
        "time_zone": "Asia/Shanghai",
        "reviews_per_submission": 3,
        "reviews_due_at": None,
        "anonymised_review": True,
        "published_at": None,
        "questions": [
            {
                "id": 7,
                "position": 1,
                "kind": "sdg_goals",
                "text": "Which goals does it advance?",
                "help_text": "",
                "required": True,
                "shown_in_library": True,
            }
        ],
        "criteria": [
            {
                "id": 2,
                "position": 1,
                "name": "Innovation",
                "description": "",
                "weight": 3.0,
                "min_score": 0,
                "max_score": 10,
            }
        ],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List calls and awards",
        description=(
            "The Guangzhou International Award for Urban Innovation and the calls for pilot projects, with "
            "their phase, dates (in UTC; `time_zone` is the one the call states them in), questions and "
            "rubric. Drafts are the secretariat's and the communications team's only."
        ),
        examples=[CALL_EXAMPLE],
        tags=[CALLS_TAG],
    ),
    retrieve=extend_schema(
        summary="One call or award", description="A call with its questions and rubric.", tags=[CALLS_TAG]
    ),
)
class CallViewSet(AccountRecordsViewSet):
    selector = call_list_for_user
    serializer_class = CallSerializer
    filterset_class = CallFilter
    search_fields = ["slug", "title_en", "title_es", "title_fr", "title_zh_hans"]
    ordering_fields = ["year", "closes_at", "id"]
    ordering = ["-year", "slug"]

    @extend_schema(
        summary="The ranking of a call (secretariat)",
        description=(
            "The call's eligible submissions ranked by the weighted mean (0-100) of their submitted reviews, "
            "with the spread, the lowest and highest review and the tie rule that ordered equal means "
            "(`activities.selectors.ranking`). Another account gets 403."
        ),
        responses={200: RankedSubmissionSerializer(many=True)},
        filters=False,
        tags=[CALLS_TAG],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def ranking(self, request: Request, pk: str) -> Response:
        if not is_secretariat(request.user):
            raise PermissionDenied("Only the secretariat reads the ranking.")
        ranking = call_ranking(call=self.get_object())
        return Response(RankedSubmissionSerializer(ranking.rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="List submissions to calls",
        description=(
            "An applicant gets their own submissions, a juror those assigned to them (without the city, the "
            "country and the names under anonymised review), the secretariat every one, the communications "
            "team every submitted one. `applicant_status` is what the applicant is told; the screening and "
            "the jury's outcome are given to the secretariat and the communications team only."
        ),
        tags=[CALLS_TAG],
    ),
    retrieve=extend_schema(
        summary="One submission to a call",
        description="Another applicant's submission, or one not assigned to the juror, answers 404.",
        tags=[CALLS_TAG],
    ),
)
class CallSubmissionViewSet(AccountRecordsViewSet):
    selector = call_submissions_for_user
    serializer_class = CallSubmissionSerializer
    filterset_class = CallSubmissionFilter
    search_fields = ["title"]
    ordering_fields = ["number", "submitted_at", "id"]
    ordering = ["call_id", "number"]

    def get_queryset(self):
        answers = CallAnswer.objects.prefetch_related("sdg_goals", "sdg_targets", "partner_members")
        submissions = super().get_queryset()
        return submissions.prefetch_related(
            Prefetch("answers", queryset=answers),
            Prefetch("attachments", queryset=CallAttachment.objects.order_by("question__position", "pk")),
        )


@extend_schema_view(
    list=extend_schema(
        summary="List reviews",
        description=(
            "The jury's reviews, each with its scores by criterion and comments: every one for the "
            "secretariat, a juror's own for a juror; none for anyone else."
        ),
        tags=[CALLS_TAG],
    ),
    retrieve=extend_schema(
        summary="One review",
        description="Another juror's review answers 404.",
        tags=[CALLS_TAG],
    ),
)
class ReviewViewSet(AccountRecordsViewSet):
    selector = reviews_for_user
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    ordering_fields = ["assigned_at", "submitted_at", "id"]
    ordering = ["submission__number", "id"]
