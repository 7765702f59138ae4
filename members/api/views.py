"""Endpoints of the members records: member cities, regions, heads of
government, contacts, invoices and payments.

Thin: each list and detail reads from a scoping selector (``members.selectors``: the
secretariat and the communications team read every city, a city account its
own city; another city's record answers 404), each write validates its input
serializer and calls one service, whose refusals answer 400.
"""

from collections.abc import Hashable

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from members.models import MemberCity, Region
from members.selectors.heads import head_in_office_json
from members.selectors.reporting_year import reporting_year
from members.selectors.scoping import (
    contact_list_for_user,
    head_of_government_list_for_user,
    invoice_list_for_user,
    member_list_for_user,
    member_queryset_for_user,
    own_city_id,
    payment_list_for_user,
    reads_every_city,
)
from members.services import lifecycle as member_lifecycle
from members.services.fees import invoice_record_payment
from members.services.lifecycle import member_create, member_update
from metropolis.api.compiled import compiled_query
from metropolis.api.errors import refusals_as_400
from metropolis.api.filters import year_parameter
from metropolis.api.permissions import SecretariatWrites
from metropolis.api.viewsets import AccountRecordsViewSet, ApiViewSet, ReadOnlyApiViewSet, account, record_id
from metropolis.years import FIRST_YEAR, LAST_YEAR

from .filters import ContactFilter, HeadOfGovernmentFilter, InvoiceFilter, MemberCityFilter, PaymentFilter
from .serializers import (
    MEMBER_DETAIL_COLUMNS,
    MEMBER_LIST_COLUMNS,
    ContactSerializer,
    FeeYearQuerySerializer,
    HeadOfGovernmentSerializer,
    InvoiceSerializer,
    MemberCityDetailSerializer,
    MemberCityInputSerializer,
    MemberCitySerializer,
    MemberLifecycleInputSerializer,
    MemberListRow,
    PaymentInputSerializer,
    PaymentSerializer,
    RegionSerializer,
)

MEMBERS_TAG = "Members"
FINANCE_TAG = "Fees"

FEE_YEAR = year_parameter(
    "fee_year",
    description=f"The year of the `fee` field (the current year when not given), {FIRST_YEAR}-{LAST_YEAR}.",
)

MEMBER_EXAMPLE = OpenApiExample(
    "A member city",
    response_only=True,
    value={
        "id": 12,
        "slug": "barcelona",
        "name": "Barcelona",
        "name_en": "Barcelona",
        "name_es": "Barcelona",
        "name_fr": "Barcelone",
        "name_zh_hans": "巴塞罗那",
        "country": "ES",
        "region": {"id": 3, "code": "europe", "name": "Europe"},
        "kind": "city",
        "status": "active",
        "ratified_on": "1985-04-19",
        "withdrawn_on": None,
        "website": "https://www.barcelona.cat",
        "population": 1636732,
        "population_year": 2021,
        "head_of_government": {"name": "Ada Colau", "title": "Mayor", "gender": "woman"},
        "fee": {"year": 2021, "status": "paid", "paid": True, "amount": "30000.00", "paid_total": "30000.00"},
        "arrears": "0.00",
    },
)

MEMBER_INPUT_EXAMPLE = OpenApiExample(
    "A new member city",
    request_only=True,
    value={
        "name_en": "Lisbon",
        "name_es": "Lisboa",
        "name_fr": "Lisbonne",
        "name_zh_hans": "里斯本",
        "slug": "lisbon",
        "country": "PT",
        "region": "europe",
        "kind": "city",
        "website": "https://www.lisboa.pt",
        "population": 545796,
        "population_year": 2021,
    },
)


def _fee_year(request: Request) -> int:
    query = FeeYearQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("fee_year") or reporting_year()


def _request_key(request: Request) -> Hashable:
    """What a member queryset depends on besides the path: the account's scope,
    the day, the language and the query parameters (except the page's)."""
    user = request.user
    scope = "every-city" if reads_every_city(user) else own_city_id(user)
    parameters = tuple(
        sorted(
            (name, tuple(values))
            for name, values in request.query_params.lists()
            if name not in _PAGE_PARAMETERS
        )
    )
    return (scope, timezone.localdate(), get_language(), parameters)


_PAGE_PARAMETERS = frozenset({"page", "page_size", "format"})


