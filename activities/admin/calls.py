"""The review engine in the admin: calls with their questions and rubric, and
the secretariat's pages of a call (moving its phase, the jury with its
progress, invitations, automatic assignment and reminders, the ranking with
the shortlist and the winners, the export of scores and comments); the
submissions with their screening; review assignments (the manual override);
jurors; and the logs (phase changes, decisions, conflicts).

Every write goes through the services; a published call is read-only."""

from typing import Any, ClassVar

import rules
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from activities.admin.call_forms import (
    AssignmentAddForm,
    DecisionForm,
    JurorInviteForm,
    PhaseForm,
    ScreeningRejectForm,
)
from activities.admin.common import (
    CallYearListFilter,
    IsSetFilter,
    ServiceSavedAdmin,
    YearListFilter,
    save_inline,
)
from activities.models import (
    Call,
    CallAnswer,
    CallAttachment,
    CallDecision,
    CallPhase,
    CallPhaseChange,
    CallQuestion,
    CallSubmission,
    CallSubmissionStatus,
    ConflictOfInterest,
    DecisionKind,
    Eligibility,
    Juror,
    ReviewAssignment,
    ReviewScore,
    RubricCriterion,
)
from activities.selectors.calls import jury_progress
from activities.selectors.ranking import call_ranking
from activities.services.call_submissions import call_submission_record_outcome, call_submission_screen
from activities.services.calls import (
    call_choose_winners,
    call_move_to_phase,
    call_question_save,
    call_save,
    call_shortlist,
    criterion_change_refusal,
    phase_move_refusals,
    phase_moves,
    question_change_refusal,
    rubric_criterion_save,
)
from activities.services.jury import (
    juror_invite,
    jurors_remind,
    review_assign_automatically,
    review_assignment_add,
    review_assignment_remove,
)
from activities.spreadsheets import CONTENT_TYPE, call_scores_workbook
from members.admin.common import (
    ReadOnlyLogAdmin,
    ReadOnlyRecords,
    ReadOnlyRows,
    SimpleHistoryAdmin,
    acting_user,
    admin_object_or_404,
    country_column,
    run_form_action,
)
from metropolis.refusals import refusal_text
from metropolis.storage import private_file_response


class ReadOnlyRecordAdmin(ReadOnlyRecords, admin.ModelAdmin):  # type: ignore[misc]
    """A record the services keep, read in the admin and never edited there."""


def can_manage(request: HttpRequest) -> bool:
    return rules.has_perm("activities.manage_calls", request.user)


def _refuse_unless_manager(request: HttpRequest) -> None:
    if not can_manage(request):
        raise PermissionDenied


# --- Calls ------------------------------------------------------------------------------------------


# The inlines' texts in the four languages: short boxes, so that a call's page stays readable.
SHORT_TEXTS = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class ChangeCheckedInline(TranslationStackedInline):
    """An inline that refuses on its form a change the service would refuse:
    ``change_refusal`` is asked about the saved row with the typed values of
    ``checked_fields``, and its refusal is shown with what was typed."""

    checked_fields: ClassVar[tuple[str, ...]]
    formfield_overrides = SHORT_TEXTS
    extra = 0

    @staticmethod
    def change_refusal(row: Any) -> ValidationError | None:
        raise NotImplementedError

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        inline = self

        class CheckedForm(formset.form):  # type: ignore[name-defined,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                if self.instance.pk is not None and set(inline.checked_fields) <= set(cleaned):
                    for name in inline.checked_fields:
                        setattr(self.instance, name, cleaned[name])
                    refusal = inline.change_refusal(self.instance)
                    if refusal is not None:
                        self.add_error(None, refusal)
                return cleaned

        formset.form = CheckedForm
        return formset


class CallQuestionInline(ChangeCheckedInline):
    model = CallQuestion
    fields = ["position", "kind", "text", "help_text", "required", "max_length", "shown_in_library"]
    # A question's kind does not change once it has answers.
    checked_fields = ("kind",)
    change_refusal = staticmethod(question_change_refusal)


class RubricCriterionInline(ChangeCheckedInline):
    model = RubricCriterion
    fields = ["position", "name", "description", "weight", "min_score", "max_score"]
    # A criterion's range keeps the scores given already.
    checked_fields = ("min_score", "max_score")
    change_refusal = staticmethod(criterion_change_refusal)


