"""Secretariat admin for the gender app."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import (
    Edition,
    EditionValue,
    FundingEntry,
    GenderMainstreamingEngagement,
    IndicatorValue,
    InternalGenderTool,
    InternalGenderTraining,
    Programme,
    ProgrammeYear,
    StaffMember,
    ValueKind,
)
from .registry import all_indicators
from .services import indicator_value_set


class IndicatorValueForm(forms.ModelForm):
    indicator_code = forms.ChoiceField(label=_("indicator"))
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (ValueKind.PUBLISHED, ValueKind.PUBLISHED.label),
            (ValueKind.MANUAL, ValueKind.MANUAL.label),
        ],
    )

    class Meta:
        model = IndicatorValue
        fields = ["indicator_code", "year", "kind", "value", "section", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [(i.code, f"{i.code} – {i.label}") for i in all_indicators()]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    form = IndicatorValueForm
    list_display = ["indicator_code", "year", "kind", "value", "section", "entered_by", "entered_at"]
    list_filter = ["year", "kind"]
    search_fields = ["indicator_code", "section", "note"]
    list_select_related = ["entered_by"]

    def get_readonly_fields(self, request, obj=None):
        # Computed values are written by the registry, never by hand.
        if obj is not None and obj.kind == ValueKind.COMPUTED:
            return ["indicator_code", "year", "kind", "value", "section", "note"]
        return []

    def save_model(self, request, obj, form, change):
        try:
            saved = indicator_value_set(
                code=obj.indicator_code,
                year=obj.year,
                kind=obj.kind,
                value=obj.value,
                section=obj.section,
                note=obj.note,
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
            return
        obj.pk = saved.pk


class EditionValueInline(admin.TabularInline):
    model = EditionValue
    fields = ["indicator_code", "value"]
    readonly_fields = ["indicator_code", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "frozen_at", "frozen_by"]
    list_filter = ["year"]
    fields = ["title", "year", "frozen_at", "frozen_by"]
    readonly_fields = ["title", "year", "frozen_at", "frozen_by"]
    inlines = [EditionValueInline]

    def has_add_permission(self, request):
        # Editions are frozen by the report runs, with every value at once.
        return False


class ProgrammeYearInline(admin.TabularInline):
    model = ProgrammeYear
    fields = ["year", "spending", "spending_share", "is_estimate", "gender_collaboration"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_en", "name_es", "name_fr", "name_zh_hans"]
    fields = ["code", "name"]
    inlines = [ProgrammeYearInline]


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["programme", "year", "spending", "spending_share", "is_estimate", "gender_collaboration"]
    list_filter = ["year", "gender_collaboration"]
    list_select_related = ["programme"]
    fields = ["programme", "year", "spending", "spending_share", "is_estimate", "gender_collaboration"]


@admin.register(FundingEntry)
class FundingEntryAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "amount", "share", "is_estimate"]
    list_filter = ["year", "source"]
    fields = ["year", "source", "amount", "share", "is_estimate"]


@admin.register(StaffMember)
class StaffMemberAdmin(TranslationAdmin):
    list_display = ["name", "role", "kind", "gender", "start_year", "end_year"]
    list_filter = ["kind", "gender", "start_year"]
    search_fields = ["name", "name_local", "role_en"]
    fields = ["name", "name_local", "role", "kind", "gender", "start_year", "end_year", "position"]


@admin.register(GenderMainstreamingEngagement)
class GenderMainstreamingEngagementAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "note"]
    list_filter = ["year"]
    list_select_related = ["member"]
    search_fields = ["member__name_en", "member__name_zh_hans"]
    raw_id_fields = ["member"]
    fields = ["member", "year", "note"]


@admin.register(InternalGenderTraining)
class InternalGenderTrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "held_on"]
    list_filter = ["year"]
    fields = ["title", "year", "held_on"]


@admin.register(InternalGenderTool)
class InternalGenderToolAdmin(TranslationAdmin):
    list_display = ["title", "year"]
    list_filter = ["year"]
    fields = ["title", "year"]
