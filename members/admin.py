"""Secretariat admin for the members app.

Thin by design: lists read through the selectors (one query per page, whatever
the number of rows), and every lifecycle step, invoice, payment and reminder is
an admin action that collects its input on an intermediate page and calls one
service. Models with translated names use modeltranslation's ``TranslationAdmin``
(the tabbed variant loads jQuery UI from a CDN). Every model registered with
django-simple-history shows its change history, with the acting user.

For the member-city portal: contacts are invited to the portal with an action,
the submissions of the cities wait in a review queue (approve / reject
actions), deactivating an account ends its sessions (through the service), and
a member city's page links to the change log of its portal accounts. The
communications team reads all of it without changing anything (view
permissions; reverting a version needs the change permission here)."""

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin as LibraryHistoryAdmin

from . import services
from .forms import (
    InvitationForm,
    InvoiceSettleForm,
    InvoicesIssueForm,
    MembershipStepForm,
    PaymentRecordForm,
    SubmissionRejectForm,
    UserChangeForm,
    UserCreationForm,
)
from .models import (
    Agreement,
    BoardMandate,
    Contact,
    FeeReminder,
    FeeSchedule,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MembershipChange,
    Partner,
    Payment,
    Region,
    Submission,
    SubmissionStatus,
    User,
)
from .models.city import BoardRole
from .resources import ContactResource, HeadOfGovernmentResource, InvoiceResource, MemberCityResource
from .selectors import (
    FeeStatus,
    InvoiceRow,
    MemberRow,
    board_mandates_on,
    change_log,
    invoice_list,
    member_list,
)

MEMBER_NAME_SEARCH = ["name_en", "name_es", "name_fr", "name_zh_hans", "slug"]


def _search_through(prefix: str) -> list[str]:
    return [f"{prefix}__{field}" for field in MEMBER_NAME_SEARCH]


class SimpleHistoryAdmin(LibraryHistoryAdmin):
    """django-simple-history's admin, where reverting to an earlier version
    (a POST on the page of a version) needs the right to change the record: the
    library checks only the right to view it, which would let a read-only
    account (communications) or a log that is never edited (payments) be
    reverted."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _run_form_action(
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
    the service and reports through messages) and go back to the list."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            perform(form.cleaned_data)
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


def _acting_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _all_or_nothing(
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
                refusals.append(f"{label(record)}: {_refusal(error)}" if label else _refusal(error))
        if refusals:
            transaction.set_rollback(True)
    for refusal in refusals:
        model_admin.message_user(request, refusal, messages.ERROR)
    if refusals:
        model_admin.message_user(request, gettext("Nothing was changed."), messages.ERROR)
    else:
        model_admin.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)


class SpreadsheetFormats:
    """CSV and XLSX, for import and export."""

    formats = [base_formats.CSV, base_formats.XLSX]


class ImportAllOrNothing:
    """After the preview, the confirmed import runs again on the stored file; if
    the data changed in between and a row no longer passes, the resource rolls
    the whole file back, and this says so instead of django-import-export's
    success message."""

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


class ReadOnlyLogAdmin(SimpleHistoryAdmin):
    """A log kept by the services: readable in the admin, never edited there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Member cities ------------------------------------------------------------


def _fee_filter_value(value: str | None) -> tuple[int, str] | None:
    """``"2021:paid"`` → ``(2021, "paid")``; None for anything else."""
    if not value or ":" not in value:
        return None
    year, status = value.split(":", 1)
    if not year.isdigit() or status not in FeeStatus.values:
        return None
    return int(year), status


class FeeStatusFilter(admin.SimpleListFilter):
    """The fee status of a chosen year. The year chosen here is also the year
    of the member list's fee column."""

    title = _("fee status")
    parameter_name = "fee"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        years = Invoice.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [
            (f"{year}:{status}", f"{year}: {label}") for year in years for status, label in FeeStatus.choices
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        chosen = _fee_filter_value(self.value())
        if chosen is None:
            return queryset
        year, status = chosen
        return queryset.filter(pk__in=member_list(year=year, fee_status=status).values("pk"))


class BoardRoleFilter(admin.SimpleListFilter):
    title = _("Board role (today)")
    parameter_name = "board"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("any", gettext("Any Board or statutory role")), *BoardRole.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        mandates = board_mandates_on(day=timezone.localdate())
        if self.value() != "any":
            mandates = mandates.filter(role=self.value())
        return queryset.filter(pk__in=mandates.values("member"))


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "role", "email", "phone", "preferred_language", "gender", "is_primary"]
    extra = 0


