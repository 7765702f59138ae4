"""The member and invoice reads: current head, fee status of a year, arrears,
derived invoice status, women-led members, and their query counts."""

import datetime
from decimal import Decimal

import pytest

from members.models import Gender, InvoiceStatus, MemberStatus
from members.selectors.fees import FeeStatus, invoice_list, member_arrears, member_list
from members.selectors.membership import board_mandates_on, members_led_by_women, members_new_in, members_on
from tests.members.factories import (
    BoardMandateFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 6, 30)


def test_member_list_shows_the_head_whose_term_covers_today():
    member = MemberCityFactory()
    HeadOfGovernmentFactory(
        member=member,
        name="Former Mayor",
        gender=Gender.MAN,
        term_start=datetime.date(2015, 6, 1),
        term_end=datetime.date(2019, 6, 14),
    )
    HeadOfGovernmentFactory(
        member=member, name="Current Mayor", title="Mayor", term_start=datetime.date(2019, 6, 15)
    )

    row = member_list(today=TODAY).get(pk=member.pk)

    assert (row.head_name, row.head_title, row.head_gender) == ("Current Mayor", "Mayor", Gender.WOMAN)
    assert member_list(today=datetime.date(2018, 1, 1)).get(pk=member.pk).head_name == "Former Mayor"


def test_member_list_has_no_head_when_no_term_covers_the_day():
    member = MemberCityFactory()
    HeadOfGovernmentFactory(
        member=member, term_start=datetime.date(2015, 6, 1), term_end=datetime.date(2019, 6, 14)
    )

    assert member_list(today=TODAY).get(pk=member.pk).head_name is None


def test_member_list_fee_status_of_the_year_is_derived_from_invoices_and_payments():
    paid = MemberCityFactory()
    PaymentFactory(invoice=InvoiceFactory(member=paid, year=2021))
    partly = MemberCityFactory()
    PaymentFactory(invoice=InvoiceFactory(member=partly, year=2021), amount=Decimal("100.00"))
    waived = MemberCityFactory()
    InvoiceFactory(member=waived, year=2021, waived_on=datetime.date(2021, 2, 1))
    cancelled = MemberCityFactory()
    InvoiceFactory(member=cancelled, year=2021, cancelled_on=datetime.date(2021, 2, 1))
    without = MemberCityFactory()
    InvoiceFactory(member=without, year=2020, number="2020-0001")

    rows = {m.pk: m for m in member_list(year=2021, today=TODAY)}

    assert rows[paid.pk].fee_status == FeeStatus.PAID
    assert rows[paid.pk].fee_paid is True
    assert rows[paid.pk].fee_paid_total == Decimal("10000.00")
    assert rows[partly.pk].fee_status == FeeStatus.UNPAID
    assert rows[partly.pk].fee_paid is False
    assert (rows[partly.pk].fee_amount, rows[partly.pk].fee_paid_total) == (
        Decimal("10000.00"),
        Decimal("100.00"),
    )
    assert rows[waived.pk].fee_status == FeeStatus.WAIVED
    assert rows[cancelled.pk].fee_status == FeeStatus.CANCELLED
    assert rows[without.pk].fee_status == FeeStatus.NO_INVOICE
    assert rows[without.pk].fee_amount is None
    assert rows[without.pk].fee_year == 2021


def test_arrears_sum_what_is_outstanding_on_overdue_invoices_only():
    member = MemberCityFactory()
    overdue = InvoiceFactory(
        member=member,
        year=2020,
        number="2020-0001",
        issued_on=datetime.date(2020, 1, 15),
        due_on=datetime.date(2020, 3, 31),
    )
    PaymentFactory(invoice=overdue, amount=Decimal("2500.00"))
    InvoiceFactory(member=member, year=2021, due_on=datetime.date(2021, 12, 31))  # not yet due
    InvoiceFactory(
        member=member,
        year=2019,
        number="2019-0001",
        issued_on=datetime.date(2019, 1, 15),
        due_on=datetime.date(2019, 3, 31),
        waived_on=datetime.date(2019, 6, 1),
    )

    assert member_arrears(member=member, today=TODAY) == Decimal("7500.00")
    assert member_list(today=TODAY).get(pk=member.pk).arrears == Decimal("7500.00")
    assert member_arrears(member=MemberCityFactory(), today=TODAY) == Decimal("0")


def _issued():
    return InvoiceFactory(due_on=datetime.date(2021, 12, 31))


def _partially_paid():
    invoice = InvoiceFactory(due_on=datetime.date(2021, 12, 31))
    PaymentFactory(invoice=invoice, amount=Decimal("1.00"))
    return invoice


def _paid():
    invoice = InvoiceFactory()
    PaymentFactory(invoice=invoice)
    return invoice


def _overdue():
    invoice = InvoiceFactory(due_on=datetime.date(2021, 3, 31))
    PaymentFactory(invoice=invoice, amount=Decimal("1.00"))
    return invoice


def _waived():
    return InvoiceFactory(waived_on=datetime.date(2021, 2, 1))


