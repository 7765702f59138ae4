"""Serializers of the indicator API: the registry's indicators, a year's
values (computed, published, manual) and the records behind a value. The
figures come from the registry's computations (``gender.selectors``)."""

from rest_framework import serializers

from gender.models import IndicatorValue
from gender.registry import SECTIONS, Unit
from metropolis.api.serializers import ReadOnlyModelSerializer


class FigureField(serializers.DecimalField):
    """A figure as a decimal string, with the precision it was computed or entered with."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, **kwargs)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    # (DRF's Field has attributes of these names; as fields they are the output's keys.)
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    section = serializers.ChoiceField(choices=list(SECTIONS.items()))
    manual = serializers.BooleanField(
        source="is_manual", help_text="Entered by hand each year, not computed."
    )


class StoredValueSerializer(ReadOnlyModelSerializer):
    value = FigureField()

    class Meta:
        model = IndicatorValue
        fields = ["value", "section", "note", "entered_at"]


class IndicatorValuesSerializer(serializers.Serializer):
    """An indicator's line of a year (``gender.selectors.IndicatorLine``)."""

    code = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    value = FigureField(
        allow_null=True, help_text="The figure to print: computed, else entered by hand, else as published."
    )
    computed = FigureField(
        allow_null=True, help_text="Computed from the records now (null for a manual one)."
    )
    manual = StoredValueSerializer(allow_null=True, help_text="Entered by hand, for a manual indicator.")
    published = StoredValueSerializer(many=True, help_text="As printed in published reports, by section.")
    differences = StoredValueSerializer(
        many=True, help_text="Published values that differ from the computed one."
    )


class IndicatorRecordSerializer(serializers.Serializer):
    """One record behind a value and what it contributes to it."""

    type = serializers.CharField(help_text="The kind of record: `app.model`, such as `activities.event`.")
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    contribution = FigureField(help_text="1 for a counted record; its amount for a sum.")
    api_url = serializers.URLField(
        allow_null=True, help_text="The record in this API, where it has an endpoint."
    )
