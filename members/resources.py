"""CSV and XLSX import and export of the members app (django-import-export).

Member cities are keyed by slug, and contacts and heads of government name
their member by slug, so a spreadsheet can be edited and imported again. An
import commits all of its rows or none, and every row is validated with the
model's ``full_clean()``."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Contact, HeadOfGovernment, Invoice, InvoiceStatus, MemberCity, Region


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key given by a natural key (a slug or a code). An unknown key is
    a validation error of the row's cell rather than a crash of the row."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
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

    def dehydrate_paid(self, invoice: Invoice) -> str:
        return format(invoice.paid_amount, ".2f")

    def dehydrate_outstanding(self, invoice: Invoice) -> str:
        return format(invoice.outstanding, ".2f")

    def dehydrate_status(self, invoice: Invoice) -> str:
        status = getattr(invoice, "derived_status", None) or invoice.status_on(timezone.localdate())
        return InvoiceStatus(status).value