def _cancelled():
    return InvoiceFactory(cancelled_on=datetime.date(2021, 2, 1))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_issued, InvoiceStatus.ISSUED),
        (_partially_paid, InvoiceStatus.PARTIALLY_PAID),
        (_paid, InvoiceStatus.PAID),
        (_overdue, InvoiceStatus.OVERDUE),
        (_waived, InvoiceStatus.WAIVED),
        (_cancelled, InvoiceStatus.CANCELLED),
    ],
)
def test_invoice_list_status_agrees_with_the_invoice_own_status(make, expected):
    invoice = make()

    row = invoice_list(today=TODAY).get(pk=invoice.pk)

    assert row.derived_status == expected
    assert invoice.status_on(TODAY) == expected
    assert row.status_on(TODAY) == expected


def test_invoice_list_annotates_what_has_been_paid(django_assert_num_queries):
    for _ in range(3):
        PaymentFactory(amount=Decimal("400.00"))

    with django_assert_num_queries(1):
        rows = [(i.paid_amount, i.outstanding, i.member.region.code) for i in invoice_list(today=TODAY)]

    assert rows == [(Decimal("400.00"), Decimal("9600.00"), "europe")] * 3


@pytest.mark.parametrize("count", [3, 30])
def test_member_list_reads_every_figure_in_one_query(count, django_assert_num_queries):
    for member in MemberCityFactory.create_batch(count):
        HeadOfGovernmentFactory(member=member)
        PaymentFactory(invoice=InvoiceFactory(member=member), amount=Decimal("10.00"))

    with django_assert_num_queries(1):
        rows = [
            (m.region.name, m.head_name, m.fee_status, m.fee_paid, m.arrears)
            for m in member_list(year=2021, today=TODAY)
        ]

    assert len(rows) == count
    assert {row[2] for row in rows} == {FeeStatus.UNPAID}


def test_members_on_a_day_are_those_ratified_and_not_yet_withdrawn():
    member = MemberCityFactory(ratified_on=datetime.date(2015, 6, 1))
    MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)
    gone = MemberCityFactory(status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2021, 3, 1))
    suspended = MemberCityFactory(status=MemberStatus.SUSPENDED)

    assert set(members_on(day=datetime.date(2021, 12, 31))) == {member, suspended}
    assert gone in members_on(day=datetime.date(2020, 12, 31))


def test_new_members_of_a_year_are_those_ratified_that_year():
    new = MemberCityFactory(ratified_on=datetime.date(2021, 10, 20))
    MemberCityFactory(ratified_on=datetime.date(2020, 10, 20))

    assert list(members_new_in(year=2021)) == [new]


def test_members_led_by_women_count_the_head_in_office_on_31_december():
    led_by_woman = MemberCityFactory()
    HeadOfGovernmentFactory(member=led_by_woman, gender=Gender.WOMAN, term_start=datetime.date(2019, 6, 15))
    woman_left_in_june = MemberCityFactory()
    HeadOfGovernmentFactory(
        member=woman_left_in_june,
        gender=Gender.WOMAN,
        term_start=datetime.date(2017, 1, 1),
        term_end=datetime.date(2021, 6, 1),
    )
    HeadOfGovernmentFactory(
        member=woman_left_in_june, gender=Gender.MAN, term_start=datetime.date(2021, 6, 2)
    )
    led_by_man = MemberCityFactory()
    HeadOfGovernmentFactory(member=led_by_man, gender=Gender.MAN)
    withdrawn = MemberCityFactory(status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2021, 9, 1))
    HeadOfGovernmentFactory(member=withdrawn, gender=Gender.WOMAN)

    assert list(members_led_by_women(year=2021)) == [led_by_woman]
    assert set(members_led_by_women(year=2020)) == {led_by_woman, woman_left_in_june, withdrawn}


def test_board_mandates_on_a_day_are_the_running_ones():
    running = BoardMandateFactory(start=datetime.date(2020, 1, 1))
    BoardMandateFactory(start=datetime.date(2016, 1, 1), end=datetime.date(2019, 12, 31))

    assert list(board_mandates_on(day=TODAY)) == [running]


def test_member_list_made_once_per_day_still_reads_the_records_of_each_call():
    """The list's query is kept between calls (per year, day, language and
    columns); what it reads is not: a payment made between two calls shows."""
    member = MemberCityFactory()
    invoice = InvoiceFactory(member=member, year=2021)
    assert member_list(year=2021, today=TODAY).get(pk=member.pk).fee_status == FeeStatus.UNPAID

    PaymentFactory(invoice=invoice)

    assert member_list(year=2021, today=TODAY).get(pk=member.pk).fee_status == FeeStatus.PAID
    assert member_list(year=2021, today=TODAY, fee_status=FeeStatus.PAID).filter(pk=member.pk).exists()


def test_member_list_with_some_columns_reads_them_as_the_whole_list_does():
    member = MemberCityFactory()
    PaymentFactory(invoice=InvoiceFactory(member=member, year=2021), amount=Decimal("100.00"))
    whole = member_list(year=2021, today=TODAY).get(pk=member.pk)

    lean = member_list(year=2021, today=TODAY, columns=("fee_status", "arrears")).get(pk=member.pk)

    assert (lean.fee_status, lean.arrears) == (whole.fee_status, whole.arrears)
    assert not hasattr(lean, "fee_amount")
    with pytest.raises(ValueError, match="fee_amont"):
        member_list(columns=("fee_amont",))
