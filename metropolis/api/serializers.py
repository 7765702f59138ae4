"""The base of the API's output serializers: a record as the API gives it.
Writes go through input serializers and the apps' services, never through a
model serializer, so every field a model serializer lists is read only."""

from typing import Any

from rest_framework import serializers


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    # A model serializer whose fields (``Meta.fields``) are all read only, as
    # ``read_only_fields = fields`` would make them. (A comment, not a
    # docstring: the schema shows a serializer's docstring to clients.)

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs[name] = {**extra_kwargs.get(name, {}), "read_only": True}
        return extra_kwargs