class HeadOfGovernmentInline(admin.TabularInline):
    model = HeadOfGovernment
    fields = ["name", "name_local", "title", "gender", "term_start", "term_end"]
    extra = 0


class BoardMandateInline(admin.TabularInline):
    model = BoardMandate
    fields = ["role", "region", "holder_name", "holder_gender", "start", "end"]
    extra = 0


class InvoiceInline(admin.TabularInline):
    """The member's invoices, read only: they are issued, paid, waived and
    cancelled through the invoice actions."""

    model = Invoice
    readonly_fields = (
        "invoice_link",
        "year",
        "amount",
        "currency",
        "issued_on",
        "due_on",
        "paid",
        "status_display",
    )
    fields = readonly_fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return invoice_list().order_by("-year")

    @admin.display(description=_("number"))
    def invoice_link(self, invoice: Invoice) -> str:
        url = reverse("admin:members_invoice_change", args=[invoice.pk])
        return format_html('<a href="{}">{}</a>', url, invoice.number)

    @admin.display(description=_("paid"))
    def paid(self, invoice: Invoice) -> str:
        return f"{invoice.paid_amount:.2f} {invoice.currency}"

    @admin.display(description=_("status"))
    def status_display(self, invoice: InvoiceRow) -> str:
        return str(InvoiceStatus(invoice.derived_status).label)


