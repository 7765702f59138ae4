"""Reads of the indicator registry: values per year, their records, and the
comparison of published and computed values."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from .models import IndicatorValue, ValueKind
from .registry import Indicator, IndicatorResult, all_indicators, get_indicator


def indicator_compute(*, code: str, year: int) -> IndicatorResult:
    """The value of indicator ``code`` for ``year`` computed from the records now."""
    indicator = get_indicator(code)
    if indicator.compute is None:
        value = (
            IndicatorValue.objects.filter(indicator_code=code, year=year, kind=ValueKind.MANUAL)
            .values_list("value", flat=True)
            .first()
        )
        return IndicatorResult(value=value)
    return indicator.compute(year)


@dataclass
class IndicatorLine:
    indicator: Indicator
    computed: Decimal | None
    published: list[IndicatorValue]
    manual: IndicatorValue | None

    @property
    def value(self) -> Decimal | None:
        """The figure to print: the computed one, else the manual one, else the first published one."""
        if self.computed is not None:
            return self.computed
        if self.manual is not None:
            return self.manual.value
        return self.published[0].value if self.published else None

    @property
    def differences(self) -> list[IndicatorValue]:
        """Published values that differ from the computed one."""
        if self.computed is None:
            return []
        return [p for p in self.published if p.value.compare(Decimal(self.computed)) != 0]


def indicator_lines(*, year: int, section: str | None = None) -> list[IndicatorLine]:
    """Every registered indicator of ``section`` with its computed, published and manual values for ``year``."""
    stored: dict[str, list[IndicatorValue]] = {}
    for value in (
        IndicatorValue.objects.filter(year=year).exclude(kind=ValueKind.COMPUTED).order_by("section")
    ):
        stored.setdefault(value.indicator_code, []).append(value)
    return [_line(indicator, year, stored.get(indicator.code, [])) for indicator in all_indicators(section)]


def indicator_line(*, code: str, year: int) -> IndicatorLine:
    """Indicator ``code`` with its computed, published and manual values for
    ``year``, without computing the others. Raises ``KeyError`` for a code that
    is not registered."""
    indicator = get_indicator(code)
    stored = IndicatorValue.objects.filter(indicator_code=code, year=year).exclude(kind=ValueKind.COMPUTED)
    return _line(indicator, year, list(stored.order_by("section")))


def _line(indicator: Indicator, year: int, values: list[IndicatorValue]) -> IndicatorLine:
    computed = indicator_compute(code=indicator.code, year=year).value if indicator.compute else None
    return IndicatorLine(
        indicator=indicator,
        computed=None if computed is None else Decimal(computed),
        published=[v for v in values if v.kind == ValueKind.PUBLISHED],
        manual=next((v for v in values if v.kind == ValueKind.MANUAL), None),
    )


def admin_url(record: Model) -> str | None:
    """The admin change page of ``record``, if the admin has one."""
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return None
