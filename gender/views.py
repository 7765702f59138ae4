"""Staff pages of the indicator registry: the year's key results with charts,
and one indicator's value with the records behind it."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from metropolis.charts import bar_chart, by_magnitude, line_chart

from .models import IndicatorValue
from .registry import SECTIONS, Unit, get_indicator
from .selectors import EVOLUTION_FROM, admin_url, indicator_compute, indicator_evolution, indicator_lines


@staff_member_required
def key_results(request: HttpRequest, year: int) -> HttpResponse:
    sections = []
    for code, title in SECTIONS.items():
        lines = indicator_lines(year=year, section=code)
        counts = [
            (str(line.indicator.label), line.value) for line in lines if line.indicator.unit == Unit.COUNT
        ]
        shares = [
            (str(line.indicator.label), line.value) for line in lines if line.indicator.unit == Unit.PERCENT
        ]
        # Counts of very different sizes (36,400 followers, 12 events) get
        # charts of their own, so that no bar is too short to read; shares
        # share one scale. The charts are built by metropolis.charts, which
        # escapes every text it draws.
        groups = by_magnitude(counts)
        charts = [
            mark_safe(  # noqa: S308
                bar_chart(
                    group,
                    title=_("Counts")
                    if len(groups) == 1
                    else _("Counts from %(low)s to %(high)s")
                    % {
                        "low": number_format(group[-1][1] or 0, force_grouping=True),
                        "high": number_format(group[0][1] or 0, force_grouping=True),
                    },
                    width=760,
                )
            )
            for group in groups
        ]
        if any(value is not None for _label, value in shares):
            charts.append(mark_safe(bar_chart(shares, title=_("Shares"), suffix="%", width=760)))  # noqa: S308
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
        {
            "record": record,
            "contribution": contribution,
            "url": admin_url(record),
            # Event head counts come from the registrations or were typed
            # (activities.selectors.attendance.with_head_counts): say which.
            "source": getattr(record, "head_count_source", None),
        }
        for record, contribution in result.contributions()
    ]
    stored = (
        IndicatorValue.objects.filter(indicator_code=code)
        .select_related("entered_by")
        .order_by("year", "kind")
    )
    # Earlier years as published, the year shown as computed from the records.
    series = indicator_evolution(codes=[code], year=year, current={code: result.value})[code]
    chart = mark_safe(  # noqa: S308 - drawn by metropolis.charts, which escapes its text
        line_chart(series, title=_("Evolution since %(year)s") % {"year": EVOLUTION_FROM})
    )
    return render(
        request,
        "gender/indicator_detail.html",
        {
            "year": year,
            "indicator": indicator,
            "result": result,
            "records": records,
            "with_sources": any(row["source"] for row in records),
            "stored": [v for v in stored if v.year == year],
            "chart": chart,
        },
    )
