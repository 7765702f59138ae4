"""What the secretariat's admin pages of the members app share: the change
history with the acting user, actions that collect their input on an
intermediate page and call one service, spreadsheet formats, and imports that
write all of their rows or none."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from import_export.forms import ImportForm
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin as LibraryHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from members.models import (
    User,
)
from members.selectors.change_log import shown_value
from members.services.versions import stale_message
from metropolis.refusals import refusal_text
from metropolis.spreadsheets import SPREADSHEET_FORMATS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MEMBER_NAME_SEARCH = ["name_en", "name_es", "name_fr", "name_zh_hans", "slug"]


def search_through(prefix: str) -> list[str]:
    return [f"{prefix}__{field}" for field in MEMBER_NAME_SEARCH]


# Bookkeeping columns every save changes: not something a person changed.
_BOOKKEEPING_FIELDS = frozenset({"version", "created_at", "updated_at"})


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


class ChangesAsPeopleMadeThem(HistoricalRecordContextHelper):
    """The changes of a version as a person reads them: only what changed (an
    empty text saved over no value, bookkeeping columns and modeltranslation's
    untranslated copy of a translated field are left out), values as the
    change log shows them (choices by label, numbers and dates in the
    language's format, an empty value as a dash)."""

    def context_for_delta_changes(self, delta: Any) -> list[dict[str, Any]]:
        hidden = _BOOKKEEPING_FIELDS | _untranslated_copies(self.model)
        shown = []
        for change in delta.changes:
            if change.field in hidden or (_blank(change.old) and _blank(change.new)):
                continue
            model_field = self.model._meta.get_field(change.field)
            if model_field.many_to_many:
                shown.extend(
                    super().context_for_delta_changes(
                        type(delta)([change], [], delta.old_record, delta.new_record)
                    )
                )
                continue
            old, new = (self._shown(value, model_field) for value in (change.old, change.new))
            if old != new:
                shown.append({"field": capfirst(model_field.verbose_name), "old": old, "new": new})
        return shown

    def _shown(self, value: Any, model_field: Any) -> str:
        if model_field.is_relation:
            return "–" if value is None else str(value)
        return Truncator(shown_value(value, model_field)).chars(self.max_displayed_delta_change_chars)


def _untranslated_copies(model: Any) -> frozenset[str]:
    """The fields modeltranslation keeps per language (``name`` beside ``name_en``…):
    their changes are shown through the per-language fields."""
    try:
        return frozenset(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return frozenset()


def _labels(key: Any, choices: Callable[[], Any]) -> dict[Any, str]:
    """The labels of ``choices`` (pairs of value and lazy label) in the active
    language, made once per language and process under ``key``."""
    language = get_language() or settings.LANGUAGE_CODE
    labels = _CHOICE_LABELS.get((key, language))
    if labels is None:
        labels = _CHOICE_LABELS[(key, language)] = {value: str(label) for value, label in choices()}
    return labels


_CHOICE_LABELS: dict[tuple[Any, str], dict[Any, str]] = {}


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """The label of ``value`` among ``choices`` in the active language: a list
    column reading a label per row otherwise translates it again for every row."""
    return _labels(choices, lambda: choices.choices).get(value, str(value))


def choice_column(model: type[models.Model], field: str) -> Callable[[Any], str | None]:
    """A list column with the label of the choice in ``model``'s ``field``,
    sortable by it: what Django shows for a field with choices, without the
    dict of the field's translated choices that Django builds for every row."""
    model_field = model._meta.get_field(field)

    @admin.display(description=model_field.verbose_name, ordering=field)  # type: ignore[union-attr]
    def column(obj: Any) -> str | None:
        value = getattr(obj, field)
        labels = _labels((model, field), lambda: model_field.flatchoices)  # type: ignore[union-attr]
        # None shows the admin's "empty" mark, as for the field itself.
        return labels.get(value, str(value)) if value not in (None, "") else None

    column.__name__ = field
    return column


def country_column(field: str = "country") -> Callable[[Any], str | None]:
    """A list column with the name of the country in ``field`` (a
    django-countries ``CountryField``), sortable by its code.

    Django shows a column with choices by building the dict of all its choices
    for every row: for a country, about 250 translated names per row, which
    made the member list cost ten times the admin's simplest list. The names
    are looked up in a table made once per language instead."""

    @admin.display(description=gettext_lazy("country"), ordering=field)
    def country(obj: Any) -> str | None:
        # The stored code, not the field's value: django-countries makes a
        # Country object (with its flag and name) for every read of the field.
        value = obj.__dict__[field] if field in obj.__dict__ else getattr(obj, field)
        code = str(value or "")
        # None shows the admin's "empty" mark, as for the field itself.
        # Every country's name, made once per language (django-countries' names are fixed by the settings).
        return _labels(country_column, lambda: countries).get(code, code) if code else None

    return country


class _RowLinksChangeList(ChangeList):
    """Django's list, whose link to each row's page is made once per list (with
    the list's filters, kept for the way back) and filled in with each row's
    key: the same addresses, without a reverse() and a resolve() per row (with
    a filter or ``?all`` shown, Django resolved every row's address again)."""

    _PLACEHOLDER = "__row_key__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(self._PLACEHOLDER,),
            current_app=self.model_admin.admin_site.name,
        )
        link = add_preserved_filters({"preserved_filters": self.preserved_filters, "opts": self.opts}, link)
        self._link_head, _placeholder, self._link_tail = link.partition(self._PLACEHOLDER)
        # The filters are in the link already: nothing is left for Django to add per row.
        self.preserved_filters = ""

    def url_for_result(self, result: Any) -> str:
        return f"{self._link_head}{quote(getattr(result, self.pk_attname))}{self._link_tail}"


class QuickRowLinks:
    """Admin lists whose row links cost no URL lookups (``_RowLinksChangeList``)."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _RowLinksChangeList


class PlainActionCheckbox:
    """The selection checkbox of every row of a list, written as HTML rather
    than rendered through a form widget's template: the same markup as Django's,
    at a tenth of the cost (a list of 143 members spent a fifth of its time on
    these checkboxes)."""

    def action_checkbox(self, obj: Any) -> SafeString:
        # The label's words, translated once per language (Django's own, with the object's name).
        words = _labels(
            PlainActionCheckbox, lambda: [(None, gettext("Select this object for an action - {}"))]
        )
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(words[None], str(obj)),
        )


class SimpleHistoryAdmin(PlainActionCheckbox, QuickRowLinks, LibraryHistoryAdmin):
    """django-simple-history's admin, where reverting to an earlier version
    (a POST on the page of a version) needs the right to change the record: the
    library checks only the right to view it, which would let a read-only
    account (communications) or a log that is never edited (payments) be
    reverted.

    The history lists only what people changed (:class:`ChangesAsPeopleMadeThem`),
    and its "change reason" column only when a version has one."""

    object_history_list_template = "admin/members/object_history_list.html"

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return ChangesAsPeopleMadeThem(self.model, historical_record)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        history = self.model.history.filter(**{self.model._meta.pk.attname: unquote(object_id)})  # type: ignore[attr-defined]
        reasons = history.exclude(history_change_reason__isnull=True).exclude(history_change_reason="")
        extra_context = {**(extra_context or {}), "shows_change_reasons": reasons.exists()}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form that was sent, which keeps what was
    typed: a message about one of the form's fields beside that field, the
    others above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for message in ValidationError(errors).messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def run_form_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    title: str,
    submit_label: str,
    perform: Callable[[dict[str, Any]], None],
    intro: str = "",
    initial: dict[str, Any] | None = None,
) -> HttpResponse | None:
    """The intermediate page of an admin action: show ``form_class`` for the
    selected objects; once it is valid, ``perform(cleaned_data)`` (which calls
    the service and reports through messages) and go back to the list. A
    ``ValidationError`` raised by ``perform`` (the service refused) shows the
    form again, with what was typed and the refusal."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                perform(form.cleaned_data)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                return None
    else:
        form = form_class(initial=initial)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "objects": list(queryset),
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across") == "1",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "submit_label": submit_label,
    }
    return TemplateResponse(request, "admin/members/action_form.html", context)


