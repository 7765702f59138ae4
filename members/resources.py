"""CSV and XLSX import and export of the members app (django-import-export).

Member cities are keyed by slug, and contacts and heads of government name
their member by slug, so a spreadsheet can be edited and imported again. An
import commits all of its rows or none, and every row is validated with the
model's ``full_clean()``.

What goes wrong is said to the person importing, in their language: a missing
column by its name, a cell that cannot be read by its column and value; never
an exception's class or a traceback (those go to the log)."""

import logging
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import Error

from .models import Contact, HeadOfGovernment, Invoice, InvoiceStatus, MemberCity, Region

CENT = Decimal("0.01")

logger = logging.getLogger(__name__)


class ImportProblem(ValueError):
    """A problem with the file that the person importing can fix; the message
    says what, in their language."""


class ReadableError(Error):
    """An import error as the person reads it: the message of an
    :class:`ImportProblem`, else a sentence that sends them to the secretariat's
    administrators (the exception itself is logged)."""

    @property
    def message(self) -> str:
        if isinstance(self.error, ImportProblem):
            return str(self.error)
        logger.error("Import failed", exc_info=self.error)
        return _("This could not be imported because of an error on the server; nothing was changed.")


def _kind_of_value(widget: widgets.Widget) -> str:
    if isinstance(widget, widgets.IntegerWidget):
        return _("a whole number, e.g. 4700000")
    if isinstance(widget, widgets.DecimalWidget | widgets.FloatWidget):
        return _("a number, e.g. 12500.50")
    if isinstance(widget, widgets.DateTimeWidget):
        return _("a date and time, e.g. 2021-03-31 14:30")
    if isinstance(widget, widgets.DateWidget):
        return _("a date, e.g. 2021-03-31")
    if isinstance(widget, widgets.BooleanWidget):
        return _("yes or no (1 or 0)")
    return _("a value of this column")


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key given by a natural key (a slug or a code). An unknown key is
    a validation error of the row's cell rather than a crash of the row."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist:
            raise ImportProblem(
                _("There is no %(model)s with %(field)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class AllOrNothingResource(resources.ModelResource):
    """Rows are validated with ``full_clean()``; a file with any invalid row
    writes nothing, through the admin and through ``import_data()`` alike
    (django-import-export keeps the valid rows by default)."""

    def import_data(self, dataset, **kwargs):
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def get_error_result_class(self):
        return ReadableError

    def before_import(self, dataset, **kwargs):
        """A column the rows cannot do without (a key of the row, or a field
        that must have a value) must be in the file: a missing one is named
        rather than read as blank cells. Optional columns may be left out."""
        super().before_import(dataset, **kwargs)
        headers = {str(header).strip() for header in dataset.headers or []}
        expected = [field.column_name for field in self.get_import_fields() if self._column_required(field)]
        missing = [name for name in expected if name not in headers]
        if missing:
            raise ImportProblem(
                _("The file has no column %(missing)s. The first row must name the columns: %(expected)s.")
                % {
                    "missing": ", ".join(f"“{name}”" for name in missing),
                    "expected": ", ".join(field.column_name for field in self.get_import_fields()),
                }
            )

    def _column_required(self, field: fields.Field) -> bool:
        if field.column_name in self.get_import_id_fields() or field.attribute in self.get_import_id_fields():
            return True
        try:
            model_field = self._meta.model._meta.get_field(field.attribute)
        except Exception:  # noqa: BLE001 - a computed column: never required
            return False
        return not (model_field.blank or model_field.null or model_field.has_default())

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A cell that cannot be read is an error of its column that says what
        was expected (the widgets raise ``decimal.InvalidOperation`` and others
        whose text is meant for programmers)."""
        try:
            super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except ImportProblem:
            raise
        except (ValueError, ArithmeticError, TypeError, OverflowError) as error:
            logger.debug("Unreadable cell in column %s", field.column_name, exc_info=error)
            raise ImportProblem(
                _("“%(value)s” in column “%(column)s” cannot be read: write %(expected)s.")
                % {
                    "value": row.get(field.column_name),
                    "column": field.column_name,
                    "expected": _kind_of_value(field.widget),
                }
            ) from error


def _member_field() -> fields.Field:
    return fields.Field(
        attribute="member", column_name="member", widget=NaturalKeyWidget(MemberCity, field="slug")
    )


class MemberCityResource(AllOrNothingResource):
    region = fields.Field(
        attribute="region", column_name="region", widget=NaturalKeyWidget(Region, field="code")
    )

    class Meta:
        model = MemberCity
        fields = (
            "slug",
            "name_en",
            "name_es",
            "name_fr",
            "name_zh_hans",
            "country",
            "region",
            "kind",
            "population",
            "population_year",
            "website",
        )
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_country(self, member: MemberCity) -> str:
        # The ISO code, as imported (a Country object would print its code too,
        # but the type checker sees a plain string).
        return str(member.country)


class MemberCityExportResource(MemberCityResource):
    """The member export: the importable columns, then where each member stands
    (status, fee of the year, arrears) and its primary contact. Expects the
    queryset of ``selectors.fees.member_list()`` (figures annotated, no query
    per row); the primary contact is read in one query for the whole export."""

    status = fields.Field(attribute="status", column_name="status", readonly=True)
    fee_year = fields.Field(attribute="fee_year", column_name="fee_year", readonly=True)
    fee_status = fields.Field(attribute="fee_status", column_name="fee_status", readonly=True)
    arrears = fields.Field(attribute="arrears", column_name="arrears", readonly=True)
    primary_contact = fields.Field(column_name="primary_contact", readonly=True)
    primary_contact_email = fields.Field(column_name="primary_contact_email", readonly=True)

    class Meta(MemberCityResource.Meta):
        fields = (
            *MemberCityResource.Meta.fields,
            "status",
            "fee_year",
            "fee_status",
            "arrears",
            "primary_contact",
            "primary_contact_email",
        )

    def before_export(self, queryset, **kwargs):
        contacts = Contact.objects.filter(
            member__in=queryset.values("pk"), is_primary=True, erased_at__isnull=True
        ).values_list("member_id", "name", "email")
        self._primary = {member_id: (name, email) for member_id, name, email in contacts}
        return super().before_export(queryset, **kwargs)

    def dehydrate_arrears(self, member: MemberCity) -> Decimal:
        return Decimal(getattr(member, "arrears", 0)).quantize(CENT)

    def dehydrate_primary_contact(self, member: MemberCity) -> str:
        return getattr(self, "_primary", {}).get(member.pk, ("", ""))[0]

    def dehydrate_primary_contact_email(self, member: MemberCity) -> str:
        return getattr(self, "_primary", {}).get(member.pk, ("", ""))[1]


class ContactResource(AllOrNothingResource):
    member = _member_field()

    class Meta:
        model = Contact
        fields = ("member", "name", "role", "email", "phone", "preferred_language", "gender", "is_primary")
        # A contact is identified by its member and name: a file can be imported again.
        import_id_fields = ("member", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class HeadOfGovernmentResource(AllOrNothingResource):
    member = _member_field()

    class Meta:
        model = HeadOfGovernment
        fields = ("member", "name", "name_local", "title", "gender", "term_start", "term_end")
        # One term of a member starts on a given day: that identifies it.
        import_id_fields = ("member", "term_start")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class InvoiceResource(resources.ModelResource):
    """Export only: invoices are issued through the service, never imported.
    Expects the queryset of ``selectors.invoice_list()`` (paid total and status
    annotated, no query per row)."""

    member = fields.Field(attribute="member__slug", column_name="member")
    member_name = fields.Field(attribute="member__name", column_name="member_name")
    paid = fields.Field(column_name="paid")
    outstanding = fields.Field(column_name="outstanding")
    status = fields.Field(column_name="status")

    class Meta:
        model = Invoice
        fields = (
            "number",
            "member",
            "member_name",
            "year",
            "amount",
            "currency",
            "issued_on",
            "due_on",
            "paid",
            "outstanding",
            "status",
            "waived_on",
            "cancelled_on",
        )

    # Amounts are numbers (a spreadsheet sums them), not text.
    def dehydrate_paid(self, invoice: Invoice) -> Decimal:
        return invoice.paid_amount.quantize(CENT)

    def dehydrate_outstanding(self, invoice: Invoice) -> Decimal:
        return invoice.outstanding.quantize(CENT)

    def dehydrate_status(self, invoice: Invoice) -> str:
        status = getattr(invoice, "derived_status", None) or invoice.status_on(timezone.localdate())
        return InvoiceStatus(status).value
