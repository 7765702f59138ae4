"""One indicator's line for a year.

``indicator_line`` belongs in ``gender/selectors.py``, next to
``indicator_lines`` (which could then build each of its lines with it): it
gives the same :class:`~gender.selectors.IndicatorLine` for one indicator
without computing the others of its section. It lives here until that move.
"""

from decimal import Decimal

from gender.models import IndicatorValue, ValueKind
from gender.registry import get_indicator
from gender.selectors import IndicatorLine, indicator_compute


def indicator_line(*, code: str, year: int) -> IndicatorLine:
    """Indicator ``code`` with its computed, published and manual values for
    ``year``. Raises ``KeyError`` for a code that is not registered."""
    indicator = get_indicator(code)
    stored = list(
        IndicatorValue.objects.filter(indicator_code=code, year=year)
        .exclude(kind=ValueKind.COMPUTED)
        .order_by("section")
    )
    computed = indicator_compute(code=code, year=year).value if indicator.compute else None
    return IndicatorLine(
        indicator=indicator,
        computed=None if computed is None else Decimal(computed),
        published=[value for value in stored if value.kind == ValueKind.PUBLISHED],
        manual=next((value for value in stored if value.kind == ValueKind.MANUAL), None),
    )