@extend_schema_view(
    list=extend_schema(
        summary="List member cities",
        description=(
            "Member cities with their names in the four languages, region, kind, membership status, "
            "the head of government in office today and the fee of `fee_year` (paid, unpaid, waived, "
            "cancelled or no invoice; derived from invoices and payments, never set). A city account "
            "gets its own city only."
        ),
        parameters=[FEE_YEAR],
        examples=[MEMBER_EXAMPLE],
        tags=[MEMBERS_TAG],
    ),
    retrieve=extend_schema(
        summary="One member city",
        description="The list's fields and the rest of the profile. Another city's member answers 404 to a city account.",
        parameters=[FEE_YEAR],
        tags=[MEMBERS_TAG],
    ),
    create=extend_schema(
        summary="Record a new member city (secretariat)",
        description=(
            "Creates a candidate member; the Board's ratification is a `lifecycle` step. "
            "Refused (400): a slug in use, a field the model refuses."
        ),
        request=MemberCityInputSerializer,
        responses={201: MemberCityDetailSerializer},
        examples=[MEMBER_INPUT_EXAMPLE],
        tags=[MEMBERS_TAG],
    ),
    update=extend_schema(
        summary="Replace a member city's profile (secretariat)",
        description="Every field of the input; the status and the fee are not among them.",
        request=MemberCityInputSerializer,
        responses={200: MemberCityDetailSerializer},
        tags=[MEMBERS_TAG],
    ),
    partial_update=extend_schema(
        summary="Change some of a member city's profile (secretariat)",
        description="Only the fields given change; the status and the fee are not among them.",
        request=MemberCityInputSerializer,
        responses={200: MemberCityDetailSerializer},
        tags=[MEMBERS_TAG],
    ),
)
class MemberCityViewSet(ApiViewSet):
    # Lists and details read member_list (through the account's scope) as SQL
    # compiled once per scope, day, language, fee year and query
    # (metropolis.api.compiled): the queryset is built, filtered and compiled
    # only the first time. (A comment, not a docstring: DRF shows docstrings to clients.)

    filterset_class = MemberCityFilter
    search_fields = ["name_en", "name_es", "name_fr", "name_zh_hans", "slug"]
    ordering_fields = ["id", "name", "name_en", "slug", "country", "kind", "status", "ratified_on"]
    ordering = ["name_en", "id"]

    def get_queryset(self):
        request = self.request
        if getattr(self, "swagger_fake_view", False):  # the schema: no request data, no query
            return MemberCity.objects.none()
        today = timezone.localdate()
        members = member_list_for_user(user=request.user, year=_fee_year(request), today=today)
        return members.annotate(head=head_in_office_json(today))

    def get_serializer_class(self):
        return MemberCitySerializer if self.action == "list" else MemberCityDetailSerializer

    def _member(self, pk: str) -> MemberCity:
        """The member to change (the account's scope; without the annotations)."""
        return get_object_or_404(member_queryset_for_user(user=self.request.user), pk=record_id(pk))

    def _detail(self, pk: str | int) -> dict:
        member_id = record_id(str(pk))
        key = ("member-detail", member_id, _fee_year(self.request), _request_key(self.request))
        query = compiled_query(
            key,
            lambda: self.filter_queryset(self.get_queryset()).filter(pk=member_id),
            MEMBER_DETAIL_COLUMNS,
            counted=False,
        )
        rows, _total = query.fetch()
        if not rows:
            raise Http404
        (member,) = MemberListRow.rows(MEMBER_DETAIL_COLUMNS, rows)
        return MemberCityDetailSerializer(member, context=self.get_serializer_context()).data

    def list(self, request: Request) -> Response:
        key = ("member-list", _fee_year(request), _request_key(request))
        query = compiled_query(key, lambda: self.filter_queryset(self.get_queryset()), MEMBER_LIST_COLUMNS)
        rows = self.api_paginator.paginate_compiled(query, request)
        members = MemberListRow.rows(MEMBER_LIST_COLUMNS, rows)
        return self.api_paginator.get_paginated_response(MemberCitySerializer(members, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._detail(pk))

    def create(self, request: Request) -> Response:
        data = MemberCityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refusals_as_400():
            member = member_create(**data.validated_data, by=account(request))
        return Response(self._detail(member.pk), status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        member = self._member(pk)
        data = MemberCityInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        with refusals_as_400():
            member_update(member=member, by=account(request), **data.validated_data)
        return Response(self._detail(member.pk))

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(
        summary="Take a step of the membership lifecycle (secretariat)",
        description=(
            "`ratify` a candidate, `suspend` or `reinstate` a member, `withdraw` it, as the Board "
            "decided, through the lifecycle services (each step is logged). Refused (400): a step "
            "the current status does not allow, a missing reason to suspend or withdraw."
        ),
        request=MemberLifecycleInputSerializer,
        responses={200: MemberCityDetailSerializer},
        examples=[
            OpenApiExample(
                "Ratification", request_only=True, value={"step": "ratify", "on": "2021-11-25", "reason": ""}
            )
        ],
        tags=[MEMBERS_TAG],
    )
    @action(detail=True, methods=["post"])
    def lifecycle(self, request: Request, pk: str) -> Response:
        member = self._member(pk)
        data = MemberLifecycleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = getattr(member_lifecycle, f"member_{data.validated_data['step']}")
        with refusals_as_400():
            step(
                member=member,
                on=data.validated_data["on"],
                reason=data.validated_data["reason"],
                by=account(request),
            )
        return Response(self._detail(member.pk))


@extend_schema_view(
    list=extend_schema(
        summary="List the regions", description="The association's five regions.", tags=[MEMBERS_TAG]
    ),
    retrieve=extend_schema(
        summary="One region", description="A region of the association.", tags=[MEMBERS_TAG]
    ),
)
class RegionViewSet(ReadOnlyApiViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filter_backends: list = []


@extend_schema_view(
    list=extend_schema(
        summary="List heads of government",
        description="Every recorded term, the latest first. A city account gets its own city's.",
        tags=[MEMBERS_TAG],
    ),
    retrieve=extend_schema(
        summary="One term of a head of government", description="A recorded term.", tags=[MEMBERS_TAG]
    ),
)
class HeadOfGovernmentViewSet(AccountRecordsViewSet):
    selector = head_of_government_list_for_user
    serializer_class = HeadOfGovernmentSerializer
    filterset_class = HeadOfGovernmentFilter
    search_fields = ["name", "name_local"]
    ordering_fields = ["term_start", "name", "id"]
    ordering = ["member_id", "-term_start", "-id"]


@extend_schema_view(
    list=extend_schema(
        summary="List contacts",
        description="Focal points and other contacts of the members. A city account gets its own city's.",
        tags=[MEMBERS_TAG],
    ),
    retrieve=extend_schema(
        summary="One contact", description="A contact person of a member.", tags=[MEMBERS_TAG]
    ),
)
class ContactViewSet(AccountRecordsViewSet):
    selector = contact_list_for_user
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    search_fields = ["name", "email", "role"]
    ordering_fields = ["name", "id"]
    ordering = ["member_id", "-is_primary", "name", "id"]


INVOICE_EXAMPLE = OpenApiExample(
    "An overdue invoice",
    response_only=True,
    value={
        "id": 41,
        "number": "2021-0041",
        "member": {"id": 12, "slug": "barcelona", "name": "Barcelona"},
        "year": 2021,
        "amount": "30000.00",
        "currency": "EUR",
        "issued_on": "2021-01-15",
        "due_on": "2021-03-31",
        "waived_on": None,
        "cancelled_on": None,
        "paid_total": "10000.00",
        "outstanding": "20000.00",
        "status": "overdue",
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List invoices",
        description=(
            "Fee invoices with what has been paid and their status today (issued, partially paid, "
            "paid, overdue, waived, cancelled; derived from payments and dates). A city account "
            "gets its own city's."
        ),
        examples=[INVOICE_EXAMPLE],
        tags=[FINANCE_TAG],
    ),
    retrieve=extend_schema(
        summary="One invoice",
        description="Another city's invoice answers 404 to a city account.",
        tags=[FINANCE_TAG],
    ),
)
class InvoiceViewSet(AccountRecordsViewSet):
    selector = invoice_list_for_user
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    search_fields = ["number", "member__name_en"]
    ordering_fields = ["year", "number", "due_on", "amount", "id"]
    ordering = ["-year", "number"]

    @extend_schema(
        summary="Record a payment (secretariat)",
        description=(
            "Money received against the invoice, through the payment service. Refused (400, with "
            "the field): another currency than the invoice's, more than is outstanding, an amount "
            "of zero; a waived or cancelled invoice (`non_field_errors`). Only the secretariat "
            "records payments; a city's fee status follows from them and cannot be set."
        ),
        request=PaymentInputSerializer,
        responses={201: PaymentSerializer},
        examples=[
            OpenApiExample(
                "A bank transfer",
                request_only=True,
                value={
                    "amount": "10000.00",
                    "currency": "EUR",
                    "paid_on": "2021-03-01",
                    "method": "bank-transfer",
                    "reference": "TRF 2021/118",
                },
            ),
            OpenApiExample(
                "Over-payment refused",
                response_only=True,
                status_codes=["400"],
                value={"amount": ["40000.00 EUR is more than the 30000.00 EUR outstanding."]},
            ),
        ],
        tags=[FINANCE_TAG],
    )
    @action(detail=True, methods=["post"], permission_classes=[SecretariatWrites])
    def payments(self, request: Request, pk: str) -> Response:
        invoice = self.get_object()
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refusals_as_400():
            payment = invoice_record_payment(invoice=invoice, **data.validated_data)
        payment = payment_list_for_user(user=request.user).get(pk=payment.pk)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List payments",
        description="Payments received against invoices. A city account gets its own city's.",
        tags=[FINANCE_TAG],
    ),
    retrieve=extend_schema(
        summary="One payment", description="A payment against an invoice.", tags=[FINANCE_TAG]
    ),
)
class PaymentViewSet(AccountRecordsViewSet):
    selector = payment_list_for_user
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    search_fields = ["reference", "invoice__number"]
    ordering_fields = ["paid_on", "amount", "id"]
    ordering = ["-paid_on", "-id"]