def acting_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def all_or_nothing(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    step: Callable[[Any], object],
    *,
    done: str,
    label: Callable[[Any], str] | None = None,
) -> None:
    """Apply ``step`` to every selected record, or to none: a refusal rolls back
    the others, and every refusal is shown."""
    refusals = []
    with transaction.atomic():
        for record in queryset:
            try:
                step(record)
            except ValidationError as error:
                refusals.append(f"{label(record)}: {refusal_text(error)}" if label else refusal_text(error))
        if refusals:
            transaction.set_rollback(True)
    for message in refusals:
        model_admin.message_user(request, message, messages.ERROR)
    if refusals:
        model_admin.message_user(request, gettext("Nothing was changed."), messages.ERROR)
    else:
        model_admin.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)


def all_or_nothing_form_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    step: Callable[[Any, dict[str, Any]], object],
    title: str,
    done: str,
    submit_label: str | None = None,
    intro: str = "",
    label: Callable[[Any], str] | None = None,
) -> HttpResponse | None:
    """An action that asks for ``form_class`` on its intermediate page
    (:func:`run_form_action`), then applies ``step(record, cleaned_data)`` to
    every selected record, or to none (:func:`all_or_nothing`). The page's
    button says ``submit_label``, or the title."""
    return run_form_action(
        modeladmin,
        request,
        queryset,
        form_class=form_class,
        title=title,
        intro=intro,
        submit_label=submit_label or title,
        perform=lambda data: all_or_nothing(
            modeladmin, request, queryset, lambda record: step(record, data), done=done, label=label
        ),
    )


