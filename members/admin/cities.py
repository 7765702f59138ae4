"""The member cities in the admin: the list (fee of a year, Board roles, current
head of government), the lifecycle actions, and the change log of a city's
portal accounts."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin

from members.admin.common import (
    MEMBER_NAME_SEARCH,
    ImportAllOrNothing,
    ReadOnlyRows,
    SimpleHistoryAdmin,
    SpreadsheetFormats,
    VersionCheckedAdmin,
    acting_user,
    admin_object_or_404,
    choice_column,
    choice_label,
    country_column,
    run_form_action,
    step_actions,
)
from members.admin.fees import payment_form_page
from members.forms import (
    MembershipStepForm,
    invoices_issue_form,
)
from members.models import (
    BoardMandate,
    Contact,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
)
from members.models.city import BoardRole
from members.resources import MemberCityExportResource, MemberCityResource
from members.selectors.change_log import change_log
from members.selectors.fees import FeeStatus, InvoiceRow, MemberRow, invoice_list, latest_fees, member_list
from members.selectors.membership import board_mandates_on
from members.selectors.reporting_year import reporting_year
from members.services.fees import (
    invoices_issue_for_year,
)
from members.services.lifecycle import (
    member_delete,
    member_has_history,
    member_ratify,
    member_reinstate,
    member_suspend,
    member_withdraw,
)
from members.services.profile import logo_discard_if_replaced


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


class InvoiceInline(ReadOnlyRows, admin.TabularInline):
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
    show_change_link = False

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


# Ratify, suspend, reinstate and withdraw: the date and reason asked for, then the
# step taken on every selected member, or on none.
_membership_step = step_actions(
    MembershipStepForm,
    lambda service, request, member, data: service(
        member=member, on=data["on"], reason=data["reason"], by=acting_user(request)
    ),
)


@admin.register(MemberCity)
class MemberCityAdmin(
    VersionCheckedAdmin,
    ImportAllOrNothing,
    SpreadsheetFormats,
    ImportExportMixin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [MemberCityResource]

    def get_export_resource_classes(self, request: HttpRequest) -> list:
        return [MemberCityExportResource]

    change_form_template = "admin/members/membercity/change_form.html"
    # Addresses typed without a scheme are web addresses of today: https (as in the activities admin).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        country_column(),
        "region",
        choice_column(MemberCity, "kind"),
        choice_column(MemberCity, "status"),
        "current_head",
        "fee_column",
        "arrears_display",
    ]
    list_select_related = ["region"]
    list_filter = ["region", "status", "kind", BoardRoleFilter, FeeStatusFilter]
    search_fields = MEMBER_NAME_SEARCH
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "region", "kind", "fee_category", "loaded_version"]}),
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

    def save_model(self, request: HttpRequest, obj: MemberCity, form: forms.ModelForm, change: bool) -> None:
        previous_logo = form.initial.get("logo")
        super().save_model(request, obj, form, change)
        if previous_logo:
            logo_discard_if_replaced(previous=str(previous_logo), member=obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        chosen = _fee_filter_value(request.GET.get(FeeStatusFilter.parameter_name))
        # The columns the list and its export show: the others' subqueries would
        # cost the database and the compiler on every page.
        return member_list(
            year=chosen[0] if chosen else reporting_year(),
            columns=("head_name", "head_title", "fee_year", "fee_status", "arrears"),
        )

    def get_urls(self) -> list:
        portal_changes = path(
            "<path:object_id>/portal-changes/",
            self.admin_site.admin_view(self.portal_changes_view),
            name="members_membercity_portal_changes",
        )
        payment = path(
            "<path:object_id>/payment/",
            self.admin_site.admin_view(self.payment_view),
            name="members_membercity_payment",
        )
        return [portal_changes, payment, *super().get_urls()]

    def payment_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Record a payment from the member's page, on one of its open invoices."""
        member = admin_object_or_404(self, request, object_id)
        if not self.has_change_permission(request, member) or not request.user.has_perm(
            "members.change_invoice"
        ):
            raise PermissionDenied
        open_statuses = [InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE]
        return payment_form_page(
            self,
            request,
            invoices=invoice_list(member=member)
            .filter(derived_status__in=open_statuses)  # type: ignore[misc]
            .order_by("year"),
            back=reverse("admin:members_membercity_change", args=[member.pk]),
            title=gettext("Record a payment: %(member)s") % {"member": member.name},
        )

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
        member = admin_object_or_404(self, request, object_id, viewable=True)
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
        return f"{member.fee_year}: {choice_label(FeeStatus, member.fee_status)}"

    @admin.display(description=_("arrears"), ordering="arrears")
    def arrears_display(self, member: MemberRow) -> str:
        return f"{member.arrears:.2f}" if member.arrears else "–"

    # A member with a history is withdrawn, never deleted: no delete button or
    # deletion for it, and the others go through the service.
    def has_delete_permission(self, request: HttpRequest, obj: MemberCity | None = None) -> bool:
        if obj is not None and member_has_history(member=obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: MemberCity) -> None:
        member_delete(member=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for member in queryset:
            member_delete(member=member)

    ratify = _membership_step(
        member_ratify,
        _("Ratify (the Board admitted them)"),
        _("Ratify members"),
        _("%(count)s member(s) ratified."),
    )
    suspend = _membership_step(
        member_suspend, _("Suspend"), _("Suspend members"), _("%(count)s member(s) suspended.")
    )
    reinstate = _membership_step(
        member_reinstate, _("Reinstate"), _("Reinstate members"), _("%(count)s member(s) reinstated.")
    )
    withdraw = _membership_step(
        member_withdraw, _("Withdraw"), _("Withdraw members"), _("%(count)s member(s) withdrawn.")
    )

    @admin.action(description=_("Issue the fee invoices of a year"), permissions=["change"])
    def issue_invoices(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        categories = sorted(set(queryset.values_list("fee_category", flat=True)))
        form_class = invoices_issue_form(categories, latest_fees(categories=categories))

        def perform(data: dict[str, Any]) -> None:
            # A refusal (a fee missing, a date) raises: the form is shown again as typed.
            issued = invoices_issue_for_year(
                year=data["year"],
                issued_on=data["issued_on"],
                due_on=data["due_on"],
                members=MemberCity.objects.filter(pk__in=queryset.values("pk")),
                fees={c: data[f"fee_{c}"] for c in categories if data.get(f"fee_{c}") is not None},
                currency=(data.get("fee_currency") or "EUR").upper(),
                by=acting_user(request),
            )
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

        return run_form_action(
            self,
            request,
            queryset,
            form_class=form_class,
            title=gettext("Issue the fee invoices of a year"),
            intro=gettext(
                "Each selected active member without an invoice for the year gets one, "
                "at the fee of its category, which you can set here; the others are left as they are."
            ),
            submit_label=gettext("Issue invoices"),
            perform=perform,
            initial={"year": timezone.localdate().year},
        )
