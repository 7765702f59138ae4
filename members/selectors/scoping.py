"""What an account reads. A city account (editor or viewer) reads its own city's
records only: every queryset here is filtered by the account's city before
anything else, so another city's record is not in it and its address answers
404. The secretariat and the communications team read every city's records
(as in the admin and the API); any other account reads none."""

import datetime
from typing import Any, TypeVar

from django.db.models import (
    Model,
    QuerySet,
)
from django.utils import timezone

from members import permissions
from members.models import (
    Contact,
    HeadOfGovernment,
    Invoice,
    MemberCity,
    Payment,
)
from members.permissions import is_city_user
from members.selectors.fees import invoice_list, member_list
from members.selectors.heads import terms_covering


def reads_every_city(user: Any) -> bool:
    """The secretariat and the communications team read every city's records
    (the role's one definition: ``members.permissions.reads_every_city``)."""
    return bool(permissions.reads_every_city(user))


def own_city_id(user: Any) -> int | None:
    """The city of a city account (editor or viewer); None for any other account."""
    return user.member_city_id if is_city_user(user) else None


def member_for_user(*, user: Any, today: datetime.date | None = None) -> MemberCity | None:
    """The account's own city, with :func:`member_list`'s annotations (current
    head of government, fee of the year, arrears); None for an account that is
    not a city editor or viewer."""
    city_id = own_city_id(user)
    if city_id is None:
        return None
    return member_list(today=today).filter(pk=city_id).first()


def invoices_for_user(*, user: Any, today: datetime.date | None = None) -> QuerySet[Invoice]:
    """The account's city's invoices, newest year first, with :func:`invoice_list`'s
    ``paid_total`` and ``derived_status``."""
    city_id = own_city_id(user)
    if city_id is None:
        return Invoice.objects.none()
    return invoice_list(today=today).filter(member_id=city_id).order_by("-year", "number")


def contacts_for_user(*, user: Any) -> QuerySet[Contact]:
    city_id = own_city_id(user)
    if city_id is None:
        return Contact.objects.none()
    return Contact.objects.filter(member_id=city_id).order_by("-is_primary", "name", "pk")


def heads_of_government_for_user(*, user: Any) -> QuerySet[HeadOfGovernment]:
    """Every recorded term of the account's city, the latest first."""
    city_id = own_city_id(user)
    if city_id is None:
        return HeadOfGovernment.objects.none()
    return HeadOfGovernment.objects.filter(member_id=city_id).order_by("-term_start", "-pk")


def current_head_for_user(*, user: Any, today: datetime.date | None = None) -> HeadOfGovernment | None:
    """The head of government of the account's city in office today: the only
    term the city may correct (earlier terms are kept as recorded)."""
    city_id = own_city_id(user)
    if city_id is None:
        return None
    return terms_covering(today or timezone.localdate()).filter(member_id=city_id).first()


RecordT = TypeVar("RecordT", bound=Model)


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
