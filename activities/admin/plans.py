"""The SDG tables and the strategic action plans in the admin."""

from typing import Any

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from activities.admin.common import (
    DeliverableLineListFilter,
    MeasureLineListFilter,
    RecordWithRowsAdmin,
    ServiceSavedAdmin,
    StatusLineListFilter,
    YearListFilter,
    note_inline_changes,
)
from activities.models import (
    ActionLine,
    ActionPlan,
    Deliverable,
    DeliverableStatus,
    PlanMeasure,
    SdgGoal,
    SdgTarget,
)
from activities.services.plans import (
    action_line_save,
    action_plan_save,
    deliverable_save,
    deliverable_status_save,
    plan_measure_save,
    sdg_goal_save,
    sdg_target_save,
)


class SdgTargetInline(TranslationTabularInline):
    model = SdgTarget
    fields = ["code", "title"]
    extra = 0


@admin.register(SdgGoal)
class SdgGoalAdmin(RecordWithRowsAdmin, TranslationAdmin):
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

    def save_record(self, goal: SdgGoal, **related: Any) -> object:
        return sdg_goal_save(goal=goal)

    def save_row(self, goal: SdgGoal, target: SdgTarget) -> object:
        return sdg_target_save(target=target)


@admin.register(SdgTarget)
class SdgTargetAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["code", "title", "goal"]
    list_filter = ["goal"]
    list_select_related = ["goal"]
    search_fields = ["code", "title"]
    fields = ["goal", "code", "title"]

    def save_with_service(self, request, form, formsets):
        sdg_target_save(target=form.instance)


class PlanPartInline(TranslationTabularInline):
    """A plan's lines, a line's measures, a measure's deliverables: listed on
    the page of what they belong to, each edited on its own page."""

    extra = 0
    show_change_link = True


class ActionLineInline(PlanPartInline):
    model = ActionLine
    fields = ["code", "title", "position"]


@admin.register(ActionPlan)
class ActionPlanAdmin(RecordWithRowsAdmin, TranslationAdmin):
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

    def save_record(self, plan: ActionPlan, **related: Any) -> object:
        return action_plan_save(plan=plan, **related)

    def save_row(self, plan: ActionPlan, line: ActionLine) -> object:
        return action_line_save(line=line)


class PlanMeasureInline(PlanPartInline):
    model = PlanMeasure
    fields = ["kind", "code", "title", "position"]


@admin.register(ActionLine)
class ActionLineAdmin(RecordWithRowsAdmin, TranslationAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "plan__code"]
    fields = ["plan", "code", "title", "position"]
    inlines = [PlanMeasureInline]

    def save_record(self, line: ActionLine, **related: Any) -> object:
        return action_line_save(line=line)

    def save_row(self, line: ActionLine, measure: PlanMeasure) -> object:
        return plan_measure_save(measure=measure)


class DeliverableInline(PlanPartInline):
    model = Deliverable
    fields = ["code", "code_printed", "title", "position"]


@admin.register(PlanMeasure)
class PlanMeasureAdmin(RecordWithRowsAdmin, TranslationAdmin):
    list_display = ["code", "kind", "title", "line"]
    list_filter = ["kind", "line__plan", MeasureLineListFilter]
    list_select_related = ["line__plan"]
    search_fields = ["code", "title"]
    fields = ["line", "kind", "code", "title", "position"]
    inlines = [DeliverableInline]

    def save_record(self, measure: PlanMeasure, **related: Any) -> object:
        return plan_measure_save(measure=measure)

    def save_row(self, measure: PlanMeasure, deliverable: Deliverable) -> object:
        return deliverable_save(deliverable=deliverable)


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
        deliverable_save(deliverable=form.instance)
        for formset in formsets:
            self._save_statuses(request, formset)

    @staticmethod
    def _save_statuses(request: HttpRequest, formset: BaseInlineFormSet) -> None:
        # Statuses carry many-to-many links, so each is saved with them by the service.
        note_inline_changes(formset)
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
            deliverable_status_save(
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
        deliverable_status_save(
            status=status,
            events=form.cleaned_data["events"],
            publications=form.cleaned_data["publications"],
            pilot_projects=form.cleaned_data["pilot_projects"],
        )
