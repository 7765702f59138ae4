"""Serializers of the members API. Output serializers read the annotations of
the members selectors (current head of government, fee of the year, arrears,
invoice status): nothing here computes a figure. Input serializers list the
fields a request may set; the services validate and write."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.storage import default_storage
from django_countries import countries
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order
from rest_framework import serializers

from members.models import (
    Contact,
    Gender,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MemberKind,
    Payment,
    PaymentMethod,
    Region,
)
from members.selectors.fees import FeeStatus
from metropolis.api.serializers import ReadOnlyModelSerializer
from metropolis.years import FIRST_YEAR, LAST_YEAR

LIFECYCLE_STEPS = ("ratify", "suspend", "reinstate", "withdraw")


class RegionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "position"]


class RegionSummarySerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class MemberSummarySerializer(ReadOnlyModelSerializer):
    """A member city named inside another record."""

    class Meta:
        model = MemberCity
        fields = ["id", "slug", "name"]


class CurrentHeadSerializer(serializers.Serializer):
    """The head of government in office today (``member_list``'s ``head_*``)."""

    name = serializers.CharField()
    title = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)


class FeeOfYearSerializer(serializers.Serializer):
    """The member's fee of ``fee_year`` (``member_list``'s ``fee_*``)."""

    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=FeeStatus.choices)
    paid = serializers.BooleanField(help_text="The fee of the year is paid in full.")
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="The amount of the year's invoice; null without one.",
    )
    paid_total = serializers.DecimalField(max_digits=12, decimal_places=2)


# The representations written out below give what DRF's fields give: a
# DecimalField's string with its places, a DateTimeField in the current time zone.
_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")
_MOMENT = serializers.DateTimeField()


def _money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    # str() of a Decimal with two places is its plain notation (and much faster than format()).
    return str(value.quantize(_CENT))


def _coordinate(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(_MICRO):f}"


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


class MemberCitySerializer(ReadOnlyModelSerializer):
    """A member city in a list: names in the four languages, region, status,
    the current head of government and the fee of ``fee_year``.

    The fields below are the contract (and the schema); ``to_representation``
    writes them out directly, since a list of 143 members through DRF's
    generic field machinery costs more than the query. It reads a member of
    ``member_list`` (or a :class:`MemberListRow` of the same query)."""

    country = serializers.CharField()
    # A plain string: it may be empty (the schema's "uri" format would refuse that).
    website = serializers.CharField()
    region = RegionSummarySerializer(allow_null=True)
    head_of_government = CurrentHeadSerializer(allow_null=True)
    fee = FeeOfYearSerializer()
    arrears = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Outstanding on the member's overdue invoices today.",
    )

    class Meta:
        model = MemberCity
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "name_es",
            "name_fr",
            "name_zh_hans",
            "country",
            "region",
            "kind",
            "status",
            "ratified_on",
            "withdrawn_on",
            "website",
            "population",
            "population_year",
            "head_of_government",
            "fee",
            "arrears",
        ]

    def to_representation(self, member: Any) -> dict[str, Any]:
        region = member.region
        return {
            "id": member.id,
            "slug": member.slug,
            "name": member.name,
            "name_en": member.name_en,
            "name_es": member.name_es,
            "name_fr": member.name_fr,
            "name_zh_hans": member.name_zh_hans,
            "country": str(member.country),
            "region": None if region is None else {"id": region.id, "code": region.code, "name": region.name},
            "kind": member.kind,
            "status": member.status,
            "ratified_on": _day(member.ratified_on),
            "withdrawn_on": _day(member.withdrawn_on),
            "website": member.website,
            "population": member.population,
            "population_year": member.population_year,
            "head_of_government": None
            if member.head_name is None
            else {"name": member.head_name, "title": member.head_title, "gender": member.head_gender},
            "fee": {
                "year": member.fee_year,
                "status": member.fee_status,
                "paid": member.fee_paid,
                "amount": _money(member.fee_amount),
                "paid_total": _money(member.fee_paid_total),
            },
            "arrears": _money(member.arrears),
        }


# The fields of a member's profile that its detail gives beyond the list's: the
# detail serializer's and the detail query's columns.
MEMBER_PROFILE_FIELDS = (
    "description_en",
    "description_es",
    "description_fr",
    "description_zh_hans",
    "fee_category",
    "latitude",
    "longitude",
    "logo",
    "created_at",
    "updated_at",
)


class MemberCityDetailSerializer(MemberCitySerializer):
    """One member city: the list's fields and the rest of its profile."""

    logo = serializers.ImageField(allow_null=True, use_url=True)

    class Meta(MemberCitySerializer.Meta):
        fields = [*MemberCitySerializer.Meta.fields, *MEMBER_PROFILE_FIELDS]

    def to_representation(self, member: Any) -> dict[str, Any]:
        data = super().to_representation(member)
        logo = getattr(member.logo, "name", member.logo)
        request = self.context.get("request")
        logo_url = default_storage.url(logo) if logo else None
        if logo_url and request is not None:
            logo_url = request.build_absolute_uri(logo_url)
        data.update(
            {
                "description_en": member.description_en,
                "description_es": member.description_es,
                "description_fr": member.description_fr,
                "description_zh_hans": member.description_zh_hans,
                "fee_category": member.fee_category,
                "latitude": _coordinate(member.latitude),
                "longitude": _coordinate(member.longitude),
                "logo": logo_url,
                "created_at": _MOMENT.to_representation(member.created_at),
                "updated_at": _MOMENT.to_representation(member.updated_at),
            }
        )
        return data


