"""Which member-specific records an account reads through the API.

These selectors belong in ``members/selectors.py``, next to the portal's
``*_for_user`` selectors they generalise: those give a city account its own
city's records and every other account nothing, which is right for the
portal's "My city" pages; the API also serves the secretariat and the
communications team, who read every city's records (as they do in the admin).
They live here until the portal's work on ``members/selectors.py`` has landed.

The rule, once: the secretariat and the communications team read every city's
records; a city account (editor or viewer) reads its own city's only, through
the portal's selectors wherever one exists; any other account reads none. The
city comes first in every queryset, so another city's record is not in it and
its address answers 404.
"""

import datetime
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from members.models import Contact, HeadOfGovernment, Invoice, MemberCity, Payment
from members.permissions import is_communications, is_secretariat
from members.selectors import (
    _city_id,
    contacts_for_user,
    heads_of_government_for_user,
    invoice_list,
    invoices_for_user,
    member_list,
    scorecard_runs_for_user,
)
from reports.models import ReportRun

RecordT = TypeVar("RecordT", bound=Model)


def reads_every_city(user: Any) -> bool:
    """The secretariat and the communications team read every city's records."""
    return bool(is_secretariat(user) or is_communications(user))


def own_city_id(user: Any) -> int | None:
    """The city of a city account (editor or viewer); None for any other account.
    The portal's own definition (``members.selectors``)."""
    return _city_id(user)


def member_list_for_user(
    *, user: Any, year: int | None = None, today: datetime.date | None = None
) -> QuerySet[MemberCity]:
    """:func:`members.selectors.member_list` (region, current head of
    government, fee of ``year``, arrears) over the members the account reads."""
    members = member_list(year=year, today=today)
    if reads_every_city(user):
        return members
    city_id = own_city_id(user)
    if city_id is None:
        return members.none()
    return members.filter(pk=city_id)


def member_queryset_for_user(*, user: Any) -> QuerySet[MemberCity]:
    """The member cities the account reads, without annotations (to check a
    member named in a request)."""
    if reads_every_city(user):
        return MemberCity.objects.all()
    city_id = own_city_id(user)
    if city_id is None:
        return MemberCity.objects.none()
    return MemberCity.objects.filter(pk=city_id)


def invoice_list_for_user(*, user: Any, today: datetime.date | None = None) -> QuerySet[Invoice]:
    """:func:`members.selectors.invoice_list` (``paid_total``, ``derived_status``)
    over the invoices the account reads."""
    if reads_every_city(user):
        return invoice_list(today=today)
    return invoices_for_user(user=user, today=today)


def payment_list_for_user(*, user: Any) -> QuerySet[Payment]:
    """Payments, with their invoice and member, on the invoices the account reads."""
    payments = Payment.objects.select_related("invoice", "invoice__member")
    if reads_every_city(user):
        return payments
    city_id = own_city_id(user)
    if city_id is None:
        return payments.none()
    return payments.filter(invoice__member_id=city_id)


def contact_list_for_user(*, user: Any) -> QuerySet[Contact]:
    if reads_every_city(user):
        return Contact.objects.select_related("member")
    return contacts_for_user(user=user).select_related("member")


def head_of_government_list_for_user(*, user: Any) -> QuerySet[HeadOfGovernment]:
    if reads_every_city(user):
        return HeadOfGovernment.objects.select_related("member")
    return heads_of_government_for_user(user=user).select_related("member")


def city_records_for_user(
    queryset: QuerySet[RecordT], *, user: Any, member_field: str = "member"
) -> QuerySet[RecordT]:
    """``queryset`` (records that belong to one member city through
    ``member_field``: participations, platform contributions, learning
    participations, ...) limited to the records the account reads."""
    if reads_every_city(user):
        return queryset
    city_id = own_city_id(user)
    if city_id is None:
        return queryset.none()
    return queryset.filter(**{f"{member_field}_id": city_id})


def report_run_list_for_user(*, user: Any) -> QuerySet[ReportRun]:
    """Report runs: every run for the accounts that generate reports (the
    reports page's permission), the city's scorecard runs for a city account."""
    if user.has_perm("reports.generate_report"):
        return ReportRun.objects.select_related("member", "requested_by")
    return scorecard_runs_for_user(user=user)


__all__ = [
    "city_records_for_user",
    "contact_list_for_user",
    "head_of_government_list_for_user",
    "invoice_list_for_user",
    "member_list_for_user",
    "member_queryset_for_user",
    "own_city_id",
    "payment_list_for_user",
    "reads_every_city",
    "report_run_list_for_user",
]
