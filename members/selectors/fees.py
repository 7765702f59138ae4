"""Fee figures, one definition each: an invoice's status on a day, what was paid
on it, a member's fee of a year and its arrears. Every per-row figure is an
annotation, so a list runs the same number of queries for 10 members as for
200; ``Invoice.status_on`` reads the same annotation for a single invoice."""

import datetime
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import (
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    MemberCity,
    Payment,
)
from members.selectors.heads import heads_in_office

_MONEY = DecimalField(max_digits=12, decimal_places=2)


_ZERO = Value(Decimal("0"), output_field=_MONEY)


class FeeStatus(models.TextChoices):
    """Where a member stands with the fee of one year."""

    PAID = "paid", _("paid")
    UNPAID = "unpaid", _("unpaid")
    WAIVED = "waived", _("waived")
    CANCELLED = "cancelled", _("invoice cancelled")
    NO_INVOICE = "no-invoice", _("no invoice")


class InvoiceRow(Protocol):
    """An invoice of :func:`invoice_list`, with its annotations (for type checking)."""

    number: str
    currency: str
    paid_total: Decimal
    derived_status: str


class MemberRow(Protocol):
    """A member of :func:`member_list`, with its annotations (for type checking)."""

    head_name: str | None
    head_title: str | None
    head_gender: str | None
    fee_year: int
    fee_amount: Decimal | None
    fee_paid_total: Decimal
    fee_status: str
    fee_paid: bool
    arrears: Decimal


def _paid_total() -> Coalesce:
    """What has been paid on the invoice of the enclosing query."""
    payments = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(payments, output_field=_MONEY), _ZERO, output_field=_MONEY)


def _derived_status(today: datetime.date) -> Case:
    # The one definition of an invoice's status on a day, in order of
    # precedence; Invoice.status_on() reads it too.
    return Case(
        When(cancelled_on__isnull=False, then=Value(InvoiceStatus.CANCELLED)),
        When(waived_on__isnull=False, then=Value(InvoiceStatus.WAIVED)),
        When(paid_total__gte=F("amount"), then=Value(InvoiceStatus.PAID)),
        When(due_on__lt=today, then=Value(InvoiceStatus.OVERDUE)),
        When(paid_total__gt=0, then=Value(InvoiceStatus.PARTIALLY_PAID)),
        default=Value(InvoiceStatus.ISSUED),
        output_field=models.CharField(),
    )


def _invoices_with_status(today: datetime.date) -> QuerySet[Invoice]:
    return Invoice.objects.annotate(paid_total=_paid_total()).annotate(derived_status=_derived_status(today))


def invoice_list(
    *,
    member: MemberCity | None = None,
    year: int | None = None,
    status: str | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Invoice]:
    """Invoices with their member, ``paid_total`` (what has been paid) and
    ``derived_status`` (an :class:`InvoiceStatus` value on ``today``), so that
    ``invoice.paid_amount``, ``invoice.outstanding`` and a status column need
    no query per row. ``status`` keeps the invoices in that status on ``today``."""
    today = today or timezone.localdate()
    invoices = _invoices_with_status(today).select_related("member", "member__region")
    if member is not None:
        invoices = invoices.filter(member=member)
    if year is not None:
        invoices = invoices.filter(year=year)
    if status is not None:
        # django-stubs checks filter() keywords against model fields only, not annotations.
        invoices = invoices.filter(derived_status=status)  # type: ignore[misc]
    return invoices


def invoice_status_on(*, invoice: Invoice, day: datetime.date) -> str:
    """The status of one invoice on ``day`` (an :class:`InvoiceStatus` value)."""
    # django-stubs checks values_list() names against model fields only, not annotations.
    status: str = _invoices_with_status(day).values_list("derived_status", flat=True).get(pk=invoice.pk)  # type: ignore[misc]
    return status


def _arrears(today: datetime.date) -> Coalesce:
    """What the member of the enclosing query owes on its overdue invoices."""
    overdue = (
        _invoices_with_status(today)
        .filter(member=OuterRef("pk"))
        .filter(derived_status=InvoiceStatus.OVERDUE)  # type: ignore[misc]
        .order_by()
        .values("member")
        .annotate(total=Sum(F("amount") - F("paid_total"), output_field=_MONEY))
        .values("total")[:1]
    )
    return Coalesce(Subquery(overdue, output_field=_MONEY), _ZERO, output_field=_MONEY)


def _fee_status_of_invoice() -> Case:
    unpaid = [InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE]
    return Case(
        When(derived_status__in=unpaid, then=Value(FeeStatus.UNPAID)),
        When(derived_status=InvoiceStatus.PAID, then=Value(FeeStatus.PAID)),
        When(derived_status=InvoiceStatus.WAIVED, then=Value(FeeStatus.WAIVED)),
        default=Value(FeeStatus.CANCELLED),
        output_field=models.CharField(),
    )


MEMBER_LIST_COLUMNS = (
    "head_name",
    "head_title",
    "head_gender",
    "fee_year",
    "fee_amount",
    "fee_paid_total",
    "fee_status",
    "arrears",
    "fee_paid",
)
"""The annotations of :func:`member_list`, in the order they are made (``fee_paid`` reads ``fee_status``)."""


