"""Endpoints of the indicator registry: the indicators, a year's values of one,
and the records behind a value.

Every logged-in account reads the indicators and their values (association-wide
figures). The records behind a value name member cities, invoices and
payments one by one: they are for the secretariat and the communications team,
as the registry's staff pages are.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gender.registry import SECTIONS, Indicator, IndicatorResult, all_indicators, get_indicator
from gender.selectors import indicator_compute, indicator_line
from metropolis.api.filters import year_parameter
from metropolis.api.permissions import ReadsEveryCity, SecretariatWrites
from metropolis.api.viewsets import ApiViewSet
from metropolis.years import FIRST_YEAR, LAST_YEAR

from .serializers import IndicatorRecordSerializer, IndicatorSerializer, IndicatorValuesSerializer

TAG = "Indicators"

# The endpoint of each kind of record that has one, for a record's ``api_url``.
RECORD_ENDPOINTS = {
    "members.membercity": "member",
    "members.headofgovernment": "head-of-government",
    "members.contact": "contact",
    "members.invoice": "invoice",
    "members.payment": "payment",
    "activities.event": "event",
    "activities.participation": "participation",
    "activities.pilotproject": "pilot-project",
    "activities.learningactivity": "learning-activity",
    "activities.learningparticipation": "learning-participation",
    "activities.publication": "publication",
    "activities.platformcontribution": "platform-contribution",
    "activities.actionplan": "action-plan",
}


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)


class SectionQuerySerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=list(SECTIONS), required=False)


YEAR = year_parameter(required=True)
SECTION = OpenApiParameter(
    "section", OpenApiTypes.STR, enum=list(SECTIONS), description="Only the indicators of this section."
)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _with_relations(records: QuerySet) -> QuerySet:
    """The records with the rows their labels name (``__str__`` reads the
    member, the event, ...), in a fixed order for the pages."""
    forward = [field.name for field in records.model._meta.concrete_fields if field.many_to_one]
    if forward and not records.query.select_related:
        records = records.select_related(*forward)
    return records if records.ordered else records.order_by("pk")


class IndicatorViewSet(ApiViewSet):
    serializer_class = IndicatorSerializer
    permission_classes = [SecretariatWrites]
    lookup_field = "code"
    filter_backends: list = []

    def _indicator(self, code: str) -> Indicator:
        try:
            return get_indicator(code)
        except KeyError:
            raise Http404 from None

    @extend_schema(
        summary="List the registered indicators",
        description=(
            "Every figure the association publishes has one registered definition: its code, label, "
            "description, unit and report section, and whether it is computed from records or "
            "entered by hand."
        ),
        parameters=[SECTION],
        tags=[TAG],
    )
    def list(self, request: Request) -> Response:
        section = _query(SectionQuerySerializer, request).get("section")
        page = self.paginate_queryset(all_indicators(section)) or []
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)

    @extend_schema(summary="One indicator", description="A registered indicator.", tags=[TAG])
    def retrieve(self, request: Request, code: str) -> Response:
        return Response(IndicatorSerializer(self._indicator(code)).data)

    @extend_schema(
        summary="An indicator's values in a year",
        description=(
            "The value computed from the records now, the value entered by hand (manual indicators), "
            "the values as printed in published reports, and the published values that differ from "
            "the computed one. `value` is the figure a report prints."
        ),
        parameters=[YEAR],
        responses={200: IndicatorValuesSerializer},
        examples=[
            OpenApiExample(
                "A share",
                response_only=True,
                value={
                    "code": "active_member_share",
                    "year": 2021,
                    "value": "61.5",
                    "computed": "61.5",
                    "manual": None,
                    "published": [
                        {
                            "value": "61.0000",
                            "section": "Key results",
                            "note": "",
                            "entered_at": "2022-03-01T10:00:00Z",
                        }
                    ],
                    "differences": [
                        {
                            "value": "61.0000",
                            "section": "Key results",
                            "note": "",
                            "entered_at": "2022-03-01T10:00:00Z",
                        }
                    ],
                },
            )
        ],
        tags=[TAG],
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def values(self, request: Request, code: str) -> Response:
        self._indicator(code)
        year = _query(YearQuerySerializer, request)["year"]
        line = indicator_line(code=code, year=year)
        values = {
            "indicator": line.indicator,
            "year": year,
            "value": line.value,
            "computed": line.computed,
            "manual": line.manual,
            "published": line.published,
            "differences": line.differences,
        }
        return Response(IndicatorValuesSerializer(values).data)

    @extend_schema(
        summary="The records behind an indicator's value (secretariat, communications)",
        description=(
            "Each record the value of `year` is computed from, with its kind (`app.model`), id, "
            "label and contribution (1 for a counted record, its amount for a sum), and its address "
            "in this API where it has one. For the secretariat and the communications team."
        ),
        parameters=[YEAR],
        responses={200: IndicatorRecordSerializer(many=True)},
        examples=[
            OpenApiExample(
                "An event counted",
                response_only=True,
                value={
                    "type": "activities.event",
                    "id": 7,
                    "label": "Women in urban leadership",
                    "contribution": "1",
                    "api_url": "https://portal.metropolis.org/api/v1/events/7/",
                },
            )
        ],
        tags=[TAG],
    )
    @action(detail=True, methods=["get"], permission_classes=[ReadsEveryCity])
    def records(self, request: Request, code: str) -> Response:
        self._indicator(code)
        year = _query(YearQuerySerializer, request)["year"]
        result = indicator_compute(code=code, year=year)
        records = result.records
        if isinstance(records, QuerySet):
            records = _with_relations(records)
        page = self.paginate_queryset(records) or []
        # The page's contributions, as the registry defines them for the whole result.
        paged = IndicatorResult(
            value=result.value, records=page, contribution_field=result.contribution_field
        )
        rows = [self._record(record, contribution) for record, contribution in paged.contributions()]
        return self.get_paginated_response(IndicatorRecordSerializer(rows, many=True).data)

    def _record(self, record, contribution) -> dict:
        label = record._meta.label_lower
        endpoint = RECORD_ENDPOINTS.get(label)
        api_url = None
        if endpoint:
            api_url = self.request.build_absolute_uri(reverse(f"api:{endpoint}-detail", args=[record.pk]))
        return {
            "type": label,
            "id": record.pk,
            "label": str(record),
            "contribution": contribution,
            "api_url": api_url,
        }
