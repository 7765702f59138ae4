"""Staff pages of the indicator registry: the year's key results with charts,
and one indicator's value with the records behind it."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.charts import bar_chart, line_chart

from .models import IndicatorValue, ValueKind
from .registry import SECTIONS, Unit, get_indicator
from .selectors import admin_url, indicator_compute, indicator_lines

EVOLUTION_FROM = 2018


@staff_member_required
def key_results(request: HttpRequest, year: int) -> HttpResponse:
    sections = []
    for code, title in SECTIONS.items():
        lines = indicator_lines(year=year, section=code)
        counts = [(line.indicator.label, line.value) for line in lines if line.indicator.unit == Unit.COUNT]
        shares = [(line.indicator.label, line.value) for line in lines if line.indicator.unit == Unit.PERCENT]
        # The charts are built by reports.charts, which escapes every text it draws.
        charts = [
            mark_safe(bar_chart(items, title=chart_title, suffix=suffix, width=760))  # noqa: S308
            for items, chart_title, suffix in ((counts, _("Counts"), ""), (shares, _("Shares"), "%"))
            if items
        ]
        sections.append({"code": code, "title": _(title), "lines": lines, "charts": charts})
    return render(request, "gender/key_results.html", {"year": year, "sections": sections})


@staff_member_required
def indicator_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    try:
        indicator = get_indicator(code)
    except KeyError:
        raise Http404(_("No such indicator.")) from None
    result = indicator_compute(code=code, year=year)
    records = [
        {"record": record, "contribution": contribution, "url": admin_url(record)}
        for record, contribution in result.contributions()
    ]
    stored = (
        IndicatorValue.objects.filter(indicator_code=code)
        .select_related("entered_by")
        .order_by("year", "kind")
    )
    # Earlier years as published (the portal's records start with the 2021
    # dataset), the year shown as computed from the records.
    evolution = {v.year: v.value for v in stored if v.kind == ValueKind.PUBLISHED}
    if result.value is not None:
        evolution[year] = result.value
    chart = mark_safe(  # noqa: S308 - drawn by reports.charts, which escapes its text
        line_chart(
            [(y, evolution.get(y)) for y in range(EVOLUTION_FROM, year + 1)], title=_("Evolution since 2018")
        )
    )
    return render(
        request,
        "gender/indicator_detail.html",
        {
            "year": year,
            "indicator": indicator,
            "result": result,
            "records": records,
            "stored": [v for v in stored if v.year == year],
            "chart": chart,
        },
    )
