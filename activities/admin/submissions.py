"""The review queue of the cities' submissions in the admin: approve (the item
becomes its activity record) or reject with a reason the city sees."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.forms import (
    SubmissionRejectForm,
)
from activities.models import Submission, SubmissionStatus
from activities.services.submissions import submission_approve, submission_reject
from members.admin.common import SimpleHistoryAdmin, acting_user, run_form_action, search_through
from metropolis.refusals import refusal_text


class SubmissionStatusFilter(admin.SimpleListFilter):
    """The review queue first: pending submissions unless another status is chosen."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [*SubmissionStatus.choices, ("all", gettext("All"))]

    def choices(self, changelist: Any):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or SubmissionStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or SubmissionStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """The review queue of what member cities propose from the portal. A
    submission is approved or rejected with the actions, which call the
    services: approval creates the record, rejection sends the reason back."""

    list_display = [
        "title",
        "member",
        "kind",
        "year",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
    ]
    list_select_related = ["member", "submitted_by", "reviewed_by"]
    list_filter = [SubmissionStatusFilter, "kind", "year"]
    search_fields = ["title", "description", *search_through("member")]
    readonly_fields = [
        "member",
        "kind",
        "year",
        "title",
        "url",
        "happened_on",
        "description",
        "publication_kind",
        "status",
        "reason",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "platform_contribution",
        "participation",
        "publication",
    ]
    fields = readonly_fields
    actions = ["approve", "reject"]

    # Submissions come from the portal and stay as the record of the review.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("activities.review_submissions")

    @admin.action(description=_("Approve (creates the record)"), permissions=["review"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One at a time: an approval that is refused (no World Metropolitan Day
        # event for the year) does not hold back the others.
        for submission in queryset:
            try:
                submission_approve(submission=submission, by=acting_user(request))
            except ValidationError as error:
                self.message_user(request, f"{submission.title}: {refusal_text(error)}", messages.ERROR)
                continue
            self.message_user(
                request, gettext("“%(title)s” is approved.") % {"title": submission.title}, messages.SUCCESS
            )

    @admin.action(description=_("Reject (the city sees the reason)"), permissions=["review"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def perform(data: dict[str, Any]) -> None:
            for submission in queryset:
                try:
                    submission_reject(submission=submission, reason=data["reason"], by=acting_user(request))
                except ValidationError as error:
                    self.message_user(request, f"{submission.title}: {refusal_text(error)}", messages.ERROR)
                    continue
                self.message_user(
                    request,
                    gettext("“%(title)s” is rejected.") % {"title": submission.title},
                    messages.SUCCESS,
                )

        return run_form_action(
            self,
            request,
            queryset,
            form_class=SubmissionRejectForm,
            title=gettext("Reject submissions"),
            submit_label=gettext("Reject"),
            perform=perform,
        )