@admin.register(MemberCity)
class MemberCityAdmin(
    ImportAllOrNothing, SpreadsheetFormats, ImportExportMixin, SimpleHistoryAdmin, TranslationAdmin
):
    resource_classes = [MemberCityResource]
    # Addresses typed without a scheme are web addresses of today: https (as in the activities admin).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "country",
        "region",
        "kind",
        "status",
        "current_head",
        "fee_column",
        "arrears_display",
    ]
    list_select_related = ["region"]
    list_filter = ["region", "status", "kind", BoardRoleFilter, FeeStatusFilter]
    search_fields = MEMBER_NAME_SEARCH
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "region", "kind", "fee_category"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "population",
                    "population_year",
                    "website",
                    "description",
                    "logo",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (
            _("Membership"),
            {
                "fields": ["status", "ratified_on", "withdrawn_on", "created_at", "updated_at"],
                "description": _("The membership changes only through the actions of the member list."),
            },
        ),
        (_("Portal"), {"fields": ["portal_changes"]}),
    ]
    readonly_fields = ["status", "ratified_on", "withdrawn_on", "created_at", "updated_at", "portal_changes"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ContactInline, HeadOfGovernmentInline, BoardMandateInline, InvoiceInline]
    actions = [
        "ratify",
        "suspend",
        "reinstate",
        "withdraw",
        "issue_invoices",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        chosen = _fee_filter_value(request.GET.get(FeeStatusFilter.parameter_name))
        return member_list(year=chosen[0] if chosen else None)

    def save_model(self, request: HttpRequest, obj: MemberCity, form: forms.ModelForm, change: bool) -> None:
        if change:
            # A profile form of the portal loaded before this save must not overwrite it.
            obj.version = services.member_version_bump(member=obj)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list:
        portal_changes = path(
            "<path:object_id>/portal-changes/",
            self.admin_site.admin_view(self.portal_changes_view),
            name="members_membercity_portal_changes",
        )
        return [portal_changes, *super().get_urls()]

    @admin.display(description=_("changes by the city's accounts"))
    def portal_changes(self, member: MemberCity) -> str:
        if member.pk is None:
            return "–"
        url = reverse("admin:members_membercity_portal_changes", args=[member.pk])
        return format_html(
            '<a href="{}">{}</a>', url, gettext("The change log of the city's portal accounts")
        )

    def portal_changes_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """What the city's own accounts changed from the portal (the page the city sees too)."""
        member = self.get_object(request, object_id)
        if member is None:
            raise Http404
        if not self.has_view_permission(request, member):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Changes made from the portal: %(member)s") % {"member": member.name},
            "opts": self.model._meta,
            "original": member,
            "entries": change_log(member=member),
        }
        return TemplateResponse(request, "admin/members/membercity/portal_changes.html", context)

    @admin.display(description=_("head of government"), ordering="head_name")
    def current_head(self, member: MemberRow) -> str:
        if not member.head_name:
            return "–"
        return f"{member.head_name} ({member.head_title})"

    @admin.display(description=_("fee"), ordering="fee_status")
    def fee_column(self, member: MemberRow) -> str:
        return f"{member.fee_year}: {FeeStatus(member.fee_status).label}"

    @admin.display(description=_("arrears"), ordering="arrears")
    def arrears_display(self, member: MemberRow) -> str:
        return f"{member.arrears:.2f}" if member.arrears else "–"

    # A member with a history is withdrawn, never deleted: no delete button or
    # deletion for it, and the others go through the service.
    def has_delete_permission(self, request: HttpRequest, obj: MemberCity | None = None) -> bool:
        if obj is not None and services.member_has_history(member=obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: MemberCity) -> None:
        services.member_delete(member=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for member in queryset:
            services.member_delete(member=member)

    def _membership_step(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        service: Callable[..., MemberCity],
        title: str,
        done: str,
    ) -> HttpResponse | None:
        def perform(data: dict[str, Any]) -> None:
            _all_or_nothing(
                self,
                request,
                queryset,
                lambda member: service(
                    member=member, on=data["on"], reason=data["reason"], by=_acting_user(request)
                ),
                done=done,
            )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=MembershipStepForm,
            title=title,
            submit_label=title,
            perform=perform,
        )

    @admin.action(description=_("Ratify (the Board admitted them)"), permissions=["change"])
    def ratify(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._membership_step(
            request,
            queryset,
            service=services.member_ratify,
            title=gettext("Ratify members"),
            done=gettext("%(count)s member(s) ratified."),
        )

    @admin.action(description=_("Suspend"), permissions=["change"])
    def suspend(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._membership_step(
            request,
            queryset,
            service=services.member_suspend,
            title=gettext("Suspend members"),
            done=gettext("%(count)s member(s) suspended."),
        )

    @admin.action(description=_("Reinstate"), permissions=["change"])
    def reinstate(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._membership_step(
            request,
            queryset,
            service=services.member_reinstate,
            title=gettext("Reinstate members"),
            done=gettext("%(count)s member(s) reinstated."),
        )

    @admin.action(description=_("Withdraw"), permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._membership_step(
            request,
            queryset,
            service=services.member_withdraw,
            title=gettext("Withdraw members"),
            done=gettext("%(count)s member(s) withdrawn."),
        )

    @admin.action(description=_("Issue the fee invoices of a year"), permissions=["change"])
    def issue_invoices(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def perform(data: dict[str, Any]) -> None:
            try:
                issued = services.invoices_issue_for_year(
                    year=data["year"],
                    issued_on=data["issued_on"],
                    due_on=data["due_on"],
                    members=MemberCity.objects.filter(pk__in=queryset.values("pk")),
                )
            except ValidationError as error:
                self.message_user(request, _refusal(error), messages.ERROR)
                self.message_user(request, gettext("No invoice was issued."), messages.ERROR)
                return
            if issued:
                self.message_user(
                    request,
                    gettext("%(count)s invoice(s) issued for %(year)s.")
                    % {"count": len(issued), "year": data["year"]},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    gettext("Every selected active member already has its invoice for %(year)s.")
                    % {"year": data["year"]},
                    messages.INFO,
                )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=InvoicesIssueForm,
            title=gettext("Issue the fee invoices of a year"),
            intro=gettext(
                "Each selected active member without an invoice for the year gets one, "
                "at the fee of its category; the others are left as they are."
            ),
            submit_label=gettext("Issue invoices"),
            perform=perform,
            initial={"year": timezone.localdate().year},
        )


# --- Fees ---------------------------------------------------------------------


class InvoiceStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return list(InvoiceStatus.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in InvoiceStatus.values:
            return queryset.filter(derived_status=self.value())
        return queryset


class PaymentInline(admin.TabularInline):
    """Payments are recorded through the "record a payment" action."""

    model = Payment
    readonly_fields = (
        "paid_on",
        "amount",
        "currency",
        "method",
        "reference",
        "created_at",
    )
    fields = readonly_fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(SpreadsheetFormats, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [InvoiceResource]
    list_display = [
        "number",
        "member",
        "year",
        "amount_display",
        "paid",
        "outstanding_display",
        "status_display",
        "due_on",
    ]
    list_select_related = ["member", "member__region"]
    list_filter = ["year", InvoiceStatusFilter, "member__region", "currency"]
    search_fields = ["number", *_search_through("member")]
    fields = [
        "number",
        "member",
        "year",
        "amount",
        "currency",
        "issued_on",
        "due_on",
        "paid",
        "outstanding_display",
        "status_display",
        "waived_on",
        "cancelled_on",
        "note",
    ]
    readonly_fields = [
        "number",
        "member",
        "year",
        "amount",
        "currency",
        "issued_on",
        "paid",
        "outstanding_display",
        "status_display",
        "waived_on",
        "cancelled_on",
    ]
    inlines = [PaymentInline]
    actions = ["record_payment", "send_reminder_now", "waive", "cancel"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return invoice_list()

    # Invoices are issued by the member list's action and cancelled, not deleted.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, invoice: Invoice) -> str:
        return f"{invoice.amount} {invoice.currency}"

    @admin.display(description=_("paid"), ordering="paid_total")
    def paid(self, invoice: Invoice) -> str:
        return f"{invoice.paid_amount:.2f} {invoice.currency}"

    @admin.display(description=_("outstanding"))
    def outstanding_display(self, invoice: Invoice) -> str:
        return f"{invoice.outstanding:.2f} {invoice.currency}"

    @admin.display(description=_("status"), ordering="derived_status")
    def status_display(self, invoice: InvoiceRow) -> str:
        return str(InvoiceStatus(invoice.derived_status).label)

    @admin.action(description=_("Record a payment"), permissions=["change"])
    def record_payment(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        invoices = list(queryset)
        if len(invoices) != 1:
            self.message_user(
                request, gettext("Select exactly one invoice to record a payment."), messages.ERROR
            )
            return None
        invoice = invoices[0]

        def perform(data: dict[str, Any]) -> None:
            try:
                services.invoice_record_payment(invoice=invoice, **data)
            except ValidationError as error:
                self.message_user(request, _refusal(error), messages.ERROR)
                self.message_user(request, gettext("No payment was recorded."), messages.ERROR)
                return
            self.message_user(
                request,
                gettext("Payment of %(amount)s %(currency)s recorded on invoice %(number)s.")
                % {"amount": data["amount"], "currency": data["currency"], "number": invoice.number},
                messages.SUCCESS,
            )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=PaymentRecordForm,
            title=gettext("Record a payment on invoice %(number)s") % {"number": invoice.number},
            intro=gettext("Outstanding: %(outstanding)s %(currency)s.")
            % {"outstanding": f"{invoice.outstanding:.2f}", "currency": invoice.currency},
            submit_label=gettext("Record the payment"),
            perform=perform,
            initial={"amount": invoice.outstanding, "currency": invoice.currency},
        )

    @admin.action(description=_("Send a reminder now"), permissions=["change"])
    def send_reminder_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One invoice at a time, not all-or-nothing: an e-mail that has gone
        # out cannot be taken back.
        for invoice in queryset:
            try:
                reminder = services.invoice_send_reminder_now(invoice=invoice, by=_acting_user(request))
            except ValidationError as error:
                self.message_user(request, _refusal(error), messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("%(stage)s for invoice %(number)s sent to %(recipient)s.")
                % {
                    "stage": reminder.get_stage_display(),
                    "number": invoice.number,
                    "recipient": reminder.recipient,
                },
                messages.SUCCESS,
            )

    def _settle(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        service: Callable[..., Invoice],
        title: str,
        done: str,
    ) -> HttpResponse | None:
        def perform(data: dict[str, Any]) -> None:
            _all_or_nothing(
                self,
                request,
                queryset,
                lambda invoice: service(invoice=invoice, on=data["on"], reason=data["reason"]),
                done=done,
                label=lambda invoice: invoice.number,
            )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=InvoiceSettleForm,
            title=title,
            submit_label=title,
            perform=perform,
        )

    @admin.action(description=_("Waive"), permissions=["change"])
    def waive(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._settle(
            request,
            queryset,
            service=services.invoice_waive,
            title=gettext("Waive invoices"),
            done=gettext("%(count)s invoice(s) waived."),
        )

    @admin.action(description=_("Cancel"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._settle(
            request,
            queryset,
            service=services.invoice_cancel,
            title=gettext("Cancel invoices"),
            done=gettext("%(count)s invoice(s) cancelled."),
        )


@admin.register(Payment)
class PaymentAdmin(ReadOnlyLogAdmin):
    """Payments are recorded on the invoice list ("record a payment")."""

    list_display = ["invoice", "paid_on", "amount", "currency", "method", "reference"]
    list_select_related = ["invoice", "invoice__member"]
    list_filter = ["method", "currency"]
    search_fields = ["invoice__number", "reference", *_search_through("invoice__member")]
    readonly_fields = (
        "invoice",
        "paid_on",
        "amount",
        "currency",
        "method",
        "reference",
        "created_at",
    )
    fields = readonly_fields


@admin.register(FeeReminder)
class FeeReminderAdmin(admin.ModelAdmin):
    """The log of reminder e-mails, written by the reminder services."""

    list_display = ["invoice", "stage", "recipient", "sent_at", "sent_by"]
    list_select_related = ["invoice", "invoice__member", "sent_by"]
    list_filter = ["stage"]
    search_fields = ["invoice__number", "recipient", *_search_through("invoice__member")]
    readonly_fields = (
        "invoice",
        "stage",
        "recipient",
        "sent_at",
        "sent_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeeSchedule)
class FeeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "category", "amount", "currency", "description"]
    list_filter = ["year", "currency"]
    search_fields = ["category", "description"]
    fields = ["year", "category", "description", "amount", "currency"]


# --- People, roles and the membership log ----------------------------------------


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyLogAdmin):
    """Written by the lifecycle actions of the member list."""

    list_display = ["member", "from_status", "to_status", "effective_on", "changed_by", "created_at"]
    list_select_related = ["member", "changed_by"]
    list_filter = ["to_status"]
    search_fields = [*_search_through("member"), "reason"]
    readonly_fields = (
        "member",
        "from_status",
        "to_status",
        "effective_on",
        "reason",
        "changed_by",
        "created_at",
    )
    fields = readonly_fields


@admin.register(HeadOfGovernment)
class HeadOfGovernmentAdmin(ImportAllOrNothing, SpreadsheetFormats, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [HeadOfGovernmentResource]
    list_display = ["name", "member", "title", "gender", "term_start", "term_end"]
    list_select_related = ["member"]
    list_filter = ["gender", "member__region"]
    search_fields = ["name", "name_local", *_search_through("member")]
    fields = ["member", "name", "name_local", "title", "gender", "term_start", "term_end"]
    autocomplete_fields = ["member"]


@admin.register(Contact)
class ContactAdmin(ImportAllOrNothing, SpreadsheetFormats, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ContactResource]
    list_display = ["name", "member", "role", "email", "preferred_language", "is_primary"]
    list_select_related = ["member"]
    list_filter = ["is_primary", "preferred_language", "member__region"]
    search_fields = ["name", "email", *_search_through("member")]
    fields = ["member", "name", "role", "email", "phone", "preferred_language", "gender", "is_primary"]
    autocomplete_fields = ["member"]
    actions = ["invite_to_portal"]

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.invite_portal_users")

    @admin.action(description=_("Invite to the portal"), permissions=["invite"])
    def invite_to_portal(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        contacts = list(queryset.select_related("member"))

        def perform(data: dict[str, Any]) -> None:
            # One contact at a time: an e-mail that has gone out cannot be taken back.
            for contact in contacts:
                try:
                    user = services.user_invite(
                        member=contact.member,
                        email=contact.email,
                        full_name=contact.name,
                        role=data["role"],
                        language=contact.preferred_language,
                        base_url=request.build_absolute_uri("/"),
                        by=_acting_user(request),
                    )
                except ValidationError as error:
                    self.message_user(request, f"{contact.name}: {_refusal(error)}", messages.ERROR)
                    continue
                self.message_user(
                    request,
                    gettext("%(name)s (%(email)s) is invited to the portal of %(member)s.")
                    % {"name": contact.name, "email": user.email, "member": contact.member.name},
                    messages.SUCCESS,
                )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=InvitationForm,
            title=gettext("Invite to the portal"),
            intro=gettext(
                "Each selected contact receives an e-mail with a link, valid for %(days)s days and usable "
                "once, where they choose a password. Their account sees only their own city."
            )
            % {"days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60)},
            submit_label=gettext("Send the invitations"),
            perform=perform,
        )


@admin.register(BoardMandate)
class BoardMandateAdmin(SimpleHistoryAdmin):
    list_display = ["member", "role", "region", "holder_name", "start", "end"]
    list_select_related = ["member", "region"]
    list_filter = ["role", "region"]
    search_fields = ["holder_name", *_search_through("member")]
    fields = ["member", "role", "region", "holder_name", "holder_gender", "start", "end"]
    autocomplete_fields = ["member"]


class _RegionRow(Protocol):
    member_count: int


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "code", "position", "member_count"]
    search_fields = ["name_en", "name_es", "name_fr", "name_zh_hans", "code"]
    fields = ["name", "code", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, region: "_RegionRow") -> int:
        return region.member_count


# --- Partners and agreements -----------------------------------------------------


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin, TranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "category", "member", "active_from", "active_until"]
    list_select_related = ["member"]
    list_filter = ["category"]
    search_fields = ["name_en", "name_es", "name_fr", "name_zh_hans"]
    fields = ["name", "category", "member", "website", "active_from", "active_until"]
    autocomplete_fields = ["member"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "member", "partner", "signed_on", "gender_clause"]
    list_select_related = ["member", "partner"]
    list_filter = ["kind", "gender_clause"]
    search_fields = ["title", *_search_through("member"), "partner__name_en"]
    fields = ["title", "kind", "member", "partner", "signed_on", "gender_clause"]
    autocomplete_fields = ["member", "partner"]


# --- Submissions from the portal ------------------------------------------------------


class SubmissionStatusFilter(admin.SimpleListFilter):
    """The review queue first: pending submissions unless another status is chosen."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [*SubmissionStatus.choices, ("all", gettext("All"))]

    def choices(self, changelist: Any):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or SubmissionStatus.PENDING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or SubmissionStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """The review queue of what member cities propose from the portal. A
    submission is approved or rejected with the actions, which call the
    services: approval creates the record, rejection sends the reason back."""

    list_display = [
        "title",
        "member",
        "kind",
        "year",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
    ]
    list_select_related = ["member", "submitted_by", "reviewed_by"]
    list_filter = [SubmissionStatusFilter, "kind", "year"]
    search_fields = ["title", "description", *_search_through("member")]
    readonly_fields = [
        "member",
        "kind",
        "year",
        "title",
        "url",
        "happened_on",
        "description",
        "publication_kind",
        "status",
        "reason",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "platform_contribution",
        "participation",
        "publication",
    ]
    fields = readonly_fields
    actions = ["approve", "reject"]

    # Submissions come from the portal and stay as the record of the review.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.review_submissions")

    @admin.action(description=_("Approve (creates the record)"), permissions=["review"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One at a time: an approval that is refused (no World Metropolitan Day
        # event for the year) does not hold back the others.
        for submission in queryset:
            try:
                services.submission_approve(submission=submission, by=_acting_user(request))
            except ValidationError as error:
                self.message_user(request, f"{submission.title}: {_refusal(error)}", messages.ERROR)
                continue
            self.message_user(
                request, gettext("“%(title)s” is approved.") % {"title": submission.title}, messages.SUCCESS
            )

    @admin.action(description=_("Reject (the city sees the reason)"), permissions=["review"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def perform(data: dict[str, Any]) -> None:
            for submission in queryset:
                try:
                    services.submission_reject(
                        submission=submission, reason=data["reason"], by=_acting_user(request)
                    )
                except ValidationError as error:
                    self.message_user(request, f"{submission.title}: {_refusal(error)}", messages.ERROR)
                    continue
                self.message_user(
                    request,
                    gettext("“%(title)s” is rejected.") % {"title": submission.title},
                    messages.SUCCESS,
                )

        return _run_form_action(
            self,
            request,
            queryset,
            form_class=SubmissionRejectForm,
            title=gettext("Reject submissions"),
            submit_label=gettext("Reject"),
            perform=perform,
        )


# --- Portal accounts ---------------------------------------------------------------


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. A member city's focal point is invited from the contact list
    ("invite to the portal"); their role is a group. Deactivating an account,
    here or with the action, goes through the service, which ends its sessions."""

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "member_city", "is_staff", "is_active", "last_login"]
    list_select_related = ["member_city"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name", *_search_through("member_city")]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "member_city"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    autocomplete_fields = ["member_city"]
    actions = ["deactivate"]

    def has_deactivate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.deactivate_users")

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(user=obj, by=_acting_user(request))
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Deactivate (ends their sessions at once)"), permissions=["deactivate"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset.filter(is_active=True):
            services.user_deactivate(user=user, by=_acting_user(request))
        self.message_user(
            request, gettext("The selected accounts are deactivated and logged out."), messages.SUCCESS
        )
