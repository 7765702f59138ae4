"""Invoices, payments, fee reminders and the fee schedule in the admin."""

from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from members.admin.common import (
    ReadOnlyLogAdmin,
    ReadOnlyRecords,
    ReadOnlyRows,
    SimpleHistoryAdmin,
    SpreadsheetFormats,
    VersionCheckedAdmin,
    acting_user,
    add_refusal,
    admin_object_or_404,
    run_form_action,
    search_through,
    step_actions,
)
from members.documents import invoice_file_name, invoice_pdf, receipt_file_name, receipt_pdf
from members.forms import (
    InvoiceSettleForm,
    MemberPaymentRecordForm,
    PaymentRecordForm,
    StatementUploadForm,
)
from members.models import (
    FeeReminder,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Payment,
)
from members.resources import InvoiceResource
from members.selectors.fees import InvoiceRow, invoice_list
from members.services.fees import (
    invoice_cancel,
    invoice_record_payment,
    invoice_waive,
)
from members.services.reminders import invoice_send_reminder_now
from members.services.statements import statement_preview, statement_read, statement_record_payments
from metropolis.refusals import refusal_text


def _decoded(data: bytes) -> str:
    """A statement's text: UTF-8 (with or without its mark), else Latin-1, as banks export it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def payment_form_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    invoices: QuerySet,
    back: str,
    title: str,
    invoice: Invoice | None = None,
) -> HttpResponse:
    """The page that records one payment, on ``invoice`` or on one of
    ``invoices`` (chosen on the form). A refused payment shows the form again
    with what was typed and the refusal beside its field."""
    form_class = PaymentRecordForm if invoice is not None else MemberPaymentRecordForm
    extra: dict[str, Any] = {} if invoice is not None else {"invoices": invoices}
    if request.method == "POST":
        form = form_class(request.POST, **extra)
        if form.is_valid():
            data = dict(form.cleaned_data)
            target = data.pop("invoice", None) or invoice
            assert target is not None  # noqa: S101 - the form or the page names the invoice
            try:
                invoice_record_payment(invoice=target, **data)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                model_admin.message_user(
                    request,
                    gettext("Payment of %(amount)s %(currency)s recorded on invoice %(number)s.")
                    % {"amount": data["amount"], "currency": data["currency"], "number": target.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(back)
    else:
        first = invoice or invoices.first()
        initial = {"amount": first.outstanding, "currency": first.currency} if first else {}
        if invoice is None and first is not None:
            initial["invoice"] = first.pk
        form = form_class(initial=initial, **extra)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "invoice": invoice,
        "invoices": invoices,
        "back": back,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/members/payment_form.html", context)


class InvoiceStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return list(InvoiceStatus.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in InvoiceStatus.values:
            return queryset.filter(derived_status=self.value())
        return queryset


def receipt_link(payment: Payment) -> str:
    url = reverse("admin:members_payment_receipt", args=[payment.pk])
    return format_html('<a href="{}">{}</a>', url, gettext("Receipt (PDF)"))


# What a payment shows, read only, on its invoice's page and in the list of payments.
PAYMENT_COLUMNS = ("paid_on", "amount", "currency", "method", "reference", "created_at", "receipt")


class PaymentInline(ReadOnlyRows, admin.TabularInline):
    """Payments are recorded through the "record a payment" action."""

    model = Payment
    readonly_fields = PAYMENT_COLUMNS
    fields = readonly_fields

    @admin.display(description=_("receipt"))
    def receipt(self, payment: Payment) -> str:
        return receipt_link(payment)


# Waive and cancel: the date and reason asked for, then every selected invoice
# settled, or none.
_settlement = step_actions(
    InvoiceSettleForm,
    lambda service, request, invoice, data: service(invoice=invoice, on=data["on"], reason=data["reason"]),
    label=lambda invoice: invoice.number,
)


@admin.register(Invoice)
class InvoiceAdmin(VersionCheckedAdmin, SpreadsheetFormats, ExportMixin, SimpleHistoryAdmin):
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
    # The latest year first, then by number (the list's first column): read in
    # that order from an index, where the model's order by member name sorted
    # every invoice of the year at each page, more the more members there are.
    ordering = ["-year", "number"]
    list_filter = ["year", InvoiceStatusFilter, "member__region", "currency"]
    search_fields = ["number", *search_through("member")]
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
        "loaded_version",
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
    change_form_template = "admin/members/invoice/change_form.html"
    change_list_template = "admin/members/invoice/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return invoice_list()

    def get_urls(self) -> list:
        own = [
            path(
                "statement/",
                self.admin_site.admin_view(self.statement_view),
                name="members_invoice_statement",
            ),
            path(
                "<path:object_id>/payment/",
                self.admin_site.admin_view(self.payment_view),
                name="members_invoice_payment",
            ),
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="members_invoice_pdf",
            ),
        ]
        return [*own, *super().get_urls()]

    def _invoice_or_404(self, request: HttpRequest, object_id: str) -> Invoice:
        return admin_object_or_404(self, request, object_id)

    def payment_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Record a payment from the invoice's page; a refusal keeps what was typed."""
        invoice = self._invoice_or_404(request, object_id)
        if not self.has_change_permission(request, invoice):
            raise PermissionDenied
        back = reverse("admin:members_invoice_change", args=[invoice.pk])
        return payment_form_page(
            self,
            request,
            invoices=Invoice.objects.filter(pk=invoice.pk),
            invoice=invoice,
            back=back,
            title=gettext("Record a payment on invoice %(number)s") % {"number": invoice.number},
        )

    def pdf_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        invoice = self._invoice_or_404(request, object_id)
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        response = HttpResponse(invoice_pdf(invoice=invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice_file_name(invoice)}"'
        return response

    def statement_view(self, request: HttpRequest) -> HttpResponse:
        """Payments from a bank statement: upload, preview (nothing written),
        confirm (every line recorded, or none)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": gettext("Record payments from a bank statement"),
            "opts": self.model._meta,
        }
        form = StatementUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            text = request.POST.get("statement_text", "")
            try:
                lines = statement_read(text=text)
                payments = statement_record_payments(lines=lines)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                self.message_user(request, gettext("No payment was recorded."), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s payment recorded from the statement.",
                        "%(count)s payments recorded from the statement.",
                        len(payments),
                    )
                    % {"count": len(payments)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:members_invoice_changelist"))
        elif request.method == "POST":
            form = StatementUploadForm(request.POST, request.FILES)
            if form.is_valid():
                text = _decoded(form.cleaned_data["statement"].read())
                try:
                    lines = statement_preview(lines=statement_read(text=text))
                except ValidationError as error:
                    add_refusal(form, error)
                else:
                    context.update(
                        lines=lines,
                        statement_text=text,
                        all_ok=all(line.ok for line in lines) and bool(lines),
                        total=sum((line.amount or Decimal("0") for line in lines), Decimal("0")),
                    )
        context["form"] = form
        return TemplateResponse(request, "admin/members/invoice/statement.html", context)

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
            # A refusal raises: the form is shown again with what was typed.
            invoice_record_payment(invoice=invoice, **data)
            self.message_user(
                request,
                gettext("Payment of %(amount)s %(currency)s recorded on invoice %(number)s.")
                % {"amount": data["amount"], "currency": data["currency"], "number": invoice.number},
                messages.SUCCESS,
            )

        return run_form_action(
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
                reminder = invoice_send_reminder_now(invoice=invoice, by=acting_user(request))
            except ValidationError as error:
                self.message_user(request, refusal_text(error), messages.ERROR)
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

    waive = _settlement(invoice_waive, _("Waive"), _("Waive invoices"), _("%(count)s invoice(s) waived."))
    cancel = _settlement(
        invoice_cancel, _("Cancel"), _("Cancel invoices"), _("%(count)s invoice(s) cancelled.")
    )


@admin.register(Payment)
class PaymentAdmin(ReadOnlyLogAdmin):
    """Payments are recorded on the invoice list ("record a payment")."""

    list_display = ["invoice", "paid_on", "amount", "currency", "method", "reference"]
    list_select_related = ["invoice", "invoice__member"]
    list_filter = ["method", "currency"]
    search_fields = ["invoice__number", "reference", *search_through("invoice__member")]
    readonly_fields = ("invoice", *PAYMENT_COLUMNS)
    fields = readonly_fields

    @admin.display(description=_("receipt"))
    def receipt(self, payment: Payment) -> str:
        return receipt_link(payment)

    def get_urls(self) -> list:
        receipt = path(
            "<path:object_id>/receipt/",
            self.admin_site.admin_view(self.receipt_view),
            name="members_payment_receipt",
        )
        return [receipt, *super().get_urls()]

    def receipt_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        payment = admin_object_or_404(self, request, object_id, viewable=True)
        response = HttpResponse(receipt_pdf(payment=payment), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{receipt_file_name(payment)}"'
        return response


@admin.register(FeeReminder)
class FeeReminderAdmin(ReadOnlyRecords, admin.ModelAdmin):  # type: ignore[misc]
    """The log of reminder e-mails, written by the reminder services."""

    list_display = ["invoice", "stage", "recipient", "sent_at", "sent_by"]
    list_select_related = ["invoice", "invoice__member", "sent_by"]
    list_filter = ["stage"]
    search_fields = ["invoice__number", "recipient", *search_through("invoice__member")]
    readonly_fields = (
        "invoice",
        "stage",
        "recipient",
        "sent_at",
        "sent_by",
    )
    fields = readonly_fields


@admin.register(FeeSchedule)
class FeeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "category", "amount", "currency", "description"]
    list_filter = ["year", "currency"]
    search_fields = ["category", "description"]
    fields = ["year", "category", "description", "amount", "currency"]
