"""The finance summary: shares of income by funding source.

Member fees are computed from the payments received during the year when there
are any; the other sources come from the year's funding entries. A share is
computed only when every source of the year has an amount; otherwise the
published share stands and ``reconcile`` says so.
"""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from gender.models import FundingEntry, FundingSource
from gender.registry import IndicatorResult, Unit, percent, register
from members.models import Payment


def _member_fee_payments(year: int):
    return Payment.objects.filter(paid_on__year=year).select_related("invoice__member")


def funding_amounts(year: int) -> dict[str, Decimal | None]:
    """Income of ``year`` per funding source; ``None`` where nothing is known."""
    amounts: dict[str, Decimal | None] = {
        entry.source: entry.amount for entry in FundingEntry.objects.filter(year=year)
    }
    paid = _member_fee_payments(year).aggregate(total=Sum("amount"))["total"]
    if paid:
        amounts[FundingSource.MEMBER_FEES] = paid
    return {source: amounts.get(source) for source in FundingSource.values}


for _source, _label in FundingSource.choices:

    def _compute(year: int, source=_source) -> IndicatorResult:
        amounts = funding_amounts(year)
        complete = all(amount is not None for amount in amounts.values())
        total = sum((a for a in amounts.values() if a is not None), Decimal(0))
        part = amounts[source] or Decimal(0)
        if source == FundingSource.MEMBER_FEES and _member_fee_payments(year).exists():
            records = _member_fee_payments(year)
            field = "amount"
        else:
            records = FundingEntry.objects.filter(year=year, source=source, amount__isnull=False)
            field = "amount"
        value = percent(part, total) if complete else None
        return IndicatorResult(
            value=value, records=records, contribution_field=field, numerator=part, denominator=total
        )

    register(
        "funding_{}_share".format(_source.replace("-", "_")),
        label=_label,
        description=_("Share of the year's income from this source (member fees from payments received)."),
        unit=Unit.PERCENT,
        section="finance",
    )(_compute)
