"""Indicators computed from the members' and the gender app's records give the
known answer on a factory-built year, and list the records that make them up."""

import datetime
from decimal import Decimal

import pytest

from gender.registry import all_indicators
from gender.selectors import indicator_compute
from members.models import Agreement, BoardMandate, Partner
from tests.gender.factories import (
    FundingEntryFactory,
    GenderMainstreamingEngagementFactory,
    InternalGenderToolFactory,
    InternalGenderTrainingFactory,
    ProgrammeYearFactory,
    StaffMemberFactory,
)
from tests.members.factories import (
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
    region,
)

pytestmark = pytest.mark.django_db

# The indicators whose known answers this module checks.
COVERED = {
    "new_member_cities",
    "women_led_member_share",
    "agreements_members",
    "agreements_partners",
    "agreements_total",
    "agreements_gender_clause",
    "regional_secretaries",
    "regional_secretaries_women",
    "women_internal_governance_share",
    "staff_professionals",
    "staff_professionals_women",
    "staff_professionals_men",
    "interns",
    "interns_women",
    "interns_men",
    "gender_mainstreaming_member_share",
    "gender_collaboration_projects",
    "internal_gender_trainings",
    "internal_gender_tools",
    "funding_member_fees_share",
    "funding_projects_with_members_share",
    "funding_collaboration_other_parties_share",
    "funding_other_share",
}


def assert_records_add_up(result):
    total = sum(contribution for _record, contribution in result.contributions())
    if result.denominator is not None:
        assert total == Decimal(result.numerator)
    else:
        assert total == Decimal(result.value)


def test_new_member_cities_come_from_the_ratification_date():
    MemberCityFactory.create_batch(3, ratified_on=datetime.date(2021, 11, 8))
    MemberCityFactory.create_batch(2, ratified_on=datetime.date(2019, 5, 1))
    result = indicator_compute(code="new_member_cities", year=2021)
    assert result.value == 3
    assert_records_add_up(result)


def test_women_led_share_counts_the_head_in_office_at_the_end_of_the_year():
    members = MemberCityFactory.create_batch(5)
    HeadOfGovernmentFactory(member=members[0], gender="woman")
    HeadOfGovernmentFactory(member=members[1], gender="man")
    # A woman whose term ended in 2020 was followed by a man: not led by a woman in 2021.
    HeadOfGovernmentFactory(
        member=members[2],
        gender="woman",
        term_start=datetime.date(2015, 1, 1),
        term_end=datetime.date(2020, 6, 1),
    )
    HeadOfGovernmentFactory(member=members[2], gender="man", term_start=datetime.date(2020, 6, 2))
    result = indicator_compute(code="women_led_member_share", year=2021)
    assert result.value == Decimal("20.0")
    assert (result.numerator, result.denominator) == (1, 5)
    assert [m.pk for m in result.records] == [members[0].pk]


def test_agreements_by_party_and_gender_clause():
    member = MemberCityFactory()
    partner = Partner.objects.create(name="UN-Habitat", category="strategic", active_from=2018)
    Agreement.objects.create(
        title="A", kind="collaboration", member=member, signed_on=datetime.date(2021, 3, 1)
    )
    Agreement.objects.create(
        title="B", kind="grant", partner=partner, signed_on=datetime.date(2021, 4, 1), gender_clause=True
    )
    Agreement.objects.create(
        title="C", kind="grant", partner=partner, signed_on=datetime.date(2019, 4, 1), gender_clause=True
    )
    assert indicator_compute(code="agreements_members", year=2021).value == 1
    assert indicator_compute(code="agreements_partners", year=2021).value == 1
    assert indicator_compute(code="agreements_total", year=2021).value == 3
    gender_clause = indicator_compute(code="agreements_gender_clause", year=2021)
    assert gender_clause.value == 2
    assert_records_add_up(gender_clause)