@admin.register(Call)
class CallAdmin(ServiceSavedAdmin, TranslationAdmin):
    """A call or an award cycle. Its phase moves from the "phase" page; the
    jury, the ranking and the export are pages of the call too."""

    list_display = ["title", "kind", "year", "phase", "closes_at", "submitted", "published_at"]
    list_filter = ["kind", "phase", YearListFilter]
    search_fields = ["slug", "title_en", "title_es", "title_fr", "title_zh_hans"]
    fields = [
        "steering",
        "kind",
        "slug",
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
        "attachment_max_mb",
        "finalist_sessions",
        "published_at",
    ]
    readonly_fields = ["steering", "phase", "published_at"]
    filter_horizontal = ["finalist_sessions"]
    inlines = [CallQuestionInline, RubricCriterionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted_count=Count(
                    "submissions", filter=Q(submissions__status=CallSubmissionStatus.SUBMITTED)
                )
            )
        )

    @admin.display(description=_("submitted"), ordering="submitted_count")
    def submitted(self, call: Any) -> int:
        return call.submitted_count

    @admin.display(description=_("the call's pages"))
    def steering(self, call: Call) -> str:
        if call.pk is None:
            return "–"
        links = [
            (
                "admin:activities_call_phase",
                gettext("Phase: %(phase)s") % {"phase": call.get_phase_display()},
            ),
            ("admin:activities_call_jury", gettext("Jury, assignment and reminders")),
            ("admin:activities_call_ranking", gettext("Ranking, finalists and winners")),
            ("admin:activities_call_export", gettext("Scores and comments (XLSX)")),
        ]
        return format_html_join(
            " · ", '<a href="{}">{}</a>', ((reverse(name, args=[call.pk]), label) for name, label in links)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.is_published or obj.submissions.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def save_with_service(self, request, form, formsets):
        call = call_save(call=form.instance)
        call.finalist_sessions.set(form.cleaned_data["finalist_sessions"])
        for formset in formsets:
            if formset.model is CallQuestion:
                save_inline(formset, lambda question: call_question_save(question=question))
            elif formset.model is RubricCriterion:
                save_inline(formset, lambda criterion: rubric_criterion_save(criterion=criterion))

    def get_urls(self) -> list:
        def view(function, suffix: str):
            return path(
                f"<path:object_id>/{suffix}/",
                self.admin_site.admin_view(function),
                name=f"activities_call_{suffix}",
            )

        return [
            view(self.phase_view, "phase"),
            view(self.jury_view, "jury"),
            view(self.ranking_view, "ranking"),
            view(self.export_view, "export"),
            *super().get_urls(),
        ]

    def _call(self, request: HttpRequest, object_id: str) -> Call:
        _refuse_unless_manager(request)
        return admin_object_or_404(self, request, object_id)

    def _context(self, request: HttpRequest, call: Call, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "original": call,
            "call": call,
            **extra,
        }

    def phase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Move the call's phase; each move is logged."""
        call = self._call(request, object_id)
        moves = phase_moves(call)
        form = PhaseForm(request.POST if request.method == "POST" else None, moves=moves)
        if request.method == "POST" and form.is_valid():
            try:
                call_move_to_phase(
                    call=call,
                    phase=form.cleaned_data["phase"],
                    by=acting_user(request),
                    note=form.cleaned_data["note"],
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                call.refresh_from_db()
                self.message_user(
                    request,
                    gettext("“%(call)s” is now in the phase “%(phase)s”.")
                    % {"call": call, "phase": call.get_phase_display()},
                    messages.SUCCESS,
                )
                return redirect("admin:activities_call_phase", call.pk)
        readiness = [
            (CallPhase(move).label, phase_move_refusals(call, move, timezone.now())) for move in moves
        ]
        context = self._context(
            request,
            call,
            gettext("Phase of %(call)s") % {"call": call},
            form=form,
            readiness=readiness,
            log=call.phase_changes.select_related("changed_by").order_by("-changed_at", "-pk"),
        )
        return TemplateResponse(request, "admin/activities/call/phase.html", context)

    def jury_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The jury: invitations, progress, automatic assignment, reminders."""
        call = self._call(request, object_id)
        form = JurorInviteForm(request.POST if request.POST.get("action") == "invite" else None)
        action = request.POST.get("action") if request.method == "POST" else None
        base_url = request.build_absolute_uri("/")
        try:
            if action == "invite" and form.is_valid():
                data = form.cleaned_data
                juror = juror_invite(
                    call=call,
                    email=data["email"],
                    full_name=data["full_name"],
                    country=data["country"],
                    city_name=data["city_name"],
                    member=data["member"],
                    language=data["language"],
                    base_url=base_url,
                    by=acting_user(request),
                )
                self.message_user(
                    request,
                    gettext("%(name)s is invited to the jury.") % {"name": juror.user.get_full_name()},
                    messages.SUCCESS,
                )
                return redirect("admin:activities_call_jury", call.pk)
            if action == "assign":
                outcome = review_assign_automatically(call=call, by=acting_user(request))
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s assignment made; the jurors' loads go from %(low)s to %(high)s.",
                        "%(count)s assignments made; the jurors' loads go from %(low)s to %(high)s.",
                        outcome.created,
                    )
                    % {
                        "count": outcome.created,
                        "low": min(outcome.loads.values(), default=0),
                        "high": max(outcome.loads.values(), default=0),
                    },
                    messages.SUCCESS if outcome.balanced else messages.WARNING,
                )
                for submission in outcome.short:
                    self.message_user(
                        request,
                        ngettext(
                            "%(submission)s has no possible reviewer left: assign one by hand.",
                            "%(submission)s has fewer than %(count)s possible reviewers: assign one by hand.",
                            call.reviews_per_submission,
                        )
                        % {"submission": submission, "count": call.reviews_per_submission},
                        messages.WARNING,
                    )
                return redirect("admin:activities_call_jury", call.pk)
            if action == "remind":
                reminded = jurors_remind(call=call, by=acting_user(request), base_url=base_url)
                self.message_user(
                    request,
                    ngettext(
                        "A reminder goes to %(count)s juror.",
                        "A reminder goes to %(count)s jurors.",
                        len(reminded),
                    )
                    % {"count": len(reminded)},
                    messages.SUCCESS,
                )
                return redirect("admin:activities_call_jury", call.pk)
        except ValidationError as error:
            if action == "invite":
                form.add_error(None, error)
            else:
                self.message_user(request, refusal_text(error), messages.ERROR)
                return redirect("admin:activities_call_jury", call.pk)
        context = self._context(
            request,
            call,
            gettext("Jury of %(call)s") % {"call": call},
            form=form,
            jurors=jury_progress(call=call),
            eligible=call.submissions.filter(
                status=CallSubmissionStatus.SUBMITTED, eligibility=Eligibility.ELIGIBLE
            ).count(),
            assignments_url=reverse("admin:activities_reviewassignment_changelist")
            + f"?juror__call__id__exact={call.pk}",
            add_assignment_url=reverse("admin:activities_reviewassignment_add"),
        )
        return TemplateResponse(request, "admin/activities/call/jury.html", context)

    def ranking_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The ranking, and the jury's shortlist and winners with their minutes."""
        call = self._call(request, object_id)
        ranking = call_ranking(call=call)
        kind = {CallPhase.FINALISTS: DecisionKind.SHORTLIST, CallPhase.WINNERS: DecisionKind.WINNERS}.get(
            call.phase
        )
        choices = call.submissions.filter(
            status=CallSubmissionStatus.SUBMITTED, eligibility=Eligibility.ELIGIBLE
        )
        if kind == DecisionKind.WINNERS:
            choices = choices.filter(is_finalist=True)
        initial = {
            "chosen": [
                row.submission.pk
                for row in ranking.rows
                if (row.submission.is_winner if kind == DecisionKind.WINNERS else row.submission.is_finalist)
            ]
        }
        form = (
            DecisionForm(request.POST if request.method == "POST" else None, choices=choices, initial=initial)
            if kind
            else None
        )
        if request.method == "POST":
            if form is None:
                self.message_user(
                    request,
                    gettext(
                        "The jury's decisions are recorded while the call chooses its finalists or its winners."
                    ),
                    messages.ERROR,
                )
                return redirect("admin:activities_call_ranking", call.pk)
            if form.is_valid():
                record = call_shortlist if kind == DecisionKind.SHORTLIST else call_choose_winners
                try:
                    record(
                        call=call,
                        submissions=form.cleaned_data["chosen"],
                        decided_on=form.cleaned_data["decided_on"],
                        minutes=form.cleaned_data["minutes"],
                        by=acting_user(request),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, gettext("The jury's decision is recorded."), messages.SUCCESS)
                    return redirect("admin:activities_call_ranking", call.pk)
        choosable = set(choices.values_list("pk", flat=True)) if kind else set()
        chosen = {int(value) for value in (form["chosen"].value() or [])} if form is not None else set()
        context = self._context(
            request,
            call,
            gettext("Ranking of %(call)s") % {"call": call},
            ranking=ranking,
            form=form,
            kind=kind,
            choosable=choosable,
            chosen=chosen,
            decisions=call.decisions.select_related("recorded_by")
            .prefetch_related(Prefetch("submissions", queryset=CallSubmission.objects.order_by("number")))
            .order_by("-recorded_at", "-pk"),
        )
        return TemplateResponse(request, "admin/activities/call/ranking.html", context)

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The scores and comments of every submission, as an XLSX workbook."""
        call = self._call(request, object_id)
        response = HttpResponse(call_scores_workbook(call=call), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{slugify(call.slug)}-scores.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(CallPhaseChange)
class CallPhaseChangeAdmin(ReadOnlyRecordAdmin):
    """Written by the phase moves."""

    list_display = ["call", "from_phase", "to_phase", "changed_by", "changed_at"]
    list_select_related = ["call", "changed_by"]
    list_filter = ["to_phase"]
    search_fields = ["call__title_en", "note"]
    fields = ["call", "from_phase", "to_phase", "note", "changed_by", "changed_at"]
    readonly_fields = fields


@admin.register(CallDecision)
class CallDecisionAdmin(ReadOnlyLogAdmin):
    """Written from the ranking page of a call."""

    list_display = ["call", "kind", "decided_on", "recorded_by", "recorded_at"]
    list_select_related = ["call", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["call__title_en", "minutes"]
    fields = ["call", "kind", "decided_on", "minutes", "chosen", "recorded_by", "recorded_at"]
    readonly_fields = fields

    @admin.display(description=_("submissions chosen"))
    def chosen(self, decision: CallDecision) -> str:
        return ", ".join(str(s) for s in decision.submissions.order_by("number")) or "–"


# --- Submissions -----------------------------------------------------------------------------------


class CallAnswerInline(ReadOnlyRows, admin.StackedInline):
    model = CallAnswer
    fields = ["question", "text", "amount", "currency", "goals", "targets", "partners"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("question")
            .prefetch_related("sdg_goals", "sdg_targets", "partner_members")
        )

    @admin.display(description=_("SDG goals"))
    def goals(self, answer: CallAnswer) -> str:
        return ", ".join(str(goal.number) for goal in answer.sdg_goals.all()) or "–"

    @admin.display(description=_("SDG targets"))
    def targets(self, answer: CallAnswer) -> str:
        return ", ".join(target.code for target in answer.sdg_targets.all()) or "–"

    @admin.display(description=_("partner member cities"))
    def partners(self, answer: CallAnswer) -> str:
        return ", ".join(member.name for member in answer.partner_members.all()) or "–"


class CallAttachmentInline(ReadOnlyRows, admin.TabularInline):
    model = CallAttachment
    fields = ["question", "download", "content_type", "size", "uploaded_at"]

    @admin.display(description=_("file"))
    def download(self, attachment: CallAttachment) -> str:
        url = reverse(
            "admin:activities_callsubmission_attachment", args=[attachment.submission_id, attachment.pk]
        )
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class AssignmentInline(ReadOnlyRows, admin.TabularInline):
    model = ReviewAssignment
    fields = ["juror", "is_manual", "assigned_at", "submitted_at"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The jury's work is the secretariat's, not the communications team's.
        return can_manage(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("juror__user")


class DuplicateFilter(IsSetFilter):
    title = _("possible duplicate")
    parameter_name = "duplicate"
    field = "possible_duplicate_of"
    options = [("yes", _("Flagged")), ("no", _("Not flagged"))]


@admin.register(CallSubmission)
class CallSubmissionAdmin(ServiceSavedAdmin, SimpleHistoryAdmin):
    """Submissions come from the public form. The secretariat screens them with
    the actions (eligible, or not with a reason); likely duplicates are
    flagged. The reasons of a decision and the resulting pilot project are
    the only fields it writes here."""

    list_display = [
        "number",
        "title",
        "city_name",
        country_column(),
        "call",
        "status",
        "eligibility",
        "possible_duplicate_of",
        "is_finalist",
        "is_winner",
    ]
    list_display_links = ["number", "title"]
    list_select_related = ["call", "possible_duplicate_of"]
    list_filter = [
        CallYearListFilter,
        "call",
        "status",
        "eligibility",
        DuplicateFilter,
        "is_finalist",
        "is_winner",
    ]
    search_fields = ["title", "summary", "city_name", "applicant__email"]
    fields = [
        "call",
        "number",
        "title",
        "summary",
        "language",
        "city_name",
        "country",
        "member",
        "region",
        "applicant",
        "library_consent",
        "status",
        "submitted_at",
        "eligibility",
        "screening_reason",
        "screened_by",
        "screened_at",
        "possible_duplicate_of",
        "is_finalist",
        "is_winner",
        "decision_note",
        "pilot_project",
    ]
    readonly_fields = [name for name in fields if name not in ("decision_note", "pilot_project")]
    autocomplete_fields = ["pilot_project"]
    inlines = [CallAnswerInline, CallAttachmentInline, AssignmentInline]
    actions = ["mark_eligible", "mark_ineligible"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_screen_permission(self, request: HttpRequest) -> bool:
        return can_manage(request)

    def save_with_service(self, request, form, formsets):
        call_submission_record_outcome(
            submission=form.instance,
            decision_note=form.cleaned_data.get("decision_note", ""),
            pilot_project=form.cleaned_data.get("pilot_project"),
            by=acting_user(request),
        )

    def _screen(self, request: HttpRequest, queryset: QuerySet, *, eligible: bool, reason: str) -> None:
        for submission in queryset:
            try:
                call_submission_screen(
                    submission=submission, eligible=eligible, reason=reason, by=acting_user(request)
                )
            except ValidationError as error:
                self.message_user(request, f"{submission}: {refusal_text(error)}", messages.ERROR)
                continue
            self.message_user(
                request, gettext("%(submission)s is screened.") % {"submission": submission}, messages.SUCCESS
            )

    @admin.action(description=_("Screen: eligible"), permissions=["screen"])
    def mark_eligible(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._screen(request, queryset, eligible=True, reason="")

    @admin.action(description=_("Screen: not eligible (with the reason)"), permissions=["screen"])
    def mark_ineligible(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return run_form_action(
            self,
            request,
            queryset,
            form_class=ScreeningRejectForm,
            title=gettext("Not eligible"),
            submit_label=gettext("Record the screening"),
            perform=lambda data: self._screen(request, queryset, eligible=False, reason=data["reason"]),
        )

    def get_urls(self) -> list:
        attachment = path(
            "<path:object_id>/attachments/<int:attachment_id>/",
            self.admin_site.admin_view(self.attachment_view),
            name="activities_callsubmission_attachment",
        )
        return [attachment, *super().get_urls()]

    def attachment_view(self, request: HttpRequest, object_id: str, attachment_id: int) -> HttpResponse:
        submission = admin_object_or_404(self, request, object_id, viewable=True)
        attachment = submission.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return private_file_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )


# --- The jury --------------------------------------------------------------------------------------


@admin.register(Juror)
class JurorAdmin(SimpleHistoryAdmin):
    """Jurors are invited from the jury page of their call. Reminders go to the
    selected jurors who have reviews left."""

    list_display = [
        "juror_name",
        "call",
        "city_name",
        country_column(),
        "assigned",
        "reviewed",
        "conflicts",
        "last_reminded_at",
    ]
    list_select_related = ["user", "call"]
    list_filter = ["call"]
    search_fields = ["user__email", "user__full_name", "city_name"]
    fields = [
        "call",
        "user",
        "city_name",
        "country",
        "member",
        "invited_at",
        "invited_by",
        "conflicts_declared_at",
        "last_reminded_at",
    ]
    readonly_fields = fields
    actions = ["remind"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                assigned_count=Count("assignments", distinct=True),
                reviewed_count=Count(
                    "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
                ),
                conflict_count=Count("conflicts", distinct=True),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_remind_permission(self, request: HttpRequest) -> bool:
        return can_manage(request)

    @admin.display(description=_("juror"), ordering="user__full_name")
    def juror_name(self, juror: Juror) -> str:
        return juror.user.get_full_name()

    @admin.display(description=_("assigned"), ordering="assigned_count")
    def assigned(self, juror: Any) -> int:
        return juror.assigned_count

    @admin.display(description=_("reviewed"), ordering="reviewed_count")
    def reviewed(self, juror: Any) -> int:
        return juror.reviewed_count

    @admin.display(description=_("conflicts"), ordering="conflict_count")
    def conflicts(self, juror: Any) -> int:
        return juror.conflict_count

    @admin.action(description=_("Remind of the reviews left"), permissions=["remind"])
    def remind(self, request: HttpRequest, queryset: QuerySet) -> None:
        for call in Call.objects.filter(pk__in=queryset.values("call_id")):
            try:
                reminded = jurors_remind(
                    call=call, by=acting_user(request), base_url=request.build_absolute_uri("/")
                )
            except ValidationError as error:
                self.message_user(request, f"{call}: {refusal_text(error)}", messages.ERROR)
                continue
            wanted = {juror.pk for juror in queryset if juror.call_id == call.pk}
            count = len([juror for juror in reminded if juror.pk in wanted])
            self.message_user(
                request,
                ngettext(
                    "%(call)s: a reminder goes to %(count)s juror.",
                    "%(call)s: a reminder goes to %(count)s jurors.",
                    count,
                )
                % {"call": call, "count": count},
            )


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyRecordAdmin):
    """Declared by the jurors on their pages."""

    list_display = ["juror", "submission", "reason", "declared_at"]
    list_select_related = ["juror__user", "juror__call", "submission"]
    list_filter = ["juror__call"]
    search_fields = ["juror__user__email", "submission__title", "reason"]
    fields = ["juror", "submission", "reason", "declared_at"]
    readonly_fields = fields


class ReviewScoreInline(ReadOnlyRows, admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "score", "comment"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(SimpleHistoryAdmin):
    """The assignments of submissions to jurors. The automatic assignment runs
    from the jury page of a call; here the secretariat assigns a submission by
    hand or takes one back (never one in conflict, never a review submitted)."""

    list_display = ["submission", "juror", "call", "is_manual", "assigned_at", "submitted_at"]
    list_select_related = ["submission", "juror__user", "juror__call"]
    list_filter = ["juror__call", "is_manual", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["submission__title", "juror__user__email", "juror__user__full_name"]
    form = AssignmentAddForm
    fields = ["juror", "submission"]
    inlines = [ReviewScoreInline]

    @admin.display(description=_("call"), ordering="juror__call")
    def call(self, assignment: ReviewAssignment) -> Call:
        return assignment.juror.call

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["juror", "submission", "is_manual", "assigned_by", "assigned_at", "comment", "submitted_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_readonly_fields(request, obj) or ["juror", "submission"]

    def get_inlines(self, request: HttpRequest, obj: Any) -> list:
        return [ReviewScoreInline] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ReviewAssignment, form: Any, change: bool) -> None:
        # The form's validation called the service (below); nothing is left to write.
        return None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        by = acting_user(request)

        class ManualAssignmentForm(form_class):  # type: ignore[misc,valid-type]
            # The service validates and writes at once (conflicts, eligibility,
            # phase); its refusal shows on the form and nothing is written.
            def _post_clean(self) -> None:
                data = self.cleaned_data
                if self.errors or not data.get("juror") or not data.get("submission"):
                    return
                try:
                    self.instance = review_assignment_add(
                        juror=data["juror"], submission=data["submission"], by=by
                    )
                except ValidationError as error:
                    self.add_error(None, error)

        return ManualAssignmentForm

    def delete_model(self, request: HttpRequest, obj: ReviewAssignment) -> None:
        review_assignment_remove(assignment=obj, by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for assignment in queryset:
            try:
                review_assignment_remove(assignment=assignment, by=acting_user(request))
            except ValidationError as error:
                self.message_user(request, f"{assignment}: {refusal_text(error)}", messages.ERROR)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.is_submitted or obj.juror.call.phase != CallPhase.REVIEW):
            return False
        return super().has_delete_permission(request, obj)
