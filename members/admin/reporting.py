"""The current reporting year in the admin: the secretariat sets it (or clears
it, back to the latest year with records) on one row; adding a year when one is
set changes that row (the service keeps one)."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from members.models import ReportingYear
from members.selectors.reporting_year import latest_year_with_records
from members.services.reporting_year import reporting_year_clear, reporting_year_set


@admin.register(ReportingYear)
class ReportingYearAdmin(admin.ModelAdmin):
    fields = ["year"]
    list_display = ["year", "updated_at"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"year": latest_year_with_records()}

    def save_model(
        self, request: HttpRequest, obj: ReportingYear, form: forms.ModelForm, change: bool
    ) -> None:
        saved = reporting_year_set(year=obj.year)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: ReportingYear) -> None:
        reporting_year_clear()

    def delete_queryset(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        reporting_year_clear()
