"""What the admin pages of the activities app share: every save goes through the
app's services (inline rows included), and filters by year, by action line and by
whether a field is set."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from activities.models import (
    ActionLine,
)
from members.admin.common import PlainActionCheckbox


def kept_rows(formset: BaseInlineFormSet) -> list[dict]:
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


def note_inline_changes(formset: BaseInlineFormSet) -> None:
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


def save_inline(formset: BaseInlineFormSet, save: Callable[[Any], object]) -> None:
    """Save an inline's rows through ``save`` (a service) and delete the rows
    marked for deletion."""
    changed = formset.save(commit=False)
    for row in formset.deleted_objects:
        row.delete()
    for row in changed:
        save(row)


class ServiceSavedAdmin(PlainActionCheckbox, admin.ModelAdmin):
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


class RecordWithRowsAdmin(ServiceSavedAdmin):
    """A record saved by its service (:meth:`save_record`, given the form's
    many-to-many values, as a model form would save them), then each kept row of
    its inlines by the rows' service (:meth:`save_row`). Where ``rows_take_year``,
    a row's year is its record's: set by the page, not typed."""

    rows_take_year: ClassVar[bool] = False

    def save_record(self, record: Any, **related: Any) -> object:
        raise NotImplementedError

    def save_row(self, record: Any, row: Any) -> object:
        raise NotImplementedError

    def save_with_service(self, request: HttpRequest, form, formsets) -> None:
        record = form.instance
        names = [field.name for field in record._meta.many_to_many if field.name in form.cleaned_data]
        self.save_record(record, **{name: form.cleaned_data[name] for name in names})

        def save(row: Any) -> None:
            if self.rows_take_year:
                row.year = record.year
            self.save_row(record, row)

        for formset in formsets:
            save_inline(formset, save)


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


class IsSetFilter(admin.SimpleListFilter):
    """Filter on whether the record's ``field`` is set: ``yes`` or ``no``, with
    the labels (and in the order) of ``options``."""

    field: ClassVar[str]
    options: ClassVar[list[tuple[str, Any]]]

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset
