"""Secretariat admin for the activities app.

Thin: the forms validate (each model's ``clean()`` and constraints, and the
project-leader rule in the project's inline formset), and every save goes
through a service. ``save_model`` writes nothing; ``save_related`` hands the
validated record, its many-to-many choices and its inlines to one service, so
that a record and its rows are written together or not at all.

Member cities in pilot projects are edited only on the project's page: a page of
their own could remove a project's last leader behind the rule's back.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from . import services
from .models import (
    ActionLine,
    ActionPlan,
    ActiveMemberYear,
    BilateralMeeting,
    CallForProjects,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    Participation,
    PilotProject,
    PilotProjectMember,
    PilotProjectReport,
    PlanMeasure,
    PlatformContribution,
    PolicyStatement,
    ProjectProposal,
    Publication,
    PublicationLanguage,
    PublicationMention,
    SdgGoal,
    SdgTarget,
    require_a_leader,
)


def _kept_rows(formset: BaseInlineFormSet) -> list[dict]:
    """The cleaned data of the inline rows that stay: filled in, not deleted."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue  # an empty extra row
        rows.append(data)
    return rows


def _note_inline_changes(formset: BaseInlineFormSet) -> None:
    """Record on an inline saved by a service what ``formset.save()`` would have
    recorded, for the admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data:
            continue
        if data.get("DELETE"):
            if form.instance.pk is not None:
                formset.deleted_objects.append(form.instance)
        elif form.instance.pk is None:
            if form.has_changed():
                formset.new_objects.append(form.instance)
        elif form.has_changed():
            formset.changed_objects.append((form.instance, form.changed_data))


def _save_inline(formset: BaseInlineFormSet, save: Callable[[Any], object]) -> None:
    """Save an inline's rows through ``save`` (a service) and delete the rows
    marked for deletion."""
    changed = formset.save(commit=False)
    for row in formset.deleted_objects:
        row.delete()
    for row in changed:
        save(row)


class ServiceSavedAdmin(admin.ModelAdmin):
    """Saves through :meth:`save_with_service`, called once the form and every
    inline are valid."""

    # Addresses typed without a scheme are web addresses of today: https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # Written in save_related, by the service, together with its relations.
        return None

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        self.save_with_service(request, form, formsets)

    def save_with_service(self, request: HttpRequest, form, formsets) -> None:
        raise NotImplementedError


class YearListFilter(admin.SimpleListFilter):
    """Filter on the record's ``year``, newest first."""

    title = _("year")
    parameter_name = "year"
    field = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).order_by().values_list(self.field, flat=True).distinct()
        return [(year, year) for year in sorted(set(years), reverse=True) if year is not None]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class EventYearListFilter(YearListFilter):
    field = "event__year"


class CallYearListFilter(YearListFilter):
    field = "call__year"


class ProjectYearListFilter(YearListFilter):
    title = _("first year")
    parameter_name = "start_year"
    field = "start_year"


class ActionLineListFilter(admin.SimpleListFilter):
    """Filter on the record's action line, the lines named with their plan
    (one query for all of them)."""

    title = _("action line")
    parameter_name = "action_line"
    field = "action_line"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).order_by().values(self.field)
        lines = (
            ActionLine.objects.filter(pk__in=used).select_related("plan").order_by("plan__start_year", "code")
        )
        return [(line.pk, f"{line.plan.code} {line.code}") for line in lines]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class MeasureLineListFilter(ActionLineListFilter):
    field = "line"


class DeliverableLineListFilter(ActionLineListFilter):
    field = "measure__line"


class StatusLineListFilter(ActionLineListFilter):
    field = "deliverable__measure__line"


# SDG reference --------------------------------------------------------------------------------


class SdgTargetInline(TranslationTabularInline):
    model = SdgTarget
    fields = ["code", "title"]
    extra = 0


@admin.register(SdgGoal)
class SdgGoalAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]
    fields = ["number", "name"]
    readonly_fields = ["number"]
    inlines = [SdgTargetInline]

    # The 17 goals are fixed; their names can be corrected.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_with_service(self, request, form, formsets):
        services.sdg_goal_save(goal=form.instance)
        for formset in formsets:
            _save_inline(formset, lambda target: services.sdg_target_save(target=target))


