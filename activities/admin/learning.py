"""Learning activities and the member cities' participation in the admin."""

from typing import Any

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from activities.admin.common import (
    ActionLineListFilter,
    RecordWithRowsAdmin,
    ServiceSavedAdmin,
    YearListFilter,
)
from activities.models import (
    LearningActivity,
    LearningParticipation,
)
from activities.services.learning import learning_activity_save, learning_participation_save


class LearningParticipationInline(admin.TabularInline):
    model = LearningParticipation
    # The year is the activity's: set by the page, not typed.
    fields = ["member", "times", "note"]
    extra = 1


@admin.register(LearningActivity)
class LearningActivityAdmin(RecordWithRowsAdmin, TranslationAdmin):
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

    rows_take_year = True

    def save_record(self, activity: LearningActivity, **related: Any) -> object:
        return learning_activity_save(activity=activity, **related)

    def save_row(self, activity: LearningActivity, participation: LearningParticipation) -> object:
        return learning_participation_save(participation=participation)


@admin.register(LearningParticipation)
class LearningParticipationAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "activity", "times"]
    list_filter = [YearListFilter, "activity__kind"]
    list_select_related = ["member", "activity"]
    search_fields = ["member__name", "activity__title"]
    fields = ["member", "year", "activity", "times", "note"]
    autocomplete_fields = ["activity"]

    def save_with_service(self, request, form, formsets):
        learning_participation_save(participation=form.instance)
