"""Reads of the members app. The admin, the portal, the API and the reports take
their member and fee figures from the querysets here, so that each figure (the
current head of government, "fee for year Y paid", arrears, invoice status) has
one definition. Every per-row figure is an annotation: a list runs the same
number of queries for 10 members as for 200.

The member-city portal reads through the ``*_for_user`` selectors, which filter
by the account's own city before anything else (another city's record is not
in them, so its address answers 404), and through :func:`change_log`, the
changes a city's accounts made, from django-simple-history."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db import models
from django.db.models import (
    Case,
    DecimalField,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from reports.models import ReportKind, ReportRun

from .models import (
    BoardMandate,
    Contact,
    Gender,
    HeadOfGovernment,
    Invoice,
    InvoiceStatus,
    MemberCity,
    MemberStatus,
    Payment,
    Submission,
)
from .permissions import is_city_user, is_communications, is_secretariat

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def _terms_covering(on: datetime.date) -> QuerySet[HeadOfGovernment]:
    # If two recorded terms overlap on the day (a handover), the one that
    # started last is the head.
    return (
        HeadOfGovernment.objects.filter(term_start__lte=on)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .order_by("-term_start", "-pk")
    )


def _heads_in_office(on: datetime.date) -> QuerySet[HeadOfGovernment]:
    return _terms_covering(on).filter(member=OuterRef("pk"))


def head_of_government_on(*, member: MemberCity, day: datetime.date | None = None) -> HeadOfGovernment | None:
    """The head of government of ``member`` in office on ``day`` (today by
    default): the same rule as :func:`member_list`'s ``head_name``."""
    return _terms_covering(day or timezone.localdate()).filter(member=member).first()


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


# --- The member-city portal ----------------------------------------------------------
# Every read a city account reaches is filtered by the account's city before
# anything else. An account that is not a city account gets nothing, and
# another city's record is simply not in the queryset: the views answer 404.


def _city_id(user: Any) -> int | None:
    return user.member_city_id if is_city_user(user) else None


def member_for_user(*, user: Any, today: datetime.date | None = None) -> MemberCity | None:
    """The account's own city, with :func:`member_list`'s annotations (current
    head of government, fee of the year, arrears); None for an account that is
    not a city editor or viewer."""
    city_id = _city_id(user)
    if city_id is None:
        return None
    return member_list(today=today).filter(pk=city_id).first()


def invoices_for_user(*, user: Any, today: datetime.date | None = None) -> QuerySet[Invoice]:
    """The account's city's invoices, newest year first, with :func:`invoice_list`'s
    ``paid_total`` and ``derived_status``."""
    city_id = _city_id(user)
    if city_id is None:
        return Invoice.objects.none()
    return invoice_list(today=today).filter(member_id=city_id).order_by("-year", "number")


def contacts_for_user(*, user: Any) -> QuerySet[Contact]:
    city_id = _city_id(user)
    if city_id is None:
        return Contact.objects.none()
    return Contact.objects.filter(member_id=city_id).order_by("-is_primary", "name", "pk")


def heads_of_government_for_user(*, user: Any) -> QuerySet[HeadOfGovernment]:
    """Every recorded term of the account's city, the latest first."""
    city_id = _city_id(user)
    if city_id is None:
        return HeadOfGovernment.objects.none()
    return HeadOfGovernment.objects.filter(member_id=city_id).order_by("-term_start", "-pk")


def current_head_for_user(*, user: Any, today: datetime.date | None = None) -> HeadOfGovernment | None:
    """The head of government of the account's city in office today: the only
    term the city may correct (earlier terms are kept as recorded)."""
    city_id = _city_id(user)
    if city_id is None:
        return None
    return _terms_covering(today or timezone.localdate()).filter(member_id=city_id).first()


def submissions_for_user(*, user: Any) -> QuerySet[Submission]:
    city_id = _city_id(user)
    if city_id is None:
        return Submission.objects.none()
    return Submission.objects.filter(member_id=city_id).select_related("submitted_by", "reviewed_by")


def scorecard_runs_for_user(*, user: Any) -> QuerySet[ReportRun]:
    """The member scorecard runs of the account's city (any requester)."""
    city_id = _city_id(user)
    if city_id is None:
        return ReportRun.objects.none()
    return ReportRun.objects.filter(member_id=city_id, kind=ReportKind.SCORECARD).select_related(
        "member", "requested_by"
    )


def member_is_member_in(*, member: MemberCity, year: int) -> bool:
    """Whether ``member`` is among the member cities of ``year`` (its member
    profile row and scorecard exist only then)."""
    return members_of_year(year=year).filter(pk=member.pk).exists()


# The change log: what a city's own accounts changed, from django-simple-history.


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeEntry:
    when: datetime.datetime
    who: str
    who_email: str
    action: str  # simple_history's history_type: "+" created, "~" changed, "-" deleted
    record_kind: str
    record: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(_ACTION_LABELS.get(self.action, self.action))


