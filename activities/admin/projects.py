"""Pilot projects and their reports in the admin. (The calls for pilot
projects and their proposals are on the review engine: ``admin/calls.py``.)"""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from modeltranslation.admin import TranslationAdmin

from activities.admin.common import (
    ActionLineListFilter,
    ProjectYearListFilter,
    ServiceSavedAdmin,
    YearListFilter,
    kept_rows,
    note_inline_changes,
    save_inline,
)
from activities.models import (
    Call,
    CallKind,
    PilotProject,
    PilotProjectMember,
    PilotProjectReport,
    require_a_leader,
)
from activities.services.projects import (
    ProjectMemberSpec,
    pilot_project_report_save,
    pilot_project_save,
)


class PilotProjectMemberFormSet(BaseInlineFormSet):
    """The member cities of a project, which must include a leader."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        require_a_leader(row["role"] for row in kept_rows(self))


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "call":
            kwargs["queryset"] = Call.objects.filter(kind=CallKind.PILOT_PROJECTS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_with_service(self, request, form, formsets):
        members_formset = next(f for f in formsets if f.model is PilotProjectMember)
        note_inline_changes(members_formset)
        pilot_project_save(
            project=form.instance,
            members=[
                ProjectMemberSpec(member=row["member"], role=row["role"])
                for row in kept_rows(members_formset)
            ],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )
        for formset in formsets:
            if formset.model is PilotProjectReport:
                save_inline(formset, lambda report: pilot_project_report_save(report=report))


@admin.register(PilotProjectReport)
class PilotProjectReportAdmin(ServiceSavedAdmin):
    list_display = ["project", "year", "kind", "submitted_on"]
    list_filter = [YearListFilter, "kind"]
    list_select_related = ["project"]
    search_fields = ["project__title"]
    fields = ["project", "year", "kind", "file", "submitted_on", "note"]

    def save_with_service(self, request, form, formsets):
        pilot_project_report_save(report=form.instance)
