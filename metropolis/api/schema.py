"""How the OpenAPI schema describes every operation: drf-spectacular's
AutoSchema, plus the error responses DRF gives on every endpoint (400, 401,
403, 404, 429; 415 where a body is read), so that a client (and schemathesis) knows every status code an
operation can answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer

ERROR_RESPONSES = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="The request is invalid: each field (or `non_field_errors`) with its messages.",
    ),
    "401": OpenApiResponse(ErrorSerializer, description="No valid session or token."),
    "403": OpenApiResponse(ErrorSerializer, description="The account may not do this."),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such record, or not one of the account's city; or a page out of range.",
    ),
    "429": OpenApiResponse(ErrorSerializer, description="Too many requests from this account."),
}
# What DRF answers to a body it cannot read (an operation that takes one).
BODY_ERROR_RESPONSES = {
    "415": OpenApiResponse(
        ErrorSerializer, description="The body's media type is not one the operation reads."
    ),
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        # drf-spectacular documents the success response; add the errors every
        # DRF view can answer (an operation's own description of one wins).
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(BODY_ERROR_RESPONSES)
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