def _member_columns(year: int, today: datetime.date) -> dict[str, Callable[[], Any]]:
    """How each of :data:`MEMBER_LIST_COLUMNS` is computed."""
    heads = heads_in_office(today)
    # One invoice per member and year: no ordering (the model's default one
    # would join the member again, for every row).
    invoice_of_year = (
        _invoices_with_status(today)
        .filter(member=OuterRef("pk"), year=year)
        .order_by()
        .annotate(fee_status=_fee_status_of_invoice())
    )
    return {
        "head_name": lambda: Subquery(heads.values("name")[:1]),
        "head_title": lambda: Subquery(heads.values("title")[:1]),
        "head_gender": lambda: Subquery(heads.values("gender")[:1]),
        "fee_year": lambda: Value(year, output_field=models.PositiveSmallIntegerField()),
        "fee_amount": lambda: Subquery(invoice_of_year.values("amount")[:1], output_field=_MONEY),
        "fee_paid_total": lambda: Coalesce(
            Subquery(invoice_of_year.values("paid_total")[:1], output_field=_MONEY),
            _ZERO,
            output_field=_MONEY,
        ),
        "fee_status": lambda: Coalesce(
            Subquery(invoice_of_year.values("fee_status")[:1], output_field=models.CharField()),
            Value(FeeStatus.NO_INVOICE),
            output_field=models.CharField(),
        ),
        "arrears": lambda: _arrears(today),
        "fee_paid": lambda: Case(
            When(fee_status=FeeStatus.PAID, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
    }


@functools.lru_cache(maxsize=32)
def _member_list_query(
    year: int, today: datetime.date, language: str | None, columns: frozenset[str]
) -> QuerySet[MemberCity]:
    """The query of :func:`member_list` (``language`` keys the cache: the
    translated fields' names in a query follow the active language)."""
    made = _member_columns(year, today)
    members = MemberCity.objects.select_related("region")
    for name in MEMBER_LIST_COLUMNS:
        if name in columns:
            members = members.annotate(**{name: made[name]()})
    return members


def member_list(
    *,
    year: int | None = None,
    fee_status: str | None = None,
    today: datetime.date | None = None,
    columns: Iterable[str] = MEMBER_LIST_COLUMNS,
) -> QuerySet[MemberCity]:
    """Members with their region and, as annotations:

    - ``head_name``, ``head_title``, ``head_gender``: the head of government in
      office on ``today`` (None when no recorded term covers that day);
    - ``fee_year``: ``year`` (the current year when not given);
    - ``fee_amount``, ``fee_paid_total``: the amount of the member's invoice of
      ``fee_year`` and what has been paid on it (None / 0 without invoice);
    - ``fee_status``: a :class:`FeeStatus` value; ``fee_paid``: whether the fee
      of ``fee_year`` is paid in full ("fee for year Y paid");
    - ``arrears``: what is outstanding on the member's overdue invoices on ``today``.

    ``columns`` names the annotations a caller reads, when not all (a list page
    showing a few of them, whose database and compiler then skip the others).
    ``fee_status`` keeps the members in that :class:`FeeStatus` for ``fee_year``.
    """
    today = today or timezone.localdate()
    year = year or today.year
    wanted = frozenset(columns)
    if fee_status is not None or "fee_paid" in wanted:
        wanted |= {"fee_status"}
    if unknown := wanted - set(MEMBER_LIST_COLUMNS):
        raise ValueError(f"unknown member list columns: {sorted(unknown)}")
    # A clone of the query made once per year, day, language and columns: its
    # SQL holds no data, and building its subqueries cost a list page more
    # than rendering a hundred rows.
    members = _member_list_query(year, today, get_language(), wanted).all()
    if fee_status is not None:
        members = members.filter(fee_status=fee_status)  # type: ignore[misc]
    return members


def member_arrears(*, member: MemberCity, today: datetime.date | None = None) -> Decimal:
    """What ``member`` owes on its overdue invoices on ``today``."""
    today = today or timezone.localdate()
    arrears: Decimal = (
        MemberCity.objects.filter(pk=member.pk)
        .annotate(arrears=_arrears(today))
        .values_list("arrears", flat=True)
        .get()
    )
    return arrears


def latest_fees(*, categories: list[str]) -> dict[str, Decimal]:
    """The most recent fee set for each of ``categories`` (the amount a new
    year's fee starts from), in one query."""
    fees: dict[str, Decimal] = {}
    for category, amount in (
        FeeSchedule.objects.filter(category__in=categories)
        .order_by("category", "-year")
        .values_list("category", "amount")
    ):
        fees.setdefault(category, amount)
    return fees


def fee_summary(*, year: int, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The fees of ``year`` on ``today``, one row per currency, in one query:
    invoices issued (not cancelled) and their amount, what was paid (``paid_sum``) on them,
    what is outstanding and overdue; and the arrears, what is outstanding on
    overdue invoices of any year (the members' ``arrears`` of :func:`member_list`,
    added up), with the number of members that owe them."""
    today = today or timezone.localdate()
    open_statuses = [InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE]
    of_year = Q(year=year) & Q(cancelled_on__isnull=True)
    overdue = Q(derived_status=InvoiceStatus.OVERDUE)
    due = ExpressionWrapper(F("amount") - F("paid_total"), output_field=_MONEY)
    rows = (
        _invoices_with_status(today)
        .order_by()
        .values("currency")
        .annotate(
            issued_count=Count("pk", filter=of_year),
            issued_amount=Coalesce(Sum("amount", filter=of_year), _ZERO),
            paid_sum=Coalesce(Sum("paid_total", filter=of_year), _ZERO),
            outstanding_amount=Coalesce(
                Sum(due, filter=of_year & Q(derived_status__in=open_statuses)), _ZERO
            ),
            overdue_count=Count("pk", filter=of_year & overdue),
            overdue_amount=Coalesce(Sum(due, filter=of_year & overdue), _ZERO),
            arrears_amount=Coalesce(Sum(due, filter=overdue), _ZERO),
            arrears_members=Count("member", filter=overdue, distinct=True),
        )
        .order_by("currency")
    )
    return [dict(row) for row in rows if row["issued_count"] or row["arrears_amount"]]
