"""Reads of the members app. The admin, the portal, the API and the reports take
their member and fee figures from the querysets here, so that each figure (the
current head of government, "fee for year Y paid", arrears, invoice status) has
one definition. Every per-row figure is an annotation: a list runs the same
number of queries for 10 members as for 200."""

import datetime
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.db.models import (
    Case,
    DecimalField,
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
from django.utils.translation import gettext_lazy as _

from .models import (
    BoardMandate,
    Gender,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MemberStatus,
    Payment,
)

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
    # The database form of Invoice.status_on(): same order of precedence, so
    # that filters and annotations agree with what a single invoice reports
    # (tests/members/test_selectors.py checks every status both ways).
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


def _heads_in_office(on: datetime.date) -> QuerySet[HeadOfGovernment]:
    # If two recorded terms overlap on the day (a handover), the one that
    # started last is the head.
    return (
        HeadOfGovernment.objects.filter(member=OuterRef("pk"), term_start__lte=on)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .order_by("-term_start", "-pk")
    )


def member_list(
    *, year: int | None = None, fee_status: str | None = None, today: datetime.date | None = None
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

    ``fee_status`` keeps the members in that :class:`FeeStatus` for ``fee_year``.
    """
    today = today or timezone.localdate()
    year = year or today.year
    heads = _heads_in_office(today)
    invoice_of_year = (
        _invoices_with_status(today)
        .filter(member=OuterRef("pk"), year=year)
        .annotate(fee_status=_fee_status_of_invoice())
    )
    members = (
        MemberCity.objects.select_related("region")
        .annotate(
            head_name=Subquery(heads.values("name")[:1]),
            head_title=Subquery(heads.values("title")[:1]),
            head_gender=Subquery(heads.values("gender")[:1]),
            fee_year=Value(year, output_field=models.PositiveSmallIntegerField()),
            fee_amount=Subquery(invoice_of_year.values("amount")[:1], output_field=_MONEY),
            fee_paid_total=Coalesce(
                Subquery(invoice_of_year.values("paid_total")[:1], output_field=_MONEY),
                _ZERO,
                output_field=_MONEY,
            ),
            fee_status=Coalesce(
                Subquery(invoice_of_year.values("fee_status")[:1], output_field=models.CharField()),
                Value(FeeStatus.NO_INVOICE),
                output_field=models.CharField(),
            ),
            arrears=_arrears(today),
        )
        .annotate(
            fee_paid=Case(
                When(fee_status=FeeStatus.PAID, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
    )
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


def members_on(*, day: datetime.date) -> QuerySet[MemberCity]:
    """The members of the association on ``day``: not candidates, ratified on or
    before it (or ratified before the portal's records begin, with no date),
    and not withdrawn by then. A suspended member is still a member."""
    return (
        MemberCity.objects.exclude(status=MemberStatus.CANDIDATE)
        .filter(Q(ratified_on__isnull=True) | Q(ratified_on__lte=day))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    )


def members_of_year(*, year: int) -> QuerySet[MemberCity]:
    """The member cities of ``year``, the set every yearly table and share is
    taken over: members whose membership covers some of the year, i.e. not
    candidates, ratified by the end of the year (or ratified before the portal's
    records begin, with no date), and not withdrawn before the year began."""
    return (
        MemberCity.objects.exclude(status=MemberStatus.CANDIDATE)
        .filter(Q(ratified_on__isnull=True) | Q(ratified_on__year__lte=year))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__year__gte=year))
    )


def members_new_in(*, year: int) -> QuerySet[MemberCity]:
    """The members the Board ratified in ``year`` ("new member cities")."""
    return MemberCity.objects.filter(ratified_on__year=year)


def board_mandates_on(*, day: datetime.date) -> QuerySet[BoardMandate]:
    """The Board and statutory mandates running on ``day``."""
    return (
        BoardMandate.objects.select_related("member", "region")
        .filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
    )


def members_led_by_women(*, year: int) -> QuerySet[MemberCity]:
    """The members of 31 December of ``year`` whose head of government in
    office on that day is a woman.

    The reference day is the last day of the year, as the annual report
    describes the association at year end: a member whose woman head left
    office during the year is not counted, nor is a member with no recorded
    term covering 31 December. Divide by ``members_on(day=...)`` of the same
    day for the share. The rows carry the same annotations as
    :func:`member_list` on that day.
    """
    year_end = datetime.date(year, 12, 31)
    return member_list(year=year, today=year_end).filter(
        pk__in=members_on(day=year_end).values("pk"), head_gender=Gender.WOMAN
    )


__all__ = [
    "FeeStatus",
    "InvoiceRow",
    "MemberRow",
    "board_mandates_on",
    "invoice_list",
    "member_arrears",
    "member_list",
    "members_led_by_women",
    "members_new_in",
    "members_of_year",
    "members_on",
]