_ACTION_LABELS = {"+": _("added"), "~": _("changed"), "-": _("removed")}


@dataclass(frozen=True)
class _LogSource:
    model: type[models.Model]
    city_lookup: str
    kind: "StrOrPromise"
    # The field that names the record in the log ("" for the profile: the city itself).
    label_field: str
    # Fields not shown: bookkeeping, and modeltranslation's untranslated column
    # (the per-language fields are shown instead).
    hidden: frozenset[str] = frozenset()


_LOG_SOURCES = (
    _LogSource(
        MemberCity,
        "id",
        _("Profile"),
        "",
        frozenset({"name", "description", "version", "created_at", "updated_at"}),
    ),
    _LogSource(HeadOfGovernment, "member_id", _("Head of government"), "name"),
    _LogSource(Contact, "member_id", _("Contact"), "name"),
    _LogSource(Submission, "member_id", _("Submission"), "title", frozenset({"submitted_at"})),
)


def _shown(value: Any, model_field: models.Field) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date | datetime.datetime | Decimal | int | float):
        return formats.localize(value)
    return str(value)


def _field_changes(source: _LogSource, row: Any, previous: Any) -> list[FieldChange]:
    opts = source.model._meta
    shown = [
        f
        for f in opts.concrete_fields
        if f.editable and not f.is_relation and not f.primary_key and f.name not in source.hidden
    ]
    if row.history_type == "~" and previous is not None:
        by_name = {f.name: f for f in shown}
        delta = row.diff_against(previous, included_fields=list(by_name))
        changes = [
            FieldChange(
                label=str(by_name[change.field].verbose_name),
                old=_shown(change.old, by_name[change.field]),
                new=_shown(change.new, by_name[change.field]),
            )
            for change in delta.changes
        ]
        # An empty text saved over no value at all is not a change anyone made.
        return [change for change in changes if change.old != change.new]
    if row.history_type == "+":
        return [
            FieldChange(label=str(f.verbose_name), old="–", new=_shown(getattr(row, f.attname), f))
            for f in shown
            if getattr(row, f.attname) not in (None, "")
        ]
    return []


def change_log(*, member: MemberCity | int) -> list[ChangeEntry]:
    """Every change the accounts of ``member`` made to its records (profile, heads
    of government, contacts, submissions), newest first, with who, when and the
    fields changed (old and new value). Changes by the secretariat are not
    listed, but they are the "before" of the city's next change.

    One query per kind of record, whatever the number of changes.
    """
    member_id = member if isinstance(member, int) else member.pk
    entries: list[ChangeEntry] = []
    for source in _LOG_SOURCES:
        rows = (
            source.model.history.filter(**{source.city_lookup: member_id})  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        previous_of: dict[int, Any] = {}
        for row in rows:
            previous = previous_of.get(row.id)
            previous_of[row.id] = row
            user = row.history_user
            if user is None or user.member_city_id != member_id:
                continue
            entries.append(
                ChangeEntry(
                    when=row.history_date,
                    who=user.get_full_name(),
                    who_email=user.email,
                    action=row.history_type,
                    record_kind=str(source.kind),
                    record=getattr(row, source.label_field) if source.label_field else "",
                    changes=_field_changes(source, row, previous),
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def change_log_for_user(*, user: Any) -> list[ChangeEntry]:
    """The change log of the account's own city (empty for other accounts)."""
    city_id = _city_id(user)
    if city_id is None:
        return []
    return change_log(member=city_id)


# Reading across cities -------------------------------------------------------------------
# The rule, once: the secretariat and the communications team read every city's
# records (as in the admin and the API); a city account (editor or viewer) reads
# its own city's only, through the portal's selectors above wherever one exists;
# any other account reads none. The city comes first in every queryset, so
# another city's record is not in it and its address answers 404.

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
    "ChangeEntry",
    "FeeStatus",
    "FieldChange",
    "InvoiceRow",
    "MemberRow",
    "board_mandates_on",
    "change_log",
    "change_log_for_user",
    "city_records_for_user",
    "contact_list_for_user",
    "contacts_for_user",
    "current_head_for_user",
    "head_of_government_list_for_user",
    "head_of_government_on",
    "heads_of_government_for_user",
    "invoice_list",
    "invoice_list_for_user",
    "invoices_for_user",
    "member_arrears",
    "member_for_user",
    "member_is_member_in",
    "member_list",
    "member_list_for_user",
    "member_queryset_for_user",
    "members_led_by_women",
    "members_new_in",
    "members_of_year",
    "members_on",
    "own_city_id",
    "payment_list_for_user",
    "reads_every_city",
    "report_run_list_for_user",
    "scorecard_runs_for_user",
    "submissions_for_user",
]
