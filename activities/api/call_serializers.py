"""Serializers of the review engine's API (read only: applicants write through
the public form, jurors through their pages, the secretariat in the admin).

What an account is shown depends on who reads: the screening and the jury's
outcome (``eligibility``, ``is_finalist``, ``is_winner``) only to the
secretariat and the communications team (an applicant follows
``applicant_status``, which says only what has been announced); under an
anonymised review a juror reads no city, country or names."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import (
    ApplicantStatus,
    Call,
    CallAnswer,
    CallAttachment,
    CallQuestion,
    CallSubmission,
    Eligibility,
    ReviewAssignment,
    ReviewScore,
    RubricCriterion,
)
from activities.selectors.calls import hides_applicant
from members.permissions import reads_every_city
from metropolis.api.serializers import ReadOnlyModelSerializer


class CallQuestionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CallQuestion
        fields = ["id", "position", "kind", "text", "help_text", "required", "shown_in_library"]


class RubricCriterionSerializer(ReadOnlyModelSerializer):
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = RubricCriterion
        fields = ["id", "position", "name", "description", "weight", "min_score", "max_score"]


class CallSerializer(ReadOnlyModelSerializer):
    questions = CallQuestionSerializer(many=True)
    criteria = RubricCriterionSerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "slug",
            "kind",
            "title",
            "year",
            "edition",
            "description",
            "phase",
            "opens_at",
            "closes_at",
            "time_zone",
            "reviews_per_submission",
            "reviews_due_at",
            "anonymised_review",
            "published_at",
            "questions",
            "criteria",
        ]


@extend_schema_field(serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=17)))
class GoalNumbersField(serializers.Field):
    def to_representation(self, manager):
        return [goal.number for goal in manager.all()]


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class TargetCodesField(serializers.Field):
    def to_representation(self, manager):
        return [target.code for target in manager.all()]


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class MemberIdsField(serializers.Field):
    def to_representation(self, manager):
        return [member.pk for member in manager.all()]


class CallAnswerSerializer(ReadOnlyModelSerializer):
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    sdg_goals = GoalNumbersField()
    sdg_targets = TargetCodesField()
    partner_members = MemberIdsField()

    class Meta:
        model = CallAnswer
        fields = ["question", "text", "amount", "currency", "sdg_goals", "sdg_targets", "partner_members"]


class CallAttachmentSerializer(ReadOnlyModelSerializer):
    original_name = serializers.CharField(
        allow_null=True, help_text="Null for a juror under anonymised review."
    )

    class Meta:
        model = CallAttachment
        fields = ["id", "question", "original_name", "content_type", "size"]


class CallSubmissionSerializer(ReadOnlyModelSerializer):
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    city_name = serializers.CharField(allow_null=True, help_text="Null for a juror under anonymised review.")
    country = serializers.CharField(
        allow_null=True, help_text="ISO code; null for a juror under anonymised review."
    )
    member = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    applicant_status = serializers.ChoiceField(
        choices=ApplicantStatus.choices, help_text="Where the submission stands, as its applicant is told."
    )
    eligibility = serializers.ChoiceField(
        choices=Eligibility.choices, allow_null=True, help_text="The screening; for the secretariat only."
    )
    is_finalist = serializers.BooleanField(allow_null=True, help_text="For the secretariat only.")
    is_winner = serializers.BooleanField(allow_null=True, help_text="For the secretariat only.")
    answers = CallAnswerSerializer(many=True)
    attachments = CallAttachmentSerializer(many=True)

    class Meta:
        model = CallSubmission
        fields = [
            "id",
            "call",
            "number",
            "title",
            "summary",
            "language",
            "city_name",
            "country",
            "member",
            "region",
            "status",
            "submitted_at",
            "applicant_status",
            "eligibility",
            "is_finalist",
            "is_winner",
            "answers",
            "attachments",
        ]

    def to_representation(self, submission: CallSubmission) -> dict:
        data = super().to_representation(submission)
        user = self.context["request"].user
        data["country"] = submission.country.code if submission.country else None
        data["applicant_status"] = submission.applicant_status()
        if not reads_every_city(user):
            data.update(eligibility=None, is_finalist=None, is_winner=None)
        if hides_applicant(user=user, submission=submission):
            data.update(city_name=None, country=None, member=None, region=None)
            for attachment in data["attachments"]:
                attachment["original_name"] = None
        return data


class ReviewScoreSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = ReviewScore
        fields = ["criterion", "score", "comment"]


class ReviewSerializer(ReadOnlyModelSerializer):
    call = serializers.IntegerField(source="juror.call_id")
    juror = serializers.CharField(source="juror.user.get_full_name", help_text="The juror's name.")
    scores = ReviewScoreSerializer(many=True)

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "call",
            "submission",
            "juror",
            "is_manual",
            "assigned_at",
            "submitted_at",
            "comment",
            "scores",
        ]


class RankedSubmissionSerializer(serializers.Serializer):
    position = serializers.IntegerField(allow_null=True, help_text="Null until the submission has a review.")
    submission = serializers.IntegerField(source="submission.pk")
    number = serializers.IntegerField(source="submission.number")
    title = serializers.CharField(source="submission.title")
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    low = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    high = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, coerce_to_string=False)
    reviewed = serializers.IntegerField(help_text="Reviews submitted.")
    assigned = serializers.IntegerField(help_text="Reviews assigned.")
    tie_rule = serializers.CharField(
        help_text="The tie rule that ranked it after an equal mean; empty otherwise."
    )
