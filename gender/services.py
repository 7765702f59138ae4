"""Writes of the gender app: indicator values entered or stored, and report
editions frozen with the values they used."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User

from .models import Edition, EditionValue, IndicatorValue, ValueKind
from .registry import get_indicator
from .selectors import indicator_compute, indicator_lines


@transaction.atomic
def indicator_value_set(
    *,
    code: str,
    year: int,
    kind: str,
    value: Decimal,
    section: str = "",
    note: str = "",
    by: User | None = None,
) -> IndicatorValue:
    """Enter a published or manual value of indicator ``code`` for ``year``.

    A manual value is accepted only for an indicator without a computation.
    """
    indicator = get_indicator(code)
    if kind == ValueKind.COMPUTED:
        raise ValidationError(_("Computed values come from the records; use indicator_store_computed."))
    if kind == ValueKind.MANUAL and not indicator.is_manual:
        raise ValidationError(
            _("%(code)s is computed from the records; it takes no manual value.") % {"code": code}
        )
    record, _created = IndicatorValue.objects.update_or_create(
        indicator_code=code,
        year=year,
        kind=kind,
        section=section,
        defaults={"value": value, "note": note, "entered_by": by},
    )
    record.full_clean()
    return record


@transaction.atomic
def indicator_store_computed(*, code: str, year: int) -> IndicatorValue | None:
    """Compute indicator ``code`` for ``year`` and keep the value as the computed value."""
    result = indicator_compute(code=code, year=year)
    if result.value is None or get_indicator(code).is_manual:
        IndicatorValue.objects.filter(indicator_code=code, year=year, kind=ValueKind.COMPUTED).delete()
        return None
    record, _created = IndicatorValue.objects.update_or_create(
        indicator_code=code, year=year, kind=ValueKind.COMPUTED, section="", defaults={"value": result.value}
    )
    return record


@transaction.atomic
def edition_freeze(*, year: int, title: str, by: User | None = None) -> Edition:
    """Freeze the values every indicator has for ``year`` now into a new edition."""
    edition = Edition(year=year, title=title, frozen_by=by)
    edition.full_clean()
    edition.save()
    # The value each indicator prints: computed, else manual, else published.
    EditionValue.objects.bulk_create(
        EditionValue(edition=edition, indicator_code=line.indicator.code, value=line.value)
        for line in indicator_lines(year=year)
    )
    return edition