# The columns of member_list the two serializers read, for a compiled query.
MEMBER_LIST_COLUMNS = (
    "id",
    "slug",
    "name_en",
    "name_es",
    "name_fr",
    "name_zh_hans",
    "country",
    "region_id",
    "region__code",
    "region__name_en",
    "region__name_es",
    "region__name_fr",
    "region__name_zh_hans",
    "kind",
    "status",
    "ratified_on",
    "withdrawn_on",
    "website",
    "population",
    "population_year",
    # The head of government as one JSON object (``head_in_office_json``):
    # one lookup per member rather than one per column.
    "head",
    "fee_year",
    "fee_status",
    "fee_paid",
    "fee_amount",
    "fee_paid_total",
    "arrears",
)
MEMBER_DETAIL_COLUMNS = (*MEMBER_LIST_COLUMNS, *MEMBER_PROFILE_FIELDS)


def _first_given(row: dict[str, Any], keys: list[str]) -> str:
    for key in keys:
        value = row[key]
        if value is not None and value != "":
            return value
    return ""


class MemberListRow:
    """A row of a compiled ``member_list`` query, read like a member of
    ``member_list`` (its translated names in the active language, with
    modeltranslation's fallbacks, as ``member.name`` gives them)."""

    region: SimpleNamespace | None
    name: str
    head_name: str | None
    head_title: str | None
    head_gender: str | None

    @classmethod
    def rows(cls, columns: tuple[str, ...], rows: list[tuple]) -> list["MemberListRow"]:
        """The rows of one request (``columns``: ``MEMBER_LIST_COLUMNS`` or ``MEMBER_DETAIL_COLUMNS``)."""
        names = [build_localized_fieldname("name", language) for language in resolution_order(get_language())]
        region_names = [f"region__{name}" for name in names]
        members = []
        for values in rows:
            member = cls()
            row = member.__dict__
            row.update(zip(columns, values, strict=True))
            member.name = _first_given(row, names)
            head = row.pop("head")
            member.head_name = head and head["name"]
            member.head_title = head and head["title"]
            member.head_gender = head and head["gender"]
            member.region = (
                None
                if row["region_id"] is None
                else SimpleNamespace(
                    id=row["region_id"], code=row["region__code"], name=_first_given(row, region_names)
                )
            )
            members.append(member)
        return members


class MemberCityInputSerializer(serializers.Serializer):
    """What the secretariat sets on a member city. The membership status changes
    through ``lifecycle``; the fee status is derived from invoices and payments."""

    name_en = serializers.CharField(max_length=200)
    name_es = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    name_fr = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    name_zh_hans = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    slug = serializers.SlugField(max_length=100)
    country = serializers.ChoiceField(choices=list(countries))
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), allow_null=True, help_text="The region's code."
    )
    kind = serializers.ChoiceField(choices=MemberKind.choices)
    fee_category = serializers.CharField(max_length=40, required=False, default="standard")
    website = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    population = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, required=False, allow_null=True, default=None
    )
    population_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True, default=None
    )
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
    )
    description_en = serializers.CharField(required=False, allow_blank=True, default="")
    description_es = serializers.CharField(required=False, allow_blank=True, default="")
    description_fr = serializers.CharField(required=False, allow_blank=True, default="")
    description_zh_hans = serializers.CharField(required=False, allow_blank=True, default="")


class MemberLifecycleInputSerializer(serializers.Serializer):
    """A step of the membership lifecycle, as the Board decided it."""

    step = serializers.ChoiceField(choices=[(step, step) for step in LIFECYCLE_STEPS])
    on = serializers.DateField(help_text="The day the step takes effect.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to suspend or withdraw."
    )


class HeadOfGovernmentSerializer(ReadOnlyModelSerializer):
    member = MemberSummarySerializer()

    class Meta:
        model = HeadOfGovernment
        fields = ["id", "member", "name", "name_local", "title", "gender", "term_start", "term_end"]


class ContactSerializer(ReadOnlyModelSerializer):
    member = MemberSummarySerializer()
    # A plain string: it may be empty (the schema's "email" format would refuse that).
    email = serializers.CharField()
    # Declared: a read-only field of the model would lose its empty choice in the schema.
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "member",
            "name",
            "role",
            "email",
            "phone",
            "preferred_language",
            "gender",
            "is_primary",
        ]


class InvoiceSerializer(ReadOnlyModelSerializer):
    """An invoice with what has been paid and its status today (``invoice_list``'s annotations)."""

    member = MemberSummarySerializer()
    paid_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=12, decimal_places=2)
    status = serializers.ChoiceField(source="derived_status", choices=InvoiceStatus.choices)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "member",
            "year",
            "amount",
            "currency",
            "issued_on",
            "due_on",
            "waived_on",
            "cancelled_on",
            "paid_total",
            "outstanding",
            "status",
        ]


class InvoiceSummarySerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "number", "year", "member"]


class PaymentSerializer(ReadOnlyModelSerializer):
    invoice = InvoiceSummarySerializer()

    class Meta:
        model = Payment
        fields = ["id", "invoice", "paid_on", "amount", "currency", "method", "reference", "created_at"]


class PaymentInputSerializer(serializers.Serializer):
    """Money received against the invoice. Refused: another currency than the
    invoice's, more than is outstanding, a waived or cancelled invoice."""

    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = serializers.CharField(min_length=3, max_length=3)
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class FeeYearQuerySerializer(serializers.Serializer):
    """The ``fee_year`` query parameter of the member endpoints."""

    fee_year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
