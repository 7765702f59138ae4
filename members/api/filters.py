"""What API users filter the members records by (django-filter). Each filter
that rests on a figure (Board role in force, fee paid in a year, invoice
status) asks the members selectors for it."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from members.models import (
    Contact,
    Gender,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MemberKind,
    MemberStatus,
    Payment,
    PaymentMethod,
)
from members.models.city import BoardRole
from members.selectors.fees import FeeStatus, member_list
from members.selectors.membership import board_mandates_on, members_of_year
from metropolis.api.filters import IdFilter, YearFilter

ANY_ROLE = "any"


class MemberCityFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", help_text="A region's code, such as `europe`.")
    status = filters.ChoiceFilter(choices=MemberStatus.choices)
    kind = filters.ChoiceFilter(choices=MemberKind.choices)
    country = filters.CharFilter(
        method="filter_country", help_text="An ISO 3166-1 alpha-2 country code, such as ES."
    )
    board_role = filters.ChoiceFilter(
        choices=[(ANY_ROLE, "Any Board or statutory role"), *BoardRole.choices],
        method="filter_board_role",
        help_text="Members holding this Board or statutory role today (`any`: any role).",
    )
    fee_status = filters.ChoiceFilter(
        choices=FeeStatus.choices,
        method="filter_fee_status",
        help_text="Members in this fee status for `fee_year` (the year of the `fee` field).",
    )
    fee_paid = filters.BooleanFilter(
        method="filter_fee_paid",
        help_text="Members whose fee of `fee_paid_year` is (true) or is not (false) paid in full.",
    )
    fee_paid_year = YearFilter(
        method="filter_nothing",
        help_text="The year `fee_paid` is about (the current year when not given).",
    )
    member_in_year = YearFilter(
        method="filter_member_in_year",
        help_text="The member cities of that year (every yearly table is taken over them).",
    )
    ratified_from = filters.DateFilter(field_name="ratified_on", lookup_expr="gte")
    ratified_to = filters.DateFilter(field_name="ratified_on", lookup_expr="lte")

    class Meta:
        model = MemberCity
        fields = ["region", "status", "kind"]

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.upper())

    def filter_board_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        mandates = board_mandates_on(day=timezone.localdate())
        if value != ANY_ROLE:
            mandates = mandates.filter(role=value)
        return queryset.filter(pk__in=mandates.values("member"))

    def filter_fee_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The annotation member_list made for the year the view asked for.
        return queryset.filter(fee_status=value)

    def filter_fee_paid(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        year = self.form.cleaned_data.get("fee_paid_year")
        paid = member_list(year=int(year) if year else None, fee_status=FeeStatus.PAID).values("pk")
        return queryset.filter(pk__in=paid) if value else queryset.exclude(pk__in=paid)

    def filter_nothing(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # fee_paid_year only qualifies fee_paid.
        return queryset

    def filter_member_in_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(pk__in=members_of_year(year=int(value)).values("pk"))


class HeadOfGovernmentFilter(filters.FilterSet):
    member = IdFilter(field_name="member")
    gender = filters.ChoiceFilter(choices=Gender.choices)
    in_office_on = filters.DateFilter(method="filter_in_office_on", help_text="Terms covering that day.")

    class Meta:
        model = HeadOfGovernment
        fields = ["member", "gender"]

    def filter_in_office_on(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(term_start__lte=value).exclude(term_end__lt=value)


class ContactFilter(filters.FilterSet):
    member = IdFilter(field_name="member")

    class Meta:
        model = Contact
        fields = ["member", "is_primary", "preferred_language"]


class InvoiceFilter(filters.FilterSet):
    member = IdFilter(field_name="member")
    year = YearFilter(field_name="year")
    status = filters.ChoiceFilter(
        field_name="derived_status", choices=InvoiceStatus.choices, help_text="The invoice's status today."
    )

    class Meta:
        model = Invoice
        fields = ["member", "year", "status", "currency"]


class PaymentFilter(filters.FilterSet):
    invoice = IdFilter(field_name="invoice")
    member = IdFilter(field_name="invoice__member")
    year = YearFilter(field_name="invoice__year", help_text="The fee year of the invoice.")
    method = filters.ChoiceFilter(choices=PaymentMethod.choices)
    paid_from = filters.DateFilter(field_name="paid_on", lookup_expr="gte")
    paid_to = filters.DateFilter(field_name="paid_on", lookup_expr="lte")

    class Meta:
        model = Payment
        fields = ["invoice", "member", "year", "method"]
