"""Template helpers for the PDF reports."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


# How each language writes a percentage after the number (CLDR): a space
# that does not break before the sign in French and Spanish.
PERCENT_SIGN = {"fr": "\u202f%", "es": "\u00a0%"}


@register.filter
def figure(value, unit: str = "count"):
    """A figure as printed in the current language (its decimal mark and
    grouping): no trailing zeros, a percent sign for shares, a dash when unknown."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent) if isinstance(number.as_tuple().exponent, int) else 0
    text = number_format(number, decimal_pos=places, use_l10n=True, force_grouping=unit != "percent")
    if unit != "percent":
        return text
    return text + PERCENT_SIGN.get((get_language() or "en")[:2], "%")


@register.filter
def mentions(text, words) -> bool:
    """Whether ``text`` already names ``words`` (a city, a format)."""
    return bool(words) and str(words).casefold() in str(text).casefold()


@register.filter
def bullets(text: str):
    """A text typed as paragraphs and "- " lists, as HTML."""
    blocks, items = [], []
    for line in str(text or "").splitlines():
        line = line.strip()
        if line.startswith("- "):
            items.append(format_html("<li>{}</li>", line[2:]))
            continue
        if items:
            blocks.append(format_html("<ul>{}</ul>", mark_safe("".join(items))))  # noqa: S308
            items = []
        if line:
            blocks.append(format_html("<p>{}</p>", line))
    if items:
        blocks.append(format_html("<ul>{}</ul>", mark_safe("".join(items))))  # noqa: S308
    return mark_safe("".join(blocks))  # noqa: S308


@register.filter
def yes_mark(value: bool, mark: str = "✓"):
    return mark if value else ""


@register.simple_tag(takes_context=True)
def toc_link(context, anchor: str):
    """The opening link of a table of contents entry: to ``anchor`` in this
    document, or with its page number when it is laid out in another document
    (a report rendered in parts)."""
    page = (context.get("toc_pages") or {}).get(anchor)
    if page:
        return format_html('<a data-page="{}">', page)
    return format_html('<a href="#{}">', anchor)


@register.filter
def css_string(text) -> str:
    """``text`` as a quoted CSS string (for ``string-set``): quotes,
    backslashes and angle brackets escaped as CSS code points."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in str(text))
    return mark_safe(f'"{escaped}"')  # noqa: S308