AdminAction = Callable[[admin.ModelAdmin, HttpRequest, QuerySet], HttpResponse | None]


def step_actions(
    form_class: type[forms.Form],
    call: Callable[[Callable[..., object], HttpRequest, Any, dict[str, Any]], object],
    *,
    label: Callable[[Any], str] | None = None,
) -> Callable[[Callable[..., object], "StrOrPromise", "StrOrPromise", "StrOrPromise"], AdminAction]:
    """The list actions of one kind of step (the lifecycle of a member, the
    settling of an invoice): each asks for ``form_class`` on its intermediate
    page, then ``call(service, request, record, cleaned_data)`` takes the step
    on every selected record, or on none (:func:`all_or_nothing_form_action`).

    Returns what makes one such action, for those who may change the records,
    from its service, its name in the list, its page's title and its message
    once done; the texts are lazy, so that each request has them in its language."""

    def make(
        service: Callable[..., object],
        description: "StrOrPromise",
        title: "StrOrPromise",
        done: "StrOrPromise",
    ) -> AdminAction:
        @admin.action(description=description, permissions=["change"])
        def action(
            modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
        ) -> HttpResponse | None:
            return all_or_nothing_form_action(
                modeladmin,
                request,
                queryset,
                form_class=form_class,
                step=lambda record, data: call(service, request, record, data),
                title=str(title),
                done=str(done),
                label=label,
            )

        return action

    return make