@admin.register(SdgTarget)
class SdgTargetAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "title", "goal"]
    list_filter = ["goal"]
    list_select_related = ["goal"]
    search_fields = ["code", "title"]
    fields = ["goal", "code", "title"]

    def save_with_service(self, request, form, formsets):
        services.sdg_target_save(target=form.instance)


# Strategic action plans ---------------------------------------------------------------------


class ActionLineInline(TranslationTabularInline):
    model = ActionLine
    fields = ["code", "title", "position"]
    extra = 0
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "title", "start_year", "end_year"]
    search_fields = ["code", "title"]
    fields = [
        "code",
        "title",
        "start_year",
        "end_year",
        "sdg_goals",
        "source",
        "published_total",
        "published_attained",
        "published_in_progress",
        "published_not_developed",
    ]
    filter_horizontal = ["sdg_goals"]
    inlines = [ActionLineInline]

    def save_with_service(self, request, form, formsets):
        services.action_plan_save(plan=form.instance, sdg_goals=form.cleaned_data["sdg_goals"])
        for formset in formsets:
            _save_inline(formset, lambda line: services.action_line_save(line=line))


class PlanMeasureInline(TranslationTabularInline):
    model = PlanMeasure
    fields = ["kind", "code", "title", "position"]
    extra = 0
    show_change_link = True


@admin.register(ActionLine)
class ActionLineAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "plan__code"]
    fields = ["plan", "code", "title", "position"]
    inlines = [PlanMeasureInline]

    def save_with_service(self, request, form, formsets):
        services.action_line_save(line=form.instance)
        for formset in formsets:
            _save_inline(formset, lambda measure: services.plan_measure_save(measure=measure))


class DeliverableInline(TranslationTabularInline):
    model = Deliverable
    fields = ["code", "code_printed", "title", "position"]
    extra = 0
    show_change_link = True


@admin.register(PlanMeasure)
class PlanMeasureAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "kind", "title", "line"]
    list_filter = ["kind", "line__plan", MeasureLineListFilter]
    list_select_related = ["line__plan"]
    search_fields = ["code", "title"]
    fields = ["line", "kind", "code", "title", "position"]
    inlines = [DeliverableInline]

    def save_with_service(self, request, form, formsets):
        services.plan_measure_save(measure=form.instance)
        for formset in formsets:
            _save_inline(formset, lambda deliverable: services.deliverable_save(deliverable=deliverable))


class DeliverableStatusInline(TranslationStackedInline):
    model = DeliverableStatus
    fields = ["year", "status", "status_printed", "note", "events", "publications", "pilot_projects"]
    autocomplete_fields = ["events", "publications", "pilot_projects"]
    extra = 0


@admin.register(Deliverable)
class DeliverableAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "title", "measure"]
    list_filter = ["measure__line__plan", DeliverableLineListFilter]
    list_select_related = ["measure"]
    search_fields = ["code", "title"]
    fields = ["measure", "code", "code_printed", "title", "position"]
    inlines = [DeliverableStatusInline]

    def save_with_service(self, request, form, formsets):
        services.deliverable_save(deliverable=form.instance)
        for formset in formsets:
            self._save_statuses(request, formset)

    @staticmethod
    def _save_statuses(request: HttpRequest, formset: BaseInlineFormSet) -> None:
        # Statuses carry many-to-many links, so each is saved with them by the service.
        _note_inline_changes(formset)
        for form in formset.deleted_forms:
            if form.instance.pk is not None:
                form.instance.delete()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            status = form.instance
            status.deliverable = formset.instance
            status.recorded_by = request.user
            services.deliverable_status_save(
                status=status,
                events=data["events"],
                publications=data["publications"],
                pilot_projects=data["pilot_projects"],
            )


