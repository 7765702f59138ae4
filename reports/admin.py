"""Secretariat admin for the reports app."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .models import ReportRun, ReportText
from .services import report_request


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "language",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "page_count",
    ]
    list_filter = ["kind", "status", "language"]
    list_select_related = ["requested_by", "member"]
    search_fields = ["plan_code", "member__name_en", "requested_by__email"]
    fields = [
        "kind",
        "year",
        "plan_code",
        "member",
        "language",
        "edition",
        "status",
        "progress",
        "step",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "message",
        "warnings",
        "traceback",
        "output_file",
        "checksum",
        "page_count",
    ]
    readonly_fields = fields
    actions = ["request_again"]

    @admin.display(description=_("file"))
    def output_file(self, run: ReportRun) -> str:
        # The file is private: the portal's download view serves it, never the storage.
        if not run.output:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:download", args=[run.pk]), run.download_name
        )

    def has_add_permission(self, request):
        # Reports are requested with the action below or from the reports page.
        return False

    @admin.action(description=_("Generate these reports again (with today's records)"))
    def request_again(self, request, queryset):
        runs = [
            report_request(
                kind=run.kind,
                year=run.year,
                plan_code=run.plan_code,
                member=run.member,
                language=run.language,
                by=request.user,
            )
            for run in queryset
        ]
        messages.success(
            request,
            ngettext("%(count)d report queued.", "%(count)d reports queued.", len(runs))
            % {"count": len(runs)},
        )


@admin.register(ReportText)
class ReportTextAdmin(TranslationAdmin):
    list_display = ["title", "key", "year", "author"]
    list_filter = ["year", "key"]
    fields = ["year", "key", "title", "author", "body"]
