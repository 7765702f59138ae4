"""Template helpers for the PDF reports."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()


@register.simple_tag
def translated(obj, field: str):
    """The field in the current language; the English text, marked as such, when
    that language has none."""
    language = (get_language() or "en").replace("-", "_")
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return own
    fallback = getattr(obj, f"{field}_en", None) or getattr(obj, field, "")
    if language == "en" or not fallback:
        return fallback
    return format_html('<span class="fallback" title="{}">{}</span>', gettext("Shown in English"), fallback)


@register.filter
def figure(value, unit: str = "count"):
    """A figure as printed: no trailing zeros, a percent sign for shares, a dash when unknown."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value)).normalize()
    text = f"{number:,f}" if unit != "percent" else f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%" if unit == "percent" else text


@register.filter
def yes_mark(value: bool, mark: str = "✓"):
    return mark if value else ""