@admin.register(DeliverableStatus)
class DeliverableStatusAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["deliverable", "year", "status", "status_printed"]
    list_filter = [YearListFilter, "status", "deliverable__measure__line__plan", StatusLineListFilter]
    list_select_related = ["deliverable"]
    search_fields = ["deliverable__code", "deliverable__title"]
    fields = [
        "deliverable",
        "year",
        "status",
        "status_printed",
        "note",
        "events",
        "publications",
        "pilot_projects",
        "recorded_by",
        "updated_at",
    ]
    readonly_fields = ["recorded_by", "updated_at"]
    autocomplete_fields = ["deliverable", "events", "publications", "pilot_projects"]

    def save_with_service(self, request, form, formsets):
        status = form.instance
        status.recorded_by = request.user
        services.deliverable_status_save(
            status=status,
            events=form.cleaned_data["events"],
            publications=form.cleaned_data["publications"],
            pilot_projects=form.cleaned_data["pilot_projects"],
        )


# Events ----------------------------------------------------------------------------------------


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["member", "role", "note"]
    extra = 1


@admin.register(Event)
class EventAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = [
        "title",
        "year",
        "start_date",
        "kind",
        "format",
        "gender_approach",
        "action_line",
        "led_by_association",
    ]
    list_filter = [
        YearListFilter,
        "kind",
        "format",
        "gender_approach",
        ActionLineListFilter,
        "campaign",
        "led_by_association",
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title", "city"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "kind", "campaign", "led_by_association", "format"]}),
        (_("When and where"), {"fields": ["year", "start_date", "end_date", "city", "country"]}),
        (_("Organisers"), {"fields": ["partner_organisers", "other_organisers"]}),
        (_("Scope"), {"fields": ["gender_approach", "action_line", "sdg_goals", "sdg_targets"]}),
        (
            _("Figures"),
            {
                "fields": [
                    "sessions",
                    "participants_total",
                    "participants_women",
                    "participants_men",
                    "participants_another",
                    "speakers_total",
                    "speakers_women",
                    "speakers_men",
                    "speakers_another",
                ]
            },
        ),
        (_("Accessibility"), {"fields": ["sign_language", "live_captions", "webcast"]}),
        (_("Source"), {"fields": ["source_section", "note"]}),
    ]
    filter_horizontal = ["partner_organisers", "sdg_goals", "sdg_targets"]
    inlines = [ParticipationInline]

    def save_with_service(self, request, form, formsets):
        participations = None
        for formset in formsets:
            if formset.model is Participation:
                _note_inline_changes(formset)
                participations = [
                    services.ParticipationSpec(
                        member=row["member"], role=row["role"], note=row.get("note", "")
                    )
                    for row in _kept_rows(formset)
                ]
        services.event_save(
            event=form.instance,
            participations=participations,
            partner_organisers=form.cleaned_data["partner_organisers"],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )


@admin.register(Participation)
class ParticipationAdmin(ServiceSavedAdmin):
    list_display = ["member", "event", "role"]
    list_filter = [EventYearListFilter, "role", "event__kind", "event__campaign"]
    list_select_related = ["member", "event"]
    search_fields = ["member__name", "event__title", "event__slug"]
    fields = ["event", "member", "role", "note"]
    autocomplete_fields = ["event"]

    def save_with_service(self, request, form, formsets):
        services.participation_save(participation=form.instance)


@admin.register(BilateralMeeting)
class BilateralMeetingAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "held_on", "topic"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name", "topic"]
    fields = ["member", "year", "held_on", "topic", "note"]

    def save_with_service(self, request, form, formsets):
        services.bilateral_meeting_save(meeting=form.instance)


# Pilot projects and calls --------------------------------------------------------------------


