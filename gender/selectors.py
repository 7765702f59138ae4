"""Reads of the indicator registry: values per year, their records, the
comparison of published and computed values, and the evolution of a figure
since the first year the association published; and the secretariat team of a
year."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from .models import IndicatorValue, StaffMember, ValueKind
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


# The first year of the association's published evolution series (the gender
# impact assessment began in 2018).
EVOLUTION_FROM = 2018


def indicator_evolution(
    *, codes: list[str], year: int, current: dict[str, Decimal | None]
) -> dict[str, list[tuple[int, Decimal | None]]]:
    """The evolution of each indicator of ``codes`` from :data:`EVOLUTION_FROM`
    to ``year``: the published value of each earlier year (the portal's records
    begin with the 2021 dataset), and ``current[code]`` for ``year`` itself (the
    value computed now, or the frozen one of an edition). One query for all
    codes."""
    published: dict[tuple[str, int], Decimal] = {}
    for value in IndicatorValue.objects.filter(
        indicator_code__in=codes, kind=ValueKind.PUBLISHED, year__gte=EVOLUTION_FROM, year__lt=year
    ).order_by("-section"):
        published[(value.indicator_code, value.year)] = value.value
    return {
        code: [(y, published.get((code, y))) for y in range(EVOLUTION_FROM, year)]
        + [(year, current.get(code))]
        for code in codes
    }


def staff_in(*, year: int) -> QuerySet[StaffMember]:
    """The members of the secretariat team during ``year``."""
    return StaffMember.objects.filter(
        Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year)
    )