def test_internal_governance_and_regional_secretaries():
    mexico, berlin, other = MemberCityFactory.create_batch(3)
    start = datetime.date(2020, 11, 1)
    BoardMandate.objects.create(
        member=mexico,
        role="regional-secretary",
        region=region("north-america"),
        holder_name="Mariana Flores",
        holder_gender="woman",
        start=start,
    )
    BoardMandate.objects.create(
        member=berlin,
        role="regional-secretary",
        region=region("europe"),
        holder_name="Barbara Berninger",
        holder_gender="woman",
        start=start,
    )
    BoardMandate.objects.create(
        member=other,
        role="regional-secretary",
        region=region("africa"),
        holder_name="A man",
        holder_gender="man",
        start=start,
    )
    BoardMandate.objects.create(member=other, role="board-member", holder_gender="man", start=start)
    assert indicator_compute(code="regional_secretaries", year=2021).value == 3
    assert indicator_compute(code="regional_secretaries_women", year=2021).value == 2
    share = indicator_compute(code="women_internal_governance_share", year=2021)
    assert share.value == Decimal("50.0")
    assert_records_add_up(share)


def test_staff_composition_by_kind_and_gender():
    StaffMemberFactory.create_batch(11, kind="staff", gender="woman")
    StaffMemberFactory.create_batch(6, kind="staff", gender="man")
    StaffMemberFactory.create_batch(6, kind="intern", gender="woman")
    StaffMemberFactory(kind="intern", gender="man")
    StaffMemberFactory(kind="staff", gender="man", end_year=2020)  # left before 2021
    assert indicator_compute(code="staff_professionals", year=2021).value == 17
    assert indicator_compute(code="staff_professionals_women", year=2021).value == 11
    assert indicator_compute(code="staff_professionals_men", year=2021).value == 6
    assert indicator_compute(code="interns", year=2021).value == 7
    assert indicator_compute(code="interns_women", year=2021).value == 6
    assert indicator_compute(code="interns_men", year=2021).value == 1


def test_gender_mainstreaming_share_and_gia7_gia8():
    members = MemberCityFactory.create_batch(4)
    GenderMainstreamingEngagementFactory(member=members[0])
    result = indicator_compute(code="gender_mainstreaming_member_share", year=2021)
    assert result.value == Decimal("25.0")
    ProgrammeYearFactory.create_batch(3, gender_collaboration=True)
    ProgrammeYearFactory(gender_collaboration=False)
    InternalGenderTrainingFactory.create_batch(4)
    assert indicator_compute(code="gender_collaboration_projects", year=2021).value == 3
    assert indicator_compute(code="internal_gender_trainings", year=2021).value == 4
    InternalGenderToolFactory.create_batch(7)
    assert indicator_compute(code="internal_gender_tools", year=2021).value == 7


def test_funding_shares_use_payments_for_member_fees():
    payment = PaymentFactory(
        invoice=InvoiceFactory(amount=Decimal("3300")), paid_on=datetime.date(2021, 5, 1)
    )
    FundingEntryFactory(source="projects-with-members", amount=Decimal("5900"))
    FundingEntryFactory(source="collaboration-other-parties", amount=Decimal("600"))
    FundingEntryFactory(source="other", amount=Decimal("200"))
    fees = indicator_compute(code="funding_member_fees_share", year=2021)
    assert fees.value == Decimal("33.0")
    assert list(fees.records) == [payment]
    assert_records_add_up(fees)
    assert indicator_compute(code="funding_projects_with_members_share", year=2021).value == Decimal("59.0")
    assert indicator_compute(code="funding_collaboration_other_parties_share", year=2021).value == Decimal(
        "6.0"
    )
    assert indicator_compute(code="funding_other_share", year=2021).value == Decimal("2.0")


def test_funding_share_is_not_computed_while_a_source_has_no_amount():
    FundingEntryFactory(source="other", share=Decimal("2"))
    assert indicator_compute(code="funding_other_share", year=2021).value is None


def test_every_indicator_runs_the_same_number_of_queries_for_10_and_300_members():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_per_indicator() -> dict[str, int]:
        counts = {}
        for indicator in all_indicators():
            with CaptureQueriesContext(connection) as context:
                result = indicator_compute(code=indicator.code, year=2021)
                list(result.contributions())
            counts[indicator.code] = len(context.captured_queries)
        return counts

    def build(n: int) -> None:
        for member in MemberCityFactory.create_batch(n):
            HeadOfGovernmentFactory(member=member)
            GenderMainstreamingEngagementFactory(member=member)
            PaymentFactory(invoice=InvoiceFactory(member=member))

    build(10)
    small = queries_per_indicator()
    build(290)
    assert queries_per_indicator() == small