class PilotProjectMemberFormSet(BaseInlineFormSet):
    """The member cities of a project, which must include a leader."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        require_a_leader(row["role"] for row in _kept_rows(self))


class PilotProjectMemberInline(admin.TabularInline):
    model = PilotProjectMember
    formset = PilotProjectMemberFormSet
    fields = ["member", "role"]
    extra = 1
    min_num = 1


class PilotProjectReportInline(admin.TabularInline):
    model = PilotProjectReport
    fields = ["year", "kind", "file", "submitted_on", "note"]
    extra = 0


@admin.register(PilotProject)
class PilotProjectAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["title", "start_year", "end_year", "status", "gender_approach", "action_line"]
    list_filter = [
        ProjectYearListFilter,
        "status",
        "gender_approach",
        ActionLineListFilter,
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = [
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
        "sdg_targets",
        "call",
    ]
    filter_horizontal = ["sdg_goals", "sdg_targets"]
    inlines = [PilotProjectMemberInline, PilotProjectReportInline]

    def save_with_service(self, request, form, formsets):
        members_formset = next(f for f in formsets if f.model is PilotProjectMember)
        _note_inline_changes(members_formset)
        services.pilot_project_save(
            project=form.instance,
            members=[
                services.ProjectMemberSpec(member=row["member"], role=row["role"])
                for row in _kept_rows(members_formset)
            ],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )
        for formset in formsets:
            if formset.model is PilotProjectReport:
                _save_inline(formset, lambda report: services.pilot_project_report_save(report=report))


@admin.register(PilotProjectReport)
class PilotProjectReportAdmin(ServiceSavedAdmin):
    list_display = ["project", "year", "kind", "submitted_on"]
    list_filter = [YearListFilter, "kind"]
    list_select_related = ["project"]
    search_fields = ["project__title"]
    fields = ["project", "year", "kind", "file", "submitted_on", "note"]

    def save_with_service(self, request, form, formsets):
        services.pilot_project_report_save(report=form.instance)


class ProjectProposalInline(admin.TabularInline):
    model = ProjectProposal
    fields = ["title", "lead_member", "submitted_on", "decision", "decided_on", "project"]
    extra = 0
    show_change_link = True


@admin.register(CallForProjects)
class CallForProjectsAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["year", "title", "opens_on", "closes_on"]
    list_filter = [YearListFilter]
    search_fields = ["title"]
    fields = ["year", "title", "opens_on", "closes_on", "note"]
    inlines = [ProjectProposalInline]

    def save_with_service(self, request, form, formsets):
        services.call_for_projects_save(call=form.instance)
        for formset in formsets:
            _save_inline(formset, lambda proposal: services.project_proposal_save(proposal=proposal))


@admin.register(ProjectProposal)
class ProjectProposalAdmin(ServiceSavedAdmin):
    list_display = ["title", "call", "lead_member", "decision", "decided_on"]
    list_filter = [CallYearListFilter, "decision"]
    list_select_related = ["call", "lead_member"]
    search_fields = ["title", "lead_member__name"]
    fields = [
        "call",
        "title",
        "lead_member",
        "partner_members",
        "submitted_on",
        "decision",
        "decided_on",
        "decision_note",
        "project",
    ]
    filter_horizontal = ["partner_members"]

    def save_with_service(self, request, form, formsets):
        services.project_proposal_save(
            proposal=form.instance, partner_members=form.cleaned_data["partner_members"]
        )


# Learning ----------------------------------------------------------------------------------------


class LearningParticipationInline(admin.TabularInline):
    model = LearningParticipation
    # The year is the activity's: set by the page, not typed.
    fields = ["member", "times", "note"]
    extra = 1


@admin.register(LearningActivity)
class LearningActivityAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["title", "kind", "year", "start_date", "end_date", "gender_approach", "action_line"]
    list_filter = [
        YearListFilter,
        "kind",
        "gender_approach",
        ActionLineListFilter,
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = [
        "slug",
        "title",
        "kind",
        "year",
        "start_date",
        "end_date",
        "gender_approach",
        "action_line",
        "sdg_goals",
        "sdg_targets",
        "events",
    ]
    filter_horizontal = ["sdg_goals", "sdg_targets"]
    autocomplete_fields = ["events"]
    inlines = [LearningParticipationInline]

    def save_with_service(self, request, form, formsets):
        activity = services.learning_activity_save(
            activity=form.instance,
            events=form.cleaned_data["events"],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )

        def save(participation: LearningParticipation) -> None:
            participation.year = activity.year
            services.learning_participation_save(participation=participation)

        for formset in formsets:
            _save_inline(formset, save)


@admin.register(LearningParticipation)
class LearningParticipationAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "activity", "times"]
    list_filter = [YearListFilter, "activity__kind"]
    list_select_related = ["member", "activity"]
    search_fields = ["member__name", "activity__title"]
    fields = ["member", "year", "activity", "times", "note"]
    autocomplete_fields = ["activity"]

    def save_with_service(self, request, form, formsets):
        services.learning_participation_save(participation=form.instance)


# Publications and policy statements -----------------------------------------------------------


class PublicationForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages available"),
        choices=PublicationLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Declared here because the form is built before the admin's overrides apply.
    url = forms.URLField(label=_("URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Publication
        fields = [
            "slug",
            "title",
            "kind",
            "year",
            "published_on",
            "languages",
            "gender_perspective",
            "contributing_members",
            "file",
            "url",
            "action_line",
            "sdg_goals",
            "sdg_targets",
        ]


class PublicationMentionInline(admin.TabularInline):
    model = PublicationMention
    # The year is the publication's: set by the page, not typed.
    fields = ["member", "note"]
    extra = 1


@admin.register(Publication)
class PublicationAdmin(ServiceSavedAdmin, TranslationAdmin):
    form = PublicationForm
    list_display = ["title", "kind", "year", "published_on", "gender_perspective", "action_line"]
    list_filter = [
        YearListFilter,
        "kind",
        "gender_perspective",
        ActionLineListFilter,
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = tuple(PublicationForm.Meta.fields)
    filter_horizontal = ["contributing_members", "sdg_goals", "sdg_targets"]
    inlines = [PublicationMentionInline]

    def save_with_service(self, request, form, formsets):
        publication = services.publication_save(
            publication=form.instance,
            contributing_members=form.cleaned_data["contributing_members"],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )

        def save(mention: PublicationMention) -> None:
            mention.year = publication.year
            services.publication_mention_save(mention=mention)

        for formset in formsets:
            _save_inline(formset, save)


@admin.register(PublicationMention)
class PublicationMentionAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "publication", "note"]
    list_filter = [YearListFilter]
    list_select_related = ["member", "publication"]
    search_fields = ["member__name", "publication__title"]
    fields = ["member", "year", "publication", "note"]
    autocomplete_fields = ["publication"]

    def save_with_service(self, request, form, formsets):
        services.publication_mention_save(mention=form.instance)


@admin.register(PolicyStatement)
class PolicyStatementAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["title", "year", "issued_on", "gender_perspective", "action_line"]
    list_filter = [YearListFilter, "gender_perspective", ActionLineListFilter]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = [
        "slug",
        "title",
        "year",
        "issued_on",
        "gender_perspective",
        "supporting_members",
        "url",
        "action_line",
    ]
    filter_horizontal = ["supporting_members"]

    def save_with_service(self, request, form, formsets):
        services.policy_statement_save(
            statement=form.instance, supporting_members=form.cleaned_data["supporting_members"]
        )


# Platforms and yearly engagement facts --------------------------------------------------------


@admin.register(PlatformContribution)
class PlatformContributionAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "kind", "title", "published_on"]
    list_filter = [YearListFilter, "kind"]
    list_select_related = ["member"]
    search_fields = ["member__name", "title"]
    fields = ["member", "year", "kind", "title", "url", "published_on"]

    def save_with_service(self, request, form, formsets):
        services.platform_contribution_save(contribution=form.instance)


@admin.register(MetropolitanIndicatorAnalysis)
class MetropolitanIndicatorAnalysisAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "benchmark_position"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    fields = ["member", "year", "benchmark_position", "note"]

    def save_with_service(self, request, form, formsets):
        services.indicator_analysis_save(analysis=form.instance)


@admin.register(ActiveMemberYear)
class ActiveMemberYearAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "basis", "recorded_at"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    fields = ["member", "year", "basis"]

    def save_with_service(self, request, form, formsets):
        services.active_member_year_save(record=form.instance)
