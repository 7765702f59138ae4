"""What API users filter report runs by (django-filter)."""

from django_filters import rest_framework as filters

from metropolis.api.filters import IdFilter, YearFilter
from reports.models import ReportKind, ReportRun, RunStatus


class ReportRunFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices)
    status = filters.ChoiceFilter(choices=RunStatus.choices)
    year = YearFilter()
    member = IdFilter(field_name="member")

    class Meta:
        model = ReportRun
        fields = ["kind", "status", "year", "member", "language"]