class SpreadsheetFormats:
    """CSV and XLSX, for import and export; exported cells cannot start a formula.

    An XLSX export holds numbers and dates as numbers and dates: the library
    writes native values only for its own binary format classes, not for the
    safe subclasses the portal uses, so the choice is made on the format's
    nature here."""

    formats = SPREADSHEET_FORMATS

    def get_export_data(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> Any:
        if not self.has_export_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        data = self.get_data_for_export(  # type: ignore[attr-defined]
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data


def _rows_in(upload: Any) -> int:
    """The rows of an uploaded CSV or XLSX file, counted without importing it."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":  # an XLSX file is a zip archive
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True).active
            rows = sheet.max_row or 0
        except Exception:  # an unreadable file is reported by the import itself
            rows = 0
        finally:
            upload.seek(0)
        return max(rows - 1, 0)
    lines = sum(chunk.count(b"\n") for chunk in upload.chunks())
    upload.seek(0)
    return max(lines - 1, 0)


class LimitedImportForm(ImportForm):
    """The import form, refusing a file larger than an import handled within a
    request: ``IMPORT_MAX_BYTES`` and ``IMPORT_MAX_ROWS`` (split a larger file)."""

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                gettext(
                    "The file is %(size)s; an import takes at most %(limit)s: split it into smaller files."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
                code="too_big",
            )
        rows = _rows_in(upload)
        if rows > settings.IMPORT_MAX_ROWS:
            raise ValidationError(
                gettext(
                    "The file has %(rows)s rows; an import takes at most %(limit)s: split it into smaller files."
                )
                % {
                    "rows": number_format(rows, force_grouping=True),
                    "limit": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
                },
                code="too_many_rows",
            )
        return upload


class ImportAllOrNothing:
    """After the preview, the confirmed import runs again on the stored file; if
    the data changed in between and a row no longer passes, the resource rolls
    the whole file back, and this says so instead of django-import-export's
    success message. Files above the import's limits are refused at once."""

    import_form_class = LimitedImportForm
    # Errors as messages the person can act on (see members.resources.ReadableError).
    import_template_name = "admin/members/import.html"

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            opts = self.model._meta  # type: ignore[attr-defined]
            self.message_user(  # type: ignore[attr-defined]
                request,
                gettext(
                    "The data changed since the preview and a row no longer passes: nothing was imported."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)  # type: ignore[misc]


def admin_object_or_404(
    model_admin: Any, request: HttpRequest, object_id: str, *, viewable: bool = False
) -> Any:
    """The record of an admin page of its own (a view added in ``get_urls``):
    404 when there is none, and, with ``viewable``, refused to whoever may not
    view it."""
    obj = model_admin.get_object(request, object_id)
    if obj is None:
        raise Http404
    if viewable and not model_admin.has_view_permission(request, obj):
        raise PermissionDenied
    return obj


class ReadOnlyRecords:
    """Records the services keep: readable in the admin, never added, changed
    or deleted there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyLogAdmin(ReadOnlyRecords, SimpleHistoryAdmin):  # type: ignore[misc]
    """A log kept by the services: readable in the admin, never edited there."""


class ReadOnlyRows:
    """The rows of a record shown on its page, written by the services only:
    every column read only, no row added, changed or deleted from the page."""

    extra = 0
    can_delete = False
    fields: Any = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionCheckedForm(forms.ModelForm):
    """A change form that saves only over the version of the record it was
    loaded with (``loaded_version``, hidden); a stale save is refused with the
    message every stale save gets (``members.services.versions``), and the form
    keeps what was typed, now over the current version."""

    loaded_version = forms.IntegerField(label=_("loaded version"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["loaded_version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        # The admin's change view runs in a transaction: the row stays locked until the save.
        current = (
            model._default_manager.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.pk)
        )
        if cleaned.get("loaded_version") != current:
            data = self.data.copy()
            data[self.add_prefix("loaded_version")] = str(current)
            self.data = data
            raise ValidationError(stale_message(str(model._meta.verbose_name)), code="stale")
        self.instance.version = current + 1
        return cleaned


class VersionCheckedAdmin(PlainActionCheckbox, QuickRowLinks, admin.ModelAdmin):
    """Change forms of records with a ``version`` refuse a stale save. Inline
    rows saved with the record move their own version on, so that a portal
    form of one of them loaded before is refused too."""

    form = VersionCheckedForm

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is not None and inline_form.has_changed() and hasattr(instance, "version"):
                instance.version += 1
        super().save_formset(request, form, formset, change)
