"""Member engagement facts in the admin: platform contributions, analyses by the
metropolitan indicators, active-member years, and the printed order of the
member profile tables (read only)."""

from django.contrib import admin
from django.http import HttpRequest

from activities.admin.common import ServiceSavedAdmin, YearListFilter
from activities.models import (
    ActiveMemberYear,
    MemberProfilePosition,
    MetropolitanIndicatorAnalysis,
    PlatformContribution,
)
from activities.services.engagement import (
    active_member_year_save,
    indicator_analysis_save,
    platform_contribution_save,
)


@admin.register(PlatformContribution)
class PlatformContributionAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "kind", "title", "published_on"]
    list_filter = [YearListFilter, "kind"]
    list_select_related = ["member"]
    search_fields = ["member__name", "title"]
    fields = ["member", "year", "kind", "title", "url", "published_on"]

    def save_with_service(self, request, form, formsets):
        platform_contribution_save(contribution=form.instance)


@admin.register(MetropolitanIndicatorAnalysis)
class MetropolitanIndicatorAnalysisAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "benchmark_position"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    fields = ["member", "year", "benchmark_position", "note"]

    def save_with_service(self, request, form, formsets):
        indicator_analysis_save(analysis=form.instance)


@admin.register(ActiveMemberYear)
class ActiveMemberYearAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "basis", "recorded_at"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    fields = ["member", "year", "basis"]

    def save_with_service(self, request, form, formsets):
        active_member_year_save(record=form.instance)


@admin.register(MemberProfilePosition)
class MemberProfilePositionAdmin(admin.ModelAdmin):
    """Shown, not edited: the printed order comes from the association's
    dataset (``member_profile_order_<year>.csv``), which a load sets back."""

    list_display = ["year", "table", "position", "member", "name_printed"]
    list_filter = [YearListFilter, "table"]
    list_select_related = ["member"]
    search_fields = ["member__name", "name_printed"]
    fields = ["year", "table", "position", "member", "name_printed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
