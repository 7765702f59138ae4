"""Secretariat admin for the members app.

Thin by design: lists read through the selectors (one query per page, whatever
the number of rows), and every lifecycle step, invoice, payment and reminder is
an admin action that collects its input on an intermediate page and calls one
service. Models with translated names use modeltranslation's ``TranslationAdmin``
(the tabbed variant loads jQuery UI from a CDN). Every model registered with
django-simple-history shows its change history, with the acting user."""

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import (
    InvoiceSettleForm,
    InvoicesIssueForm,
    MembershipStepForm,
    PaymentRecordForm,
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
    User,
)
from .models.city import BoardRole
from .resources import ContactResource, HeadOfGovernmentResource, InvoiceResource, MemberCityResource
from .selectors import FeeStatus, InvoiceRow, MemberRow, board_mandates_on, invoice_list, member_list

MEMBER_NAME_SEARCH = ["name_en", "name_es", "name_fr", "name_zh_hans", "slug"]


def _search_through(prefix: str) -> list[str]:
    return [f"{prefix}__{field}" for field in MEMBER_NAME_SEARCH]


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
    ]
    readonly_fields = ["status", "ratified_on", "withdrawn_on", "created_at", "updated_at"]
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
            refusals = []
            # All selected members change, or none: a refusal rolls back the others.
            with transaction.atomic():
                for member in queryset:
                    try:
                        service(member=member, on=data["on"], reason=data["reason"], by=_acting_user(request))
                    except ValidationError as error:
                        refusals.append(_refusal(error))
                if refusals:
                    transaction.set_rollback(True)
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            if refusals:
                self.message_user(request, gettext("Nothing was changed."), messages.ERROR)
            else:
                self.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)

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
            refusals = []
            with transaction.atomic():
                for invoice in queryset:
                    try:
                        service(invoice=invoice, on=data["on"], reason=data["reason"])
                    except ValidationError as error:
                        refusals.append(f"{invoice.number}: {_refusal(error)}")
                if refusals:
                    transaction.set_rollback(True)
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            if refusals:
                self.message_user(request, gettext("Nothing was changed."), messages.ERROR)
            else:
                self.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)

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


# --- Portal accounts ---------------------------------------------------------------


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
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
