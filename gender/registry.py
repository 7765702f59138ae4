"""The indicator registry: every figure the association publishes has one
definition here.

An indicator is registered with a code, a translated label and description, a
unit, a section of the report it belongs to, and either a computation over the
records of a year or ``None`` for a figure entered by hand. A computation
returns an :class:`IndicatorResult`: the value and the records behind it, so that
every published number can be traced back to the rows it was computed from.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Model, QuerySet
from django.utils.functional import Promise


class Unit:
    COUNT = "count"
    PERCENT = "percent"
    RATIO = "ratio"
    CURRENCY = "currency"

    choices = [(COUNT, "count"), (PERCENT, "percent"), (RATIO, "ratio"), (CURRENCY, "currency")]


@dataclass
class IndicatorResult:
    """A computed value and the records behind it.

    - a count: ``value == len(records)``;
    - a sum: ``value == sum(record.<contribution_field>)``;
    - a percent: ``value == 100 * numerator / denominator`` with
      ``numerator == len(records)`` (or their sum), rounded to one decimal.
    """

    value: Decimal | None
    records: QuerySet | list = field(default_factory=list)
    contribution_field: str | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def contributions(self) -> Iterable[tuple[Model, Decimal]]:
        for record in self.records:
            if self.contribution_field:
                yield record, Decimal(getattr(record, self.contribution_field) or 0)
            else:
                yield record, Decimal(1)


def counted(records) -> IndicatorResult:
    """A count: the number of ``records``, and the records behind it."""
    return IndicatorResult(value=records.count(), records=records)


def percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """``numerator`` as a share of ``denominator`` in percent, one decimal."""
    if not denominator:
        return None
    return (Decimal(100) * Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str | Promise
    description: str | Promise
    unit: str
    section: str
    compute: Callable[[int], IndicatorResult] | None
    position: int
    # How the portal reads a figure the source does not define: a production
    # note for the data notes page, never printed beside the figure.
    note: str | Promise = ""

    @property
    def is_manual(self) -> bool:
        return self.compute is None


SECTIONS = {
    "key-results": "Key results",
    "gia": "Gender impact assessment",
    "gender": "Gender and governance",
    "finance": "Finance",
}

_REGISTRY: dict[str, Indicator] = {}
# Modules that register indicators; imported once, on first use.
INDICATOR_MODULES = (
    "gender.indicators.key_results",
    "gender.indicators.activities",
    "gender.indicators.calls",
    "gender.indicators.gender",
    "gender.indicators.finance",
    "gender.indicators.published",
)
_loaded = False


def register(
    code: str,
    *,
    label: str | Promise,
    description: str | Promise,
    unit: str = Unit.COUNT,
    section: str = "key-results",
    note: str | Promise = "",
) -> Callable:
    """Decorator registering a computation under ``code``."""

    def decorator(func: Callable[[int], IndicatorResult]) -> Callable[[int], IndicatorResult]:
        _add(Indicator(code, label, description, unit, section, func, len(_REGISTRY), note))
        return func

    return decorator


def register_manual(
    code: str,
    *,
    label: str | Promise,
    description: str | Promise,
    unit: str = Unit.COUNT,
    section: str = "key-results",
    note: str | Promise = "",
) -> None:
    """Register an indicator whose value is entered by hand for each year."""
    _add(Indicator(code, label, description, unit, section, None, len(_REGISTRY), note))


def _add(indicator: Indicator) -> None:
    if indicator.code in _REGISTRY:
        raise ValueError(f"Indicator {indicator.code!r} is registered twice.")
    _REGISTRY[indicator.code] = indicator


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in INDICATOR_MODULES:
            importlib.import_module(module)


def all_indicators(section: str | None = None) -> list[Indicator]:
    _load()
    indicators = sorted(_REGISTRY.values(), key=lambda i: i.position)
    return [i for i in indicators if section is None or i.section == section]


def get_indicator(code: str) -> Indicator:
    _load()
    return _REGISTRY[code]


def indicator_codes() -> list[str]:
    return [i.code for i in all_indicators()]
